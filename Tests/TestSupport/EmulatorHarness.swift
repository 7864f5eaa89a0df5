// An emulator on a loopback port with the test key registered, an OCI config pointing at it,
// and a runner for the built binary with that environment.
import EmulatorCore
import Foundation
import MediaKit

public final class EmulatorHarness: @unchecked Sendable {
    public let emulator: MediaServicesEmulator
    public let server: LoopbackServer
    public let dir = TemporaryDirectory()
    public var environment: [String: String]

    private final class Box: @unchecked Sendable { var emulator: MediaServicesEmulator? }

    /// `configure` adjusts the emulator's options before it starts (real media processing, a test clock, ...).
    public init(pollsInProgress: Int = 2, key: String = Fixtures.key("test_key.pem"), passphrase: String? = nil,
                configure: (inout EmulatorOptions) -> Void = { _ in }) throws {
        let box = Box()
        server = try LoopbackServer { request in
            guard let emulator = box.emulator else { return HTTPResponse(status: 503) }
            let response = emulator.handle(ServerRequest(method: request.method, target: request.target,
                                                         headers: request.headers, body: request.body))
            // GetObject answers stream from a file (bodyFile): read here, as the server would send it.
            let body = response.bodyFile.flatMap { try? Data(contentsOf: $0).prefix(Int(response.bodyLength)) } ?? response.body
            return HTTPResponse(status: response.status, headers: response.headers, body: Data(body))
        }
        var options = EmulatorOptions(streamHost: server.hostPort)
        options.pollsInProgress = pollsInProgress
        configure(&options)
        emulator = MediaServicesEmulator(options: options)
        box.emulator = emulator
        if let pub = Fixtures.testPublicKey { emulator.registerAPIKey(keyID: Fixtures.testKeyID, publicKey: pub) }

        var profile = "[DEFAULT]\nuser=\(Fixtures.user)\nfingerprint=\(Fixtures.testFingerprint)\nkey_file=\(key)\ntenancy=\(Fixtures.tenancy)\nregion=us-ashburn-1\n"
        if let passphrase { profile += "pass_phrase=\(passphrase)\n" }
        let config = dir.write(".oci/config", profile)
        environment = [
            "HOME": dir.path,
            "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "OCI_CLI_CONFIG_FILE": config,
            "MEDIACTL_ENDPOINT": server.baseURL,
            "MEDIACTL_COMPARTMENT_ID": Fixtures.compartment,
            "XDG_CONFIG_HOME": "\(dir.path)/.config",
            "XDG_STATE_HOME": "\(dir.path)/.state",
            // A git checkout leaves the fixture keys 0644; the warning has its own test (SecretsTests).
            "OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING": "True",
        ]
    }

    deinit { server.stop() }

    public func run(_ arguments: [String], env extra: [String: String] = [:], stdin: String? = nil, timeout: Double = 60) throws -> CLIResult {
        try CLIRunner.run(arguments, environment: environment.merging(extra) { _, new in new }, stdin: stdin, timeout: timeout)
    }

    public var requestCount: Int { emulator.requests.count }
}
