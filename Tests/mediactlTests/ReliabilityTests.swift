// Reliability and safety through the built binary: no secret in any --debug output, the permissions
// warning, TLS that cannot be switched off, timeouts that stop stalled servers and waits, and Ctrl-C
// in the middle of a request on a real pseudo-terminal.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct SecretsTests {
    /// The base64 body lines of a PEM file (the key material itself).
    static func pemBody(_ path: String) -> [String] {
        String(decoding: Fixtures.data(path), as: UTF8.self).split(separator: "\n").map(String.init)
            .filter { !$0.hasPrefix("-----") && !$0.contains(":") && $0.count >= 16 }
    }

    static func leaks(in text: String, extra: [String]) -> [String] {
        var found: [String] = []
        let secrets = pemBody(Fixtures.key("test_key.pem")) + pemBody(Fixtures.key("test_key_enc_pkcs1.pem")) + [Fixtures.passphrase] + extra
        for s in secrets where !s.isEmpty && text.contains(s) { found.append(String(s.prefix(20)) + "…") }
        if text.contains("ST$") { found.append("ST$ token") }
        // Signatures: the Authorization header's signature="..." must always be redacted.
        var rest = Substring(text)
        while let r = rest.range(of: "signature=\"") {
            if !rest[r.upperBound...].hasPrefix("[REDACTED]") { found.append("signature") }
            rest = rest[r.upperBound...]
        }
        return found
    }

    @Test func everyOCIFlowWithDebugLeaksNoKeyPassPhraseSignatureOrToken() throws {
        let h = try EmulatorHarness(key: Fixtures.key("test_key_enc_pkcs1.pem"), passphrase: Fixtures.passphrase)
        var outputs: [(String, CLIResult)] = []
        func run(_ args: [String]) throws -> CLIResult {
            let r = try h.run(args + ["--debug"])
            #expect(r.status == 0, "\(args): \(r.stderr.suffix(500))")
            outputs.append((args.joined(separator: " "), r))
            return r
        }
        let wf = try run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let job = try run(["job", "run", "--workflow-id", wf, "--source-bucket", "in", "--destination-bucket", "out", "--namespace", "ns",
                           "--source-video", "clip.mp4", "--output-prefix", "p", "--wait", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let ids = try run(["channel", "build", "--output", "id"]).stdoutLines
        try #require(ids.count == 3)
        let asset = try run(["ingest", "--channel-id", ids[0], "--namespace", "ns", "--bucket", "out", "--object", "m.m3u8", "--output", "id"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let url = try run(["playback-url", "--channel-id", ids[0], "--asset-id", asset, "--packaging-config-id", ids[2]])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let token = try #require(url.components(separatedBy: "token=").last)
        #expect(token.count > 10)
        _ = try run(["workflow", "list", "--all"])
        _ = try run(["job", "get", job, "--output", "json"])
        _ = try run(["channel", "get", ids[0]])
        _ = try run(["workflow", "delete", wf, "--yes"])

        var debugLines = 0
        for (name, r) in outputs {
            debugLines += r.stderr.components(separatedBy: "debug: ").count - 1
            // The token may appear once: in the URL that playback-url exists to print.
            let stdout = name.hasPrefix("playback-url") ? r.stdout.replacingOccurrences(of: url, with: "") : r.stdout
            let leaked = Self.leaks(in: stdout + r.stderr, extra: [token, Fixtures.passphrase])
            #expect(leaked.isEmpty, "\(name) leaked \(leaked)")
        }
        #expect(debugLines >= 20, "--debug really logged the requests")
        let all = outputs.map { $0.1.stderr }.joined()
        #expect(all.contains("authorization: Signature ") && all.contains("signature=\"[REDACTED]\""))
        #expect(all.contains(#""token":"[REDACTED]""#), "the session token answer is redacted")
    }

    @Test func openTokFlowsWithDebugLeakNoSecretOrJWT() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        var all = ""
        for args in [["session", "create", "--media-mode", "routed"], ["archive", "start", "--session-id", session, "--output", "id"],
                     ["archive", "list"], ["broadcast", "list"]] {
            let r = try h.run(args + ["--debug"])
            #expect(r.status == 0, "\(args): \(r.stderr.suffix(400))")
            all += r.stdout + r.stderr
            if args[0] == "archive", args[1] == "start" {
                let id = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
                for more in [["archive", "get", id], ["archive", "stop", id]] {
                    let m = try h.run(more + ["--debug"])
                    #expect(m.status == 0, "\(more): \(m.stderr.suffix(400))")
                    all += m.stdout + m.stderr
                }
            }
        }
        #expect(all.contains("X-OPENTOK-AUTH: [REDACTED]"))
        #expect(!all.contains(OpenTokHarness.apiSecret))
        #expect(!all.contains("eyJ"), "no JWT may be printed")
    }

    @Test func aReadableKeyOrConfigFileWarnsOnceAndCanBeSilenced() throws {
        let h = try EmulatorHarness()
        let key = h.dir.write("key.pem", String(decoding: Fixtures.data(Fixtures.key("test_key.pem")), as: UTF8.self), mode: 0o644)
        let config = h.dir.write("open-config",
                                 "[DEFAULT]\nuser=\(Fixtures.user)\nfingerprint=\(Fixtures.testFingerprint)\nkey_file=\(key)\ntenancy=\(Fixtures.tenancy)\nregion=us-ashburn-1\n",
                                 mode: 0o640)
        let env = ["OCI_CLI_CONFIG_FILE": config, "OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING": ""]
        let r = try h.run(["channel", "build", "--output", "id"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        let warnings = r.stderr.split(separator: "\n").filter { $0.hasPrefix("warning:") }
        #expect(warnings == [
            "warning: permissions on \(config) are too open (640): group or others can read it; run `chmod 600 \(config)` (or set OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING=True to silence this warning)",
            "warning: permissions on \(key) are too open (644): group or others can read it; run `chmod 600 \(key)` (or set OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING=True to silence this warning)",
        ], "one warning per file, even though channel build signs three requests")
        let quiet = try h.run(["workflow", "list"], env: env.merging(["OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING": "True"]) { $1 })
        #expect(quiet.status == 0)
        #expect(!quiet.stderr.contains("warning"))
        chmod(key, 0o600); chmod(config, 0o600)
        let tight = try h.run(["workflow", "list"], env: env)
        #expect(!tight.stderr.contains("warning"), "\(tight.stderr)")
    }

    @Test func plainHTTPToARemoteHostIsNeverSilent() throws {
        let h = try EmulatorHarness()
        let r = try h.run(["workflow", "list", "--no-retry", "--connect-timeout", "0.5"], env: ["MEDIACTL_ENDPOINT": "http://192.0.2.1:9"])
        #expect(r.stderr.contains("warning: --endpoint http://192.0.2.1:9 is plain http: TLS is off for it"), "\(r.stderr)")
        let local = try h.run(["workflow", "list"])
        #expect(!local.stderr.contains("warning"))
    }

    @Test func noFlagOrVariableTurnsTLSVerificationOff() throws {
        let h = try EmulatorHarness()
        for flag in ["--insecure", "-k", "--no-verify", "--no-verify-ssl", "--skip-tls-verify"] {
            let r = try h.run(["workflow", "list", flag])
            #expect(r.status == 64, "\(flag) must not exist")
        }
        // A self-signed server: with every variable other tools honour, the certificate is still refused.
        let tls = try SelfSignedTLSServer()
        defer { tls.stop() }
        let env = ["MEDIACTL_ENDPOINT": tls.baseURL, "CURL_INSECURE": "1", "OCI_CLI_INSECURE": "true", "MEDIACTL_INSECURE": "1",
                   "PYTHONHTTPSVERIFY": "0", "NODE_TLS_REJECT_UNAUTHORIZED": "0", "GIT_SSL_NO_VERIFY": "1", "CURL_CA_BUNDLE": "",
                   "SSL_CERT_FILE": "\(tls.dir.path)/nothing.pem", "REQUESTS_CA_BUNDLE": ""]
        let r = try h.run(["workflow", "list", "--no-retry"], env: env)
        #expect(r.status == 7)
        #expect(r.stderr.lowercased().contains("certificate"), "\(r.stderr)")
    }
}

@Suite struct TimeoutTests {
    @Test func aStalledServerHitsTheReadTimeoutAndExitsSevenPromptly() throws {
        let h = try EmulatorHarness()
        let server = try MisbehavingServer(.stall)
        defer { server.stop() }
        let started = Date()
        let r = try h.run(["workflow", "list", "--read-timeout", "1", "--no-retry"], env: ["MEDIACTL_ENDPOINT": server.baseURL])
        let took = Date().timeIntervalSince(started)
        #expect(r.status == 7)
        #expect(r.stderr.contains("error: GET \(server.baseURL)/20211101/mediaWorkflows timed out"), "\(r.stderr)")
        #expect(took < 3, "took \(took) s")
        // With retries, a GET is tried again, but the whole call stays bounded.
        let again = Date()
        let retried = try h.run(["workflow", "list", "--read-timeout", "1", "--max-retries", "1"], env: ["MEDIACTL_ENDPOINT": server.baseURL])
        #expect(retried.status == 7)
        #expect(server.requestCount == 3)
        #expect(Date().timeIntervalSince(again) < 6)
    }

    @Test func aServerDrippingOneByteASecondIsCutOffAtTheTotalTimeout() throws {
        let h = try EmulatorHarness()
        let server = try MisbehavingServer(.drip(MisbehavingServer.response(#"{"items": []}"#), interval: 1))
        defer { server.stop() }
        let started = Date()
        let r = try h.run(["workflow", "list", "--read-timeout", "2", "--no-retry"], env: ["MEDIACTL_ENDPOINT": server.baseURL])
        let took = Date().timeIntervalSince(started)
        #expect(r.status == 7)
        #expect(r.stderr.contains("timed out"), "\(r.stderr)")
        #expect(took >= 1.8 && took < 4, "took \(took) s")
    }

    @Test func jobWaitGivesUpAtItsTimeoutWithExitEight() throws {
        let h = try EmulatorHarness(pollsInProgress: 1000)
        let wf = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let job = try h.run(["job", "run", "--workflow-id", wf, "--source-bucket", "a", "--destination-bucket", "b", "--namespace", "n",
                             "--source-video", "v", "--output-prefix", "p", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let started = Date()
        let r = try h.run(["job", "wait", job, "--timeout", "2"])
        #expect(r.status == 8, "\(r.stderr)")
        #expect(r.stderr.contains("after 2 s"))
        #expect(Date().timeIntervalSince(started) < 5)
    }

    /// A wait's --timeout bounds the whole wait, even when a poll's request itself never returns.
    @Test func jobWaitOnAStalledServerStopsAtItsTimeout() throws {
        let h = try EmulatorHarness()
        let server = try MisbehavingServer(.stall)
        defer { server.stop() }
        let started = Date()
        let r = try h.run(["job", "wait", "ocid1.mediaworkflowjob.oc1.iad.aaaa", "--timeout", "2"], env: ["MEDIACTL_ENDPOINT": server.baseURL])
        let took = Date().timeIntervalSince(started)
        #expect(r.status == 7, "\(r.stderr)")
        #expect(r.stderr.contains("timed out"))
        #expect(took < 5, "took \(took) s")
    }
}

@Suite struct InterruptTests {
    @Test func ctrlCInTheMiddleOfARequestExits130WithTheTerminalSane() throws {
        let h = try EmulatorHarness()
        let server = try MisbehavingServer(.stall)
        defer { server.stop() }
        let pty = try PseudoTerminalSession(["workflow", "list"], environment: h.environment.merging(["MEDIACTL_ENDPOINT": server.baseURL]) { $1 })
        let deadline = Date().addingTimeInterval(10)
        while server.requestCount == 0 && Date() < deadline { usleep(20_000) }
        #expect(server.requestCount == 1)
        let started = Date()
        pty.interrupt()
        #expect(pty.waitForExit(timeout: 5) == 130)
        #expect(Date().timeIntervalSince(started) < 2, "stops promptly")
        #expect(pty.output.contains("interrupted during GET \(server.baseURL)/20211101/mediaWorkflows"), "\(pty.output)")
        #expect(pty.terminalIsSane)
    }

    @Test func sigtermInTheMiddleOfARequestExits143() throws {
        let h = try EmulatorHarness()
        let server = try MisbehavingServer(.stall)
        defer { server.stop() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        process.arguments = ["workflow", "list"]
        process.environment = h.environment.merging(["MEDIACTL_ENDPOINT": server.baseURL]) { $1 }
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        let deadline = Date().addingTimeInterval(10)
        while server.requestCount == 0 && Date() < deadline { usleep(20_000) }
        let started = Date()
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning && Date().timeIntervalSince(started) < 5 { usleep(10_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        #expect(process.terminationStatus == 143)
        #expect(Date().timeIntervalSince(started) < 2, "stops promptly")
    }

    @Test func ctrlCDuringASecondCreateNamesWhatTheFirstCreated() throws {
        let channel = "ocid1.mediastreamdistributionchannel.oc1.iad.first"
        let server = try LoopbackServer { request in
            if request.path.hasSuffix("/streamDistributionChannels") {
                return HTTPResponse(status: 200, body: Data(#"{"id": "\#(channel)", "displayName": "d"}"#.utf8))
            }
            usleep(8_000_000)   // the CDN config create never answers in time
            return HTTPResponse(status: 503)
        }
        defer { server.stop() }
        let h = try EmulatorHarness()
        let pty = try PseudoTerminalSession(["channel", "build"], environment: h.environment.merging(["MEDIACTL_ENDPOINT": server.baseURL]) { $1 })
        #expect(pty.expect("Created distribution channel \(channel)"))
        usleep(300_000)
        pty.interrupt()
        #expect(pty.waitForExit(timeout: 5) == 130)
        #expect(pty.output.contains("created before the failure: channel \(channel)"), "\(pty.output)")
        #expect(pty.output.contains("interrupted during POST \(server.baseURL)/20211101/streamCdnConfigs"))
        // The interrupted create may have gone through: say so, and how to rerun without a second one.
        #expect(pty.output.contains("the interrupted request may have reached the service: it may have created the resource"), "\(pty.output)")
        #expect(pty.output.contains("rerun with --retry-token "), "\(pty.output)")
        #expect(pty.terminalIsSane)
    }
}
