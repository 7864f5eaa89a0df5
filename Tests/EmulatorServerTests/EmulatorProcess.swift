// Runs the built `mediactl-emulator` binary on a free port with a throw-away state directory, for tests that talk to it over real HTTP.
import EmulatorCore
import Foundation
import MediaKit
import TestSupport

final class EmulatorUnderTest: @unchecked Sendable {
    let state: TemporaryDirectory
    let jobSeconds: Double
    private(set) var process: Process?
    private(set) var endpoint = ""
    private(set) var port = 0

    /// The binary next to mediactl (one products folder), or $MEDIACTL_EMULATOR_BIN.
    static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["MEDIACTL_EMULATOR_BIN"] { return explicit }
        return (CLIRunner.binary as NSString).deletingLastPathComponent + "/mediactl-emulator"
    }

    /// Scripted jobs (`--simulate-media`) unless `realMedia`: most tests drive the lab flow without objects.
    let realMedia: Bool

    init(jobSeconds: Double = 1.5, state: TemporaryDirectory = TemporaryDirectory(), realMedia: Bool = false, extra: [String] = []) throws {
        self.state = state
        self.jobSeconds = jobSeconds
        self.realMedia = realMedia
        try start(port: 0, extra: extra)
    }

    /// Starts (or restarts) on `port` with the same state directory; returns once the endpoint file names it.
    func start(port: Int, extra: [String] = []) throws {
        try? FileManager.default.removeItem(atPath: "\(state.path)/endpoint")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: Self.binary)
        p.arguments = ["serve", "--port", String(port), "--state", state.path, "--job-seconds", String(jobSeconds)]
            + (realMedia ? [] : ["--simulate-media"]) + extra
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle(forWritingAtPath: "/dev/null")
        try p.run()
        process = p
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            if let text = try? String(contentsOfFile: "\(state.path)/endpoint", encoding: .utf8) {
                endpoint = text.trimmingCharacters(in: .whitespacesAndNewlines)
                self.port = Int(endpoint.split(separator: ":").last ?? "") ?? 0
                return
            }
            guard p.isRunning else { throw EmulatorTestError("mediactl-emulator exited with \(p.terminationStatus)") }
            usleep(50_000)
        }
        throw EmulatorTestError("mediactl-emulator did not write its endpoint within 20 s")
    }

    func kill9() {
        guard let p = process else { return }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        process = nil
    }

    func stop() {
        guard let p = process else { return }
        p.terminate()
        p.waitUntilExit()
        process = nil
    }

    deinit { if let p = process, p.isRunning { kill(p.processIdentifier, SIGKILL); p.waitUntilExit() } }

    /// What `eval "$(mediactl emulator start)"` would export, read from the env file.
    var environment: [String: String] {
        var env: [String: String] = [
            "HOME": state.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin",
            "XDG_CONFIG_HOME": "\(state.path)/.config", "XDG_STATE_HOME": "\(state.path)/.state", "CI": "true",
        ]
        let text = (try? String(contentsOfFile: "\(state.path)/env", encoding: .utf8)) ?? ""
        for line in text.split(separator: "\n") where line.hasPrefix("export ") {
            let pair = line.dropFirst(7).split(separator: "=", maxSplits: 1)
            if pair.count == 2 { env[String(pair[0])] = String(pair[1]).trimmingCharacters(in: CharacterSet(charactersIn: "'")) }
        }
        return env
    }

    /// A small object in the emulator's Object Storage (namespace `emulator`; the bucket made if missing): the source
    /// video `job run` checks (HEAD) before it creates a job. Simulated jobs never read its bytes.
    func putSource(_ object: String, bucket: String) throws {
        let store = try ObjectStore(root: URL(fileURLWithPath: "\(state.path)/objects"))
        _ = try store.createBucket(namespace: "emulator", bucket: bucket)
        try store.put(namespace: "emulator", bucket: bucket, object: object, data: Data("source video\n".utf8))
    }

    func run(_ arguments: [String], timeout: Double = 60) throws -> CLIResult {
        try CLIRunner.run(arguments, environment: environment, timeout: timeout)
    }

    /// An unsigned admin call, or any call with the given headers, over libcurl.
    func send(_ method: String, _ path: String, body: JSONValue? = nil, sign: Bool = false,
              tamper: ((inout HTTPRequest) -> Void)? = nil) throws -> HTTPResponse {
        guard let url = RequestURL(endpoint + path) else { throw EmulatorTestError("bad URL \(endpoint + path)") }
        var request = HTTPRequest(method: method, url: url, body: body?.data ?? Data())
        if body != nil { request.setHeader("content-type", "application/json") }
        if sign {
            let key = try RSAPrivateKey.load(pem: Data(contentsOf: URL(fileURLWithPath: "\(state.path)/emulator_api_key.pem")), passphrase: nil)
            let keyID = "ocid1.tenancy.oc1..aaaaaaaaemulatortenancy/ocid1.user.oc1..aaaaaaaaemulatoruser/\(key.fingerprint)"
            try OCIRequestSigner.sign(&request, keyID: keyID, key: key, date: Date())
        }
        tamper?(&request)
        return try CurlTransport(options: TransferOptions(connectTimeout: 2, totalTimeout: 10)).send(request)
    }
}

struct EmulatorTestError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
