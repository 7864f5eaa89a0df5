// Credentials and failures: where the secret may come from (never a flag), the no-echo prompt on a
// real pseudo-terminal, --debug redaction, service errors mapped to exit codes, retries that must
// not repeat a non-idempotent call, and the emulator's X-OPENTOK-AUTH checks.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct VideoCredentialTests {
    @Test func secretFileOnTheLineWinsOverTheEnvironment() throws {
        let h = try OpenTokHarness()
        let file = h.dir.write("secret", OpenTokHarness.apiSecret + "\n")
        let r = try h.video(["archive", "list", "--api-secret-file", file], env: ["OPENTOK_API_SECRET": "wrong-secret"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("warning"))
        let wrong = try h.video(["archive", "list"], env: ["OPENTOK_API_SECRET": "wrong-secret"])
        #expect(wrong.status == 4)
    }

    @Test func secretFileFromTheEnvironmentOrTheDefaultsFileAndAWarningWhenReadable() throws {
        let h = try OpenTokHarness()
        let file = h.dir.write("secret", OpenTokHarness.apiSecret, mode: 0o644)
        let viaEnv = try h.video(["archive", "list"], env: ["OPENTOK_API_SECRET": "", "OPENTOK_API_SECRET_FILE": file])
        #expect(viaEnv.status == 0, "\(viaEnv.stderr)")
        #expect(viaEnv.stderr.contains("warning: --api-secret-file \(file) can be read by other users; chmod 600 \(file)"))
        let defaults = h.dir.write(".config/mediactl/defaults", "[DEFAULT]\napi-key = 123456\napi-secret-file = \(file)\n")
        let viaDefaults = try h.video(["archive", "list", "--defaults-file", defaults], env: ["OPENTOK_API_SECRET": "", "OPENTOK_API_KEY": ""])
        #expect(viaDefaults.status == 0, "\(viaDefaults.stderr)")
        #expect(h.emulator.calls.allSatisfy { $0.status == 200 })
    }

    @Test func wrongCredentialsAreAnAuthFailure() throws {
        let h = try OpenTokHarness()
        let secret = try h.video(["archive", "list"], env: ["OPENTOK_API_SECRET": "not-the-secret"])
        #expect(secret.status == 4)
        #expect(secret.stderr == "error: OpenTok refused the credentials (check the API key, the API secret and this machine's clock): 403 Forbidden: Invalid X-OPENTOK-AUTH signature (GET \(h.server.baseURL)/v2/project/123456/archive)\n")
        #expect(!secret.stderr.contains("not-the-secret"))
        let key = try h.video(["broadcast", "list"], env: ["OPENTOK_API_KEY": "654321"])
        #expect(key.status == 4)
        #expect(key.stderr.contains("403 Forbidden: X-OPENTOK-AUTH iss must be the API key as a string (GET \(h.server.baseURL)/v2/project/654321/broadcast)"))
    }

    /// Every call carries a fresh JWT: distinct jti, iss = the key, ist = project, 180 s lifetime.
    @Test func everyRequestCarriesAFreshJWT() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        for _ in 0..<3 { _ = try h.video(["archive", "list"]) }
        _ = try h.video(["archive", "start", "--session-id", session])
        let claims = h.emulator.calls.compactMap(\.claims)
        #expect(claims.count == 4)
        #expect(Set(claims.compactMap { $0["jti"]?.stringValue }).count == 4)
        for c in claims {
            #expect(c.objectValue?.map(\.0) == ["ist", "iat", "exp", "iss", "jti"])
            #expect(c["iss"] == "123456" && c["ist"] == "project")
            #expect((c["exp"]?.intValue ?? 0) - (c["iat"]?.intValue ?? 0) == 180)
        }
    }

    /// --debug logs each request and answer with the JWT, client token and SIP password redacted.
    @Test func debugOutputIsRedacted() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        let r = try h.video(["sip", "dial", "--session-id", session, "--uri", "sip:a@b", "--auth-user", "bob", "--debug"],
                            env: ["OPENTOK_SIP_PASSWORD": "pa55word"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("debug: > POST \(h.server.baseURL)/v2/project/123456/dial"))
        #expect(r.stderr.contains("debug: > X-OPENTOK-AUTH: [REDACTED]"))
        #expect(r.stderr.contains(#""token":"[REDACTED]""#) && r.stderr.contains(#""password":"[REDACTED]""#))
        #expect(r.stderr.contains("debug: < HTTP 200"))
        #expect(!r.stderr.contains("eyJ"), "no JWT (header, client token) may reach stderr")
        #expect(!r.stderr.contains("pa55word"))
    }
}

