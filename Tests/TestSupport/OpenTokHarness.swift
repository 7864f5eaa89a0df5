// The OpenTok emulator on a loopback port with a test project's credentials, and a runner for the
// built binary whose environment points at it (OPENTOK_API_URL, OPENTOK_API_KEY, OPENTOK_API_SECRET), or,
// with `vonage: true`, a Vonage application (VONAGE_VIDEO_URL, VONAGE_APPLICATION_ID, VONAGE_PRIVATE_KEY_PATH).
import EmulatorCore
import Foundation
import MediaKit

public final class OpenTokHarness: @unchecked Sendable {
    /// The project of protocols.md §7's golden vectors.
    public static let apiKey = "123456"
    public static let apiSecret = "0123456789abcdef0123456789abcdef01234567"
    /// The Vonage application of the golden vectors in VonageJWTTests (key: Fixtures/keys/test_key_pkcs8.pem).
    public static let applicationID = "c0ffee00-1234-4abc-8def-0123456789ab"

    public let emulator: OpenTokEmulator
    public let server: LoopbackServer
    public let dir = TemporaryDirectory()
    public var environment: [String: String]

    private final class Box: @unchecked Sendable { var emulator: OpenTokEmulator? }

    /// Where the Vonage application's private key is (a 0600 copy of the fixture), in Vonage mode.
    public private(set) var privateKeyFile = ""

    public init(vonage: Bool = false, now: @escaping @Sendable () -> Date = { Date() }) throws {
        let box = Box()
        server = try LoopbackServer { request in
            guard let emulator = box.emulator else { return HTTPResponse(status: 503) }
            return emulator.handle(method: request.method, target: request.target, headers: request.headers, body: request.body)
        }
        environment = [
            "HOME": dir.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "XDG_CONFIG_HOME": "\(dir.path)/.config",
            "XDG_STATE_HOME": "\(dir.path)/.state",
        ]
        if vonage {
            guard let publicKey = Fixtures.testPublicKey else { throw HarnessError.fixture("test_public.pem") }
            emulator = OpenTokEmulator(applicationID: Self.applicationID, publicKey: publicKey, now: now)
            privateKeyFile = dir.write("private.key", String(decoding: Fixtures.data(Fixtures.key("test_key_pkcs8.pem")), as: UTF8.self))
            environment["VONAGE_VIDEO_URL"] = server.baseURL
            environment["VONAGE_APPLICATION_ID"] = Self.applicationID
            environment["VONAGE_PRIVATE_KEY_PATH"] = privateKeyFile
        } else {
            emulator = OpenTokEmulator(apiKey: Self.apiKey, apiSecret: Self.apiSecret, now: now)
            environment["OPENTOK_API_URL"] = server.baseURL
            environment["OPENTOK_API_KEY"] = Self.apiKey
            environment["OPENTOK_API_SECRET"] = Self.apiSecret
        }
        box.emulator = emulator
    }

    public enum HarnessError: Error { case fixture(String) }

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
