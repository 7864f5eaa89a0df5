// The OpenTok emulator on a loopback port with a test project's credentials, and a runner for the
// built binary whose environment points at it (OPENTOK_API_URL, OPENTOK_API_KEY, OPENTOK_API_SECRET).
import EmulatorCore
import Foundation
import MediaKit

public final class OpenTokHarness: @unchecked Sendable {
    /// The project of protocols.md §7's golden vectors.
    public static let apiKey = "123456"
    public static let apiSecret = "0123456789abcdef0123456789abcdef01234567"

    public let emulator: OpenTokEmulator
    public let server: LoopbackServer
    public let dir = TemporaryDirectory()
    public var environment: [String: String]

    private final class Box: @unchecked Sendable { var emulator: OpenTokEmulator? }

    public init(now: @escaping @Sendable () -> Date = { Date() }) throws {
        let box = Box()
        server = try LoopbackServer { request in
            guard let emulator = box.emulator else { return HTTPResponse(status: 503) }
            return emulator.handle(method: request.method, target: request.target, headers: request.headers, body: request.body)
        }
        emulator = OpenTokEmulator(apiKey: Self.apiKey, apiSecret: Self.apiSecret, now: now)
        box.emulator = emulator
        environment = [
            "HOME": dir.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "OPENTOK_API_URL": server.baseURL,
            "OPENTOK_API_KEY": Self.apiKey,
            "OPENTOK_API_SECRET": Self.apiSecret,
            "XDG_CONFIG_HOME": "\(dir.path)/.config",
            "XDG_STATE_HOME": "\(dir.path)/.state",
        ]
    }

    deinit { server.stop() }

    public func run(_ arguments: [String], env extra: [String: String] = [:], stdin: String? = nil, timeout: Double = 60) throws -> CLIResult {
        try CLIRunner.run(arguments, environment: environment.merging(extra) { _, new in new }, stdin: stdin, timeout: timeout)
    }

    public var requestCount: Int { emulator.calls.count }

    /// A routed session with `clients` clients, each publishing one stream.
    public func sessionWithClients(_ clients: Int, routed: Bool = true) -> (session: String, connections: [String], streams: [String]) {
        let session = emulator.seedSession(routed: routed)
        var connections: [String] = [], streams: [String] = []
        for i in 0..<clients {
            if let joined = emulator.connectClient(sessionID: session, streamName: "client \(i + 1)") {
                connections.append(joined.connectionID)
                streams.append(joined.streamID)
            }
        }
        return (session, connections, streams)
    }
}