@Suite struct VideoServiceErrorTests {
    @Test func aBadRequestIsExit1WithTheServicesMessage() throws {
        let h = try OpenTokHarness()
        let foreign = OpenTokSessionID.make(apiKey: "999", createdMillis: 1, random: "eA", routed: true)
        let r = try h.video(["archive", "start", "--session-id", foreign])
        #expect(r.status == 1)
        #expect(r.stderr == "error: 400 BadRequest: Invalid session ID \(foreign) (POST \(h.server.baseURL)/v2/project/123456/archive)\n")
    }

    @Test func aRelayedSessionCannotBeArchived() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1, routed: false)
        let r = try h.video(["archive", "start", "--session-id", session])
        #expect(r.status == 6 && r.stderr.contains("is relayed (p2p): archiving needs the routed media mode"))
    }

    @Test func unknownSessionIsNotFound() throws {
        let h = try OpenTokHarness()
        let unknown = OpenTokSessionID.make(apiKey: "123456", createdMillis: 1, random: "eA", routed: true)
        let r = try h.video(["stream", "list", "--session-id", unknown])
        #expect(r.status == 5 && r.stderr.contains("404 NotFound: Session \(unknown) not found"))
    }

    @Test func unreachableServiceIsANetworkError() throws {
        let h = try OpenTokHarness()
        let r = try h.video(["archive", "list", "--no-retry"], env: ["OPENTOK_API_URL": "http://127.0.0.1:1"])
        #expect(r.status == 7 && r.stderr.contains("error: GET http://127.0.0.1:1/v2/project/123456/archive failed:"))
    }

    /// A 500 to `archive start` may mean it started: sent once. A 500 to a read is retried.
    @Test func serverErrorsRetryReadsButNeverRepeatAStart() throws {
        final class Count: @unchecked Sendable {
            let lock = NSLock()
            var requests: [String] = []
        }
        let count = Count()
        let server = try LoopbackServer { request in
            count.lock.withLock { count.requests.append("\(request.method) \(request.path)") }
            return HTTPResponse(status: 500, headers: [("content-type", "application/json")], body: Data(#"{"code":500,"message":"boom"}"#.utf8))
        }
        defer { server.stop() }
        let env = ["OPENTOK_API_URL": server.baseURL, "OPENTOK_API_KEY": "123456", "OPENTOK_API_SECRET": OpenTokHarness.apiSecret, "HOME": NSTemporaryDirectory()]
        let start = try CLIRunner.run(["archive", "start", "--session-id", "1_x", "--max-retries", "1"], environment: env)
        #expect(start.status == 1)
        #expect(start.stderr.contains("error: 500 InternalServerError: boom (POST \(server.baseURL)/v2/project/123456/archive)"))
        let get = try CLIRunner.run(["archive", "get", "a-1", "--max-retries", "1"], environment: env)
        #expect(get.status == 1)
        #expect(count.lock.withLock { count.requests } == ["POST /v2/project/123456/archive", "GET /v2/project/123456/archive/a-1", "GET /v2/project/123456/archive/a-1"])
    }
}

/// The emulator refuses what the service would: every X-OPENTOK-AUTH rule, and off-shape bodies.
@Suite struct VideoEmulatorRuleTests {
    static let secret = Data(OpenTokHarness.apiSecret.utf8)
    let now = Date(timeIntervalSince1970: 1_700_000_100)

    func emulator() -> OpenTokEmulator {
        let now = self.now
        return OpenTokEmulator(apiKey: "123456", apiSecret: OpenTokHarness.apiSecret, now: { now })
    }

    func jwt(_ claims: JSONValue, secret: Data = secret) -> String { HS256JWT.sign(claims: claims, key: secret) }

    func get(_ e: OpenTokEmulator, auth: String?) -> HTTPResponse {
        var headers = [("Accept", "application/json"), ("Content-Type", "application/json")]
        if let auth { headers.append(("X-OPENTOK-AUTH", auth)) }
        return e.handle(method: "GET", target: "/v2/project/123456/archive", headers: headers, body: Data())
    }

    @Test func authRules() {
        let e = emulator()
        let good = OpenTokAuthHeader.claims(apiKey: "123456", issuedAt: 1_700_000_100, jti: "j1")
        #expect(get(e, auth: jwt(good)).status == 200)
        #expect(get(e, auth: jwt(good)).status == 403, "a jti is used once")
        let cases: [(String?, String)] = [
            (nil, "Missing X-OPENTOK-AUTH header"),
            ("not.a.jwt", "X-OPENTOK-AUTH is not a JWT"),
            (jwt(OpenTokAuthHeader.claims(apiKey: "123456", issuedAt: 1_700_000_100, jti: "j2"), secret: Data("x".utf8)), "Invalid X-OPENTOK-AUTH signature"),
            (jwt(OpenTokAuthHeader.claims(apiKey: "654321", issuedAt: 1_700_000_100, jti: "j3")), "X-OPENTOK-AUTH iss must be the API key as a string"),
            (jwt(["ist": "account", "iat": 1_700_000_100, "exp": 1_700_000_200, "iss": "123456", "jti": "j4"]), "X-OPENTOK-AUTH ist must be \"project\""),
            (jwt(OpenTokAuthHeader.claims(apiKey: "123456", issuedAt: 1_699_999_900, jti: "j5")), "X-OPENTOK-AUTH has expired"),
            (jwt(OpenTokAuthHeader.claims(apiKey: "123456", issuedAt: 1_700_000_200, jti: "j6")), "X-OPENTOK-AUTH iat is in the future"),
            (jwt(["ist": "project", "iat": 1_700_000_100, "exp": 1_700_000_500, "iss": "123456", "jti": "j7"]), "X-OPENTOK-AUTH lives longer than 5 minutes"),
            (jwt(["ist": "project", "iat": 1_700_000_100, "exp": 1_700_000_200, "iss": "123456"]), "X-OPENTOK-AUTH needs a jti"),
        ]
        for (token, message) in cases {
            let r = get(e, auth: token)
            #expect(r.status == 403, "\(message)")
            #expect((try? JSONParser.parse(r.body))?["message"]?.stringValue == message)
        }
    }

    @Test func bodiesMustHaveTheSDKsShape() {
        let e = emulator()
        let session = e.seedSession()
        var n = 0
        func post(_ path: String, _ body: String, contentType: String = "application/json") -> (Int, String) {
            n += 1
            let auth = jwt(OpenTokAuthHeader.claims(apiKey: "123456", issuedAt: 1_700_000_100, jti: "b\(n)"))
            let r = e.handle(method: "POST", target: path, headers: [("Accept", "application/json"), ("Content-Type", contentType), ("X-OPENTOK-AUTH", auth)],
                             body: Data(body.utf8))
            return (r.status, (try? JSONParser.parse(r.body))?["message"]?.stringValue ?? "")
        }
        // The start body without opentok's explicit nulls is what vonage-video sends: the service takes it.
        #expect(post("/v2/project/123456/archive", #"{"sessionId":"\#(session)","hasAudio":true,"hasVideo":true,"outputMode":"composed","streamMode":"auto"}"#).0
                == 200)
        #expect(post("/v2/project/123456/archive", #"{"name":null,"sessionId":"\#(session)","hasAudio":true,"hasVideo":true,"outputMode":"individual","resolution":"1280x720","streamMode":"auto","multiArchiveTag":null,"maxBitrate":null}"#)
                == (400, "Resolution can't be set for individual output mode"))
        #expect(post("/v2/project/123456/archive", #"{"name":null,"sessionId":"\#(session)","hasAudio":true,"hasVideo":true,"outputMode":"composed","resolution":null,"streamMode":"auto","multiArchiveTag":null,"maxBitrate":null,"colour":"red"}"#)
                == (400, "Unexpected field 'colour' in archive"))
        #expect(post("/v2/project/123456/broadcast", #"{"sessionId":"\#(session)","streamMode":"auto","outputs":{"hls":{"lowLatency":true,"dvr":true}}}"#)
                == (400, "HLS lowLatency and dvr cannot both be true"))
        #expect(post("/v2/project/123456/session/\(session)/signal", #"{"type":"chat","data":"hi"}"#, contentType: "text/plain")
                == (400, "Content-Type must be application/json"))
        // vonage-video's form: its own order and a media_mode the service ignores; a field twice is still refused.
        #expect(post("/session/create", "archiveMode=manual&media_mode=routed&e2ee=false&p2p.preference=disabled",
                     contentType: "application/x-www-form-urlencoded").0 == 200)
        #expect(post("/session/create", "p2p.preference=enabled&p2p.preference=disabled", contentType: "application/x-www-form-urlencoded")
                == (400, "Session property 'p2p.preference' given twice"))
        #expect(post("/v2/project/123456/session/\(session)/signal", #"{"type":"\#(String(repeating: "t", count: 129))","data":"x"}"#).0 == 413)
    }
}

