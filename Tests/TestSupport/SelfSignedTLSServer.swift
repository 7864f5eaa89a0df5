// A real TLS server on loopback (openssl s_server) with a fresh self-signed certificate, for the
// tests that check certificate verification.
import Foundation

public final class SelfSignedTLSServer: @unchecked Sendable {
    public let dir = TemporaryDirectory()
    public let port: Int
    private let server = Process()

    /// The certificate, to pass as --ca-bundle.
    public var certificate: String { "\(dir.path)/c.pem" }
    public var baseURL: String { "https://127.0.0.1:\(port)" }

    /// `portBase` keeps tests that run at once on different ports.
    public init(portBase: Int) throws {
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        gen.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                         "-days", "1", "-keyout", "\(dir.path)/k.pem", "-out", "\(dir.path)/c.pem"]
        gen.standardError = FileHandle.nullDevice
        try gen.run(); gen.waitUntilExit()
        port = portBase + Int(getpid() % 20000)
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:\(port)", "-cert", "\(dir.path)/c.pem", "-key", "\(dir.path)/k.pem", "-www", "-quiet"]
        server.standardOutput = FileHandle.nullDevice
        server.standardError = FileHandle.nullDevice
        server.standardInput = FileHandle.nullDevice
        try server.run()
        usleep(500_000)
    }

    /// SIGKILL: a child spawned from a dispatch thread inherits a mask that blocks SIGTERM.
    public func stop() {
        guard server.isRunning else { return }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
    }

    deinit { stop() }
}
