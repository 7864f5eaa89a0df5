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

    /// On a port the system picks (s_server binds port 0 and prints `ACCEPT 127.0.0.1:PORT`), so servers that run
    /// at once in one test process never collide.
    public init() throws {
        let gen = Process()
        gen.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        gen.arguments = ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
                         "-days", "1", "-keyout", "\(dir.path)/k.pem", "-out", "\(dir.path)/c.pem"]
        gen.standardError = FileHandle.nullDevice
        try gen.run(); gen.waitUntilExit()
        server.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        server.arguments = ["s_server", "-accept", "127.0.0.1:0", "-cert", "\(dir.path)/c.pem", "-key", "\(dir.path)/k.pem", "-www"]
        // Its stdout goes to a file (a pipe nobody drains could fill and stall it); the ACCEPT line is read from there.
        let log = "\(dir.path)/s_server.out"
        FileManager.default.createFile(atPath: log, contents: nil)
        server.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: log))
        server.standardError = FileHandle.nullDevice
        server.standardInput = FileHandle.nullDevice
        try server.run()
        // Ready when it has said its port and accepts a connection (a fixed pause was too short on a loaded machine).
        let deadline = Date().addingTimeInterval(15)
        var found: Int?
        while Date() < deadline {
            if found == nil, let text = try? String(contentsOfFile: log, encoding: .utf8) { found = Self.acceptedPort(text) }
            if let found, Self.accepts(port: found) { break }
            usleep(50_000)
        }
        guard let found else {
            kill(server.processIdentifier, SIGKILL)
            server.waitUntilExit()
            throw LoopbackServer.ServerError.socket("openssl s_server did not say which port it listens on")
        }
        port = found
    }

    /// The port of s_server's `ACCEPT 127.0.0.1:PORT` line.
    static func acceptedPort(_ output: String) -> Int? {
        for line in output.split(separator: "\n") where line.hasPrefix("ACCEPT ") {
            if let colon = line.lastIndex(of: ":"), let port = Int(line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)) { return port }
        }
        return nil
    }

    static func accepts(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = UInt16(port).bigEndian
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    /// SIGKILL: a child spawned from a dispatch thread inherits a mask that blocks SIGTERM.
    public func stop() {
        guard server.isRunning else { return }
        kill(server.processIdentifier, SIGKILL)
        server.waitUntilExit()
    }

    deinit { stop() }
}