#if os(Linux)
/// The secret prompt on a real pseudo-terminal: nothing typed is echoed, and echo is back on afterwards.
@Suite struct VideoSecretPromptTests {
    final class Terminal {
        let master: Int32
        let slave: Int32

        /// Linux's /dev/ptmx: Swift's Glibc module hides posix_openpt/ptsname, so unlock (TIOCSPTLCK)
        /// and ask the number (TIOCGPTN) with the kernel's ioctls.
        init() throws {
            master = open("/dev/ptmx", O_RDWR | O_NOCTTY)
            var unlock: Int32 = 0
            var number: UInt32 = 0
            guard master >= 0, ioctl(master, UInt(0x4004_5431), &unlock) == 0, ioctl(master, UInt(0x8004_5430), &number) == 0 else {
                throw CocoaError(.fileNoSuchFile)
            }
            slave = open("/dev/pts/\(number)", O_RDWR | O_NOCTTY)
            guard slave >= 0 else { throw CocoaError(.fileNoSuchFile) }
        }

        deinit {
            close(master)
            close(slave)
        }

        /// Reads what the program wrote until `text` appears or `timeout` passes.
        func read(until text: String?, process: Process, timeout: Double = 20) -> String {
            var out = Data()
            let deadline = Date().addingTimeInterval(timeout)
            while Date() < deadline {
                var fds = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
                if poll(&fds, 1, 50) > 0 {
                    var buffer = [UInt8](repeating: 0, count: 4096)
                    let n = Foundation.read(master, &buffer, buffer.count)
                    if n > 0 { out.append(contentsOf: buffer[0..<n]) }
                } else if !process.isRunning {
                    break
                }
                if let text, String(decoding: out, as: UTF8.self).contains(text) { break }
            }
            return String(decoding: out, as: UTF8.self)
        }

        func write(_ text: String) { _ = text.withCString { Foundation.write(master, $0, strlen($0)) } }

        var echoIsOn: Bool {
            var t = termios()
            return tcgetattr(slave, &t) == 0 && (t.c_lflag & tcflag_t(ECHO)) != 0
        }
    }

    func launch(_ h: OpenTokHarness, _ args: [String], on terminal: Terminal) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        process.arguments = args
        var env = h.environment
        env["OPENTOK_API_SECRET"] = nil
        env["TERM"] = "dumb"
        process.environment = env
        let handle = FileHandle(fileDescriptor: terminal.slave, closeOnDealloc: false)
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    @Test func theSecretIsAskedForWithoutEcho() throws {
        let h = try OpenTokHarness()
        let terminal = try Terminal()
        #expect(terminal.echoIsOn)
        let process = try launch(h, ["archive", "list", "--output", "json"], on: terminal)
        let prompt = terminal.read(until: "OpenTok API secret (input hidden): ", process: process)
        #expect(prompt.contains("OpenTok API secret (input hidden): "))
        terminal.write(OpenTokHarness.apiSecret + "\n")
        let rest = terminal.read(until: nil, process: process)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(rest)")
        #expect(!rest.contains(OpenTokHarness.apiSecret), "the typed secret was echoed")
        #expect(rest.contains(#""count": 0"#))
        #expect(h.emulator.calls.count == 1 && h.emulator.calls[0].status == 200)
        #expect(terminal.echoIsOn, "echo must be restored")
    }

    @Test func ctrlDAtThePromptCancelsAndRestoresEcho() throws {
        let h = try OpenTokHarness()
        let terminal = try Terminal()
        let process = try launch(h, ["archive", "list"], on: terminal)
        _ = terminal.read(until: "(input hidden): ", process: process)
        terminal.write("\u{04}")
        _ = terminal.read(until: nil, process: process)
        process.waitUntilExit()
        #expect(process.terminationStatus == 2)
        #expect(h.emulator.calls.isEmpty)
        #expect(terminal.echoIsOn)
    }
}
#endif
