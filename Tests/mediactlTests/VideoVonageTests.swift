// The video commands with Vonage credentials (application ID + private key), through the built binary against the
// emulator acting as a Vonage application on loopback: every call's Bearer RS256 JWT verified with the public key,
// paths under the application ID; client tokens decoded claim by claim; bad credential input refused before sending.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

extension OpenTokHarness {
    /// Runs the binary and checks what holds for every Vonage run: the key never printed, no crash.
    func vonage(_ args: [String], env: [String: String] = [:]) throws -> CLIResult {
        let r = try run(args, env: env)
        let pem = String(decoding: Fixtures.data(Fixtures.key("test_key_pkcs8.pem")), as: UTF8.self)
        for line in pem.split(separator: "\n") where !line.hasPrefix("-----") {
            #expect(!r.stdout.contains(line) && !r.stderr.contains(line), "a line of the private key leaked")
        }
        #expect(!r.stderr.contains("Fatal error") && !r.stderr.contains("Stack dump"))
        return r
    }

    /// The last call was signed by the application: a Bearer JWT the emulator verified, no X-OPENTOK-AUTH.
    func expectBearer(_ call: OpenTokCall?, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let call = try #require(call, sourceLocation: sourceLocation)
        #expect(call.header("x-opentok-auth") == nil, sourceLocation: sourceLocation)
        let bearer = try #require(call.header("authorization"), sourceLocation: sourceLocation)
        let claims = try #require(RS256JWT.verify(String(bearer.dropFirst("Bearer ".count)), publicKey: try Fixtures.requiredPublicKey()),
                                  sourceLocation: sourceLocation)
        #expect(claims.objectValue?.map(\.0) == ["application_id", "iat", "jti", "exp"], sourceLocation: sourceLocation)
        #expect(claims["application_id"]?.stringValue == Self.applicationID, sourceLocation: sourceLocation)
        #expect((claims["exp"]?.intValue ?? 0) - (claims["iat"]?.intValue ?? 0) == 900, sourceLocation: sourceLocation)
        #expect(call.claims == claims, "the emulator verified the same claims", sourceLocation: sourceLocation)
    }
}

@Suite struct VideoVonageTests {
    static let p = "/v2/project/\(OpenTokHarness.applicationID)"

    @Test func archiveStartStopWithVonageCredentials() throws {
        let h = try OpenTokHarness(vonage: true)
        let (session, _, _) = h.sessionWithClients(1)
        let start = try h.vonage(["archive", "start", "--session-id", session, "--name", "Standup", "-o", "id"])
        #expect(start.status == 0, "\(start.stderr)")
        let id = start.out
        let call = try #require(h.lastCall)
        #expect(call.method == "POST" && call.path == "\(Self.p)/archive" && call.status == 200)
        // vonage-video 1.6.1's CreateArchiveRequest(session_id=..., name="Standup"): only the keys given.
        #expect(call.bodyText == #"{"sessionId":"\#(session)","name":"Standup"}"#)
        try h.expectBearer(call)

        let stop = try h.vonage(["archive", "stop", id, "-o", "json"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(stop.json?["status"] == "stopped")
        #expect(h.lastCall?.method == "POST" && h.lastCall?.path == "\(Self.p)/archive/\(id)/stop" && h.lastCall?.body.isEmpty == true)
        try h.expectBearer(h.lastCall)
        // Two calls, two JWTs: each with its own jti.
        let jtis = h.emulator.calls.compactMap { $0.claims?["jti"]?.stringValue }
        #expect(jtis.count == 2 && Set(jtis).count == 2)
    }

    @Test func broadcastStartListStopWithVonageCredentials() throws {
        let h = try OpenTokHarness(vonage: true)
        let (session, _, _) = h.sessionWithClients(1)
        let start = try h.vonage(["broadcast", "start", "--session-id", session, "--hls", "--rtmp", "yt=rtmp://a.rtmp.youtube.com/live2/KEY1", "-o", "id"])
        #expect(start.status == 0, "\(start.stderr)")
        let id = start.out
        #expect(h.lastCall?.path == "\(Self.p)/broadcast" && h.lastCall?.status == 200)
        try h.expectBearer(h.lastCall)

        let list = try h.vonage(["broadcast", "list", "--session-id", session, "--count", "10", "-o", "id"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdoutLines == [id])
        #expect(h.lastCall?.method == "GET" && h.lastCall?.path == "\(Self.p)/broadcast" && h.lastCall?.query == "count=10&sessionId=\(session)")
        try h.expectBearer(h.lastCall)

        let stop = try h.vonage(["broadcast", "stop", id, "-o", "json"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(stop.json?["status"] == "stopped")
        #expect(h.lastCall?.path == "\(Self.p)/broadcast/\(id)/stop")
        try h.expectBearer(h.lastCall)
    }

    @Test func sessionCreateSignalAndSIPDialWithVonageCredentials() throws {
        let h = try OpenTokHarness(vonage: true)
        let create = try h.vonage(["session", "create", "--media-mode", "routed"])
        #expect(create.status == 0, "\(create.stderr)")
        let session = create.out
        #expect(OpenTokSessionID.parts(session)?.contains(OpenTokHarness.applicationID) == true)
        // vonage-video's SessionOptions(media_mode=ROUTED) form, less its media_mode (docs/vonage-decisions.md).
        #expect(h.lastCall?.path == "/session/create" && h.lastCall?.bodyText == "p2p.preference=disabled")
        try h.expectBearer(h.lastCall)

        // The SIP participant's token is a Vonage client token: the emulator checks it with the application's public key.
        let dial = try h.vonage(["sip", "dial", "--session-id", session, "--uri", "sip:alice@sip.example.com", "-o", "json"])
        #expect(dial.status == 0, "\(dial.stderr)")
        let body = try #require(try? JSONParser.parse(h.lastCall?.body ?? Data()))
        let token = try #require(body["token"]?.stringValue)
        let claims = try #require(RS256JWT.verify(token, publicKey: try Fixtures.requiredPublicKey()))
        #expect(claims["session_id"]?.stringValue == session && claims["role"] == "publisher" && claims["subject"] == "video")
        try h.expectBearer(h.lastCall)
    }

    /// The printed token, decoded claim by claim and verified with the public key; nothing is sent.
    @Test func tokenIsTheVonageClientJWT() throws {
        let h = try OpenTokHarness(vonage: true)
        let session = h.emulator.seedSession()
        let before = Int(Date().timeIntervalSince1970)
        let r = try h.vonage(["token", "--session-id", session, "--role", "moderator", "--expires-in", "3600", "--data", "name=Johnny",
                              "--layout-class", "focus", "--layout-class", "inactive"])
        let after = Int(Date().timeIntervalSince1970)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutLines.count == 1 && r.stderr.isEmpty)
        let decoded = try #require(HS256JWT.decode(r.out))
        #expect(decoded.header.compactText == #"{"alg":"RS256","typ":"JWT"}"#)
        let c = try #require(RS256JWT.verify(r.out, publicKey: try Fixtures.requiredPublicKey()))
        #expect(c.objectValue?.map(\.0) == ["session_id", "role", "connection_data", "initial_layout_class_list", "exp", "jti", "iat", "subject",
                                            "scope", "acl", "application_id"])
        #expect(c["session_id"]?.stringValue == session)
        #expect(c["role"] == "moderator")
        #expect(c["connection_data"] == "name=Johnny")
        #expect(c["initial_layout_class_list"]?.compactText == #"["focus","inactive"]"#)
        let iat = try #require(c["iat"]?.intValue)
        #expect((before...after).contains(iat))
        #expect(c["exp"]?.intValue == iat + 3600)
        #expect(UUID(uuidString: c["jti"]?.stringValue ?? "") != nil)
        #expect(c["subject"] == "video")
        #expect(c["scope"] == "session.connect")
        #expect(c["acl"]?.compactText == #"{"paths":{"/session/**":{}}}"#)
        #expect(c["application_id"]?.stringValue == OpenTokHarness.applicationID)
        #expect(h.requestCount == 0, "tokens are made locally")

        // Default lifetime: the SDK's 15 minutes; JSON output says so.
        let json = try #require(try h.vonage(["token", "--session-id", session, "-o", "json"]).json)
        let claims = try #require(RS256JWT.verify(json["token"]?.stringValue ?? "", publicKey: try Fixtures.requiredPublicKey()))
        #expect((claims["exp"]?.intValue ?? 0) - (claims["iat"]?.intValue ?? 0) == 900)
        #expect(claims["exp"] == json["expireTime"])
    }

    /// Flags instead of the environment, and an encrypted key with its pass phrase from VONAGE_PRIVATE_KEY_PASSPHRASE.
    @Test func flagsAndAnEncryptedKeyWork() throws {
        let h = try OpenTokHarness(vonage: true)
        let session = h.emulator.seedSession()
        let encrypted = h.dir.write("encrypted.key", String(decoding: Fixtures.data(Fixtures.key("test_key_enc_pkcs1.pem")), as: UTF8.self))
        let env = ["VONAGE_APPLICATION_ID": "", "VONAGE_PRIVATE_KEY_PATH": "", "VONAGE_PRIVATE_KEY_PASSPHRASE": Fixtures.passphrase]
        let r = try h.vonage(["archive", "list", "--session-id", session, "--application-id", OpenTokHarness.applicationID,
                              "--private-key-file", encrypted, "--video-url", h.server.baseURL, "-o", "json"], env: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.json?["count"] == 0)
        try h.expectBearer(h.lastCall)
        #expect(!r.stderr.contains(Fixtures.passphrase))
    }

    /// --debug names the platform and why, and shows the Bearer header redacted.
    @Test func debugSaysWhichPlatformWithoutSecrets() throws {
        let h = try OpenTokHarness(vonage: true)
        let r = try h.vonage(["archive", "list", "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("Video platform: Vonage Video API at \(h.server.baseURL)/ (application \(OpenTokHarness.applicationID), Bearer RS256 JWT; chosen by VONAGE_APPLICATION_ID, VONAGE_PRIVATE_KEY_PATH)"))
        #expect(r.stderr.lowercased().contains("authorization: bearer [redacted]"))
        #expect(!r.stderr.contains("eyJ"), "no JWT in the log")

        let o = try OpenTokHarness()
        let ot = try o.run(["archive", "list", "--debug"])
        #expect(ot.stderr.contains("Video platform: OpenTok at \(o.server.baseURL)/ (API key 123456, X-OPENTOK-AUTH HS256 JWT; chosen by OPENTOK_API_KEY, OPENTOK_API_SECRET)"), "\(ot.stderr)")
    }

    /// Both kinds in the environment need a choice; MEDIACTL_VIDEO_PLATFORM or --video-platform makes it, and
    /// credential flags on the line beat the environment.
    @Test func theChoiceWhenBothKindsAreSet() throws {
        let h = try OpenTokHarness(vonage: true)
        let both = ["OPENTOK_API_KEY": "123456", "OPENTOK_API_SECRET": OpenTokHarness.apiSecret, "OPENTOK_API_URL": "http://127.0.0.1:1"]
        let refused = try h.vonage(["archive", "list"], env: both)
        #expect(refused.status == 64)
        #expect(refused.stderr == "error: both OpenTok (OPENTOK_API_KEY, OPENTOK_API_SECRET) and Vonage (VONAGE_APPLICATION_ID, VONAGE_PRIVATE_KEY_PATH) credentials are set in the environment: choose with --video-platform opentok|vonage or MEDIACTL_VIDEO_PLATFORM, or unset one kind\n")
        #expect(h.requestCount == 0)
        for extra in [["MEDIACTL_VIDEO_PLATFORM": "vonage"], [:]] {
            let args = ["archive", "list"] + (extra.isEmpty ? ["--video-platform", "vonage"] : [])
            let r = try h.vonage(args, env: both.merging(extra) { _, b in b })
            #expect(r.status == 0, "\(r.stderr)")
            try h.expectBearer(h.lastCall)
        }
        let flags = try h.vonage(["archive", "list", "--application-id", OpenTokHarness.applicationID],
                                 env: both.merging(["MEDIACTL_VIDEO_PLATFORM": "opentok"]) { _, b in b })
        #expect(flags.status == 0, "\(flags.stderr)")
        try h.expectBearer(h.lastCall)
    }

    /// One bad-input case (BadInputCase.swift), run in this process.
    typealias Case = BadInputCase

    static let app = OpenTokHarness.applicationID
    static let s = OpenTokSessionID.make(apiKey: app, createdMillis: 1_700_000_000_000, random: "cmFuZG9t", routed: true)
    static let openTokSession = OpenTokSessionID.make(apiKey: "123456", createdMillis: 1, random: "eA", routed: true)
    /// Owner-only copies (a world-readable key file draws a permissions warning, a second line).
    static let keyDir: String = {
        let dir = NSTemporaryDirectory() + "mediactl-vonage-keys-\(getpid())"
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, data) in [("not-a-key.txt", Data("hello, not a key\n".utf8)), ("public.pem", Fixtures.data(Fixtures.key("test_public.pem"))),
                             ("encrypted.key", Fixtures.data(Fixtures.key("test_key_enc_pkcs8.pem")))] {
            _ = FileManager.default.createFile(atPath: "\(dir)/\(name)", contents: data, attributes: [.posixPermissions: 0o600])
        }
        return dir
    }()
    static let notPEM = keyDir + "/not-a-key.txt"
    static let publicPEM = keyDir + "/public.pem"
    static let encrypted = keyDir + "/encrypted.key"

    static let cases: [Case] = [
        Case(name: "missing key file", args: ["archive", "list", "--private-key-file", "/nonexistent/private.key"], status: 3,
             message: "error: --private-key-file /nonexistent/private.key: no such file"),
        Case(name: "missing key file from the environment", args: ["archive", "list"], env: ["VONAGE_PRIVATE_KEY_PATH": "/nonexistent/private.key"], status: 3,
             message: "error: VONAGE_PRIVATE_KEY_PATH /nonexistent/private.key: no such file"),
        Case(name: "unreadable key file (a directory)", args: ["archive", "list", "--private-key-file", "/tmp"], status: 3,
             message: "error: --private-key-file /tmp: is a directory, not a file"),
        Case(name: "not a PEM key", args: ["token", "--session-id", s, "--private-key-file", notPEM], status: 3,
             message: "error: --private-key-file \(notPEM): the file is not a PEM private key (expected -----BEGIN PRIVATE KEY-----)"),
        Case(name: "a public key", args: ["archive", "list", "--private-key-file", publicPEM], status: 3,
             message: "error: --private-key-file \(publicPEM): the file holds a public key; the application's private key (private.key from the dashboard) is needed"),
        Case(name: "encrypted key without a pass phrase", args: ["archive", "list", "--private-key-file", encrypted], status: 3,
             message: "error: --private-key-file \(encrypted): the private key is encrypted and needs a pass phrase (VONAGE_PRIVATE_KEY_PASSPHRASE)"),
        Case(name: "encrypted key with a wrong pass phrase", args: ["archive", "list", "--private-key-file", encrypted],
             env: ["VONAGE_PRIVATE_KEY_PASSPHRASE": "wrong"], status: 3,
             message: "error: --private-key-file \(encrypted): the private key could not be decrypted: the pass phrase is wrong or the file is not a private key"),
        Case(name: "no key at all", args: ["archive", "list"], env: ["VONAGE_PRIVATE_KEY_PATH": ""],
             message: "error: missing the Vonage application's private key: give --private-key-file PATH or set VONAGE_PRIVATE_KEY_PATH"),
        Case(name: "the key inline as a flag", args: ["archive", "list", "--private-key", "-----BEGIN PRIVATE KEY-----"],
             message: "error: --private-key is not accepted: a key on the command line shows in ps and shell history. Give --private-key-file PATH or set VONAGE_PRIVATE_KEY_PATH"),
        Case(name: "the key inline in the path variable", args: ["archive", "list"], env: ["VONAGE_PRIVATE_KEY_PATH": "-----BEGIN PRIVATE KEY-----\nMIIE"],
             message: "error: VONAGE_PRIVATE_KEY_PATH holds a key, not a path: save the key to a file (chmod 600) and give its path"),
        Case(name: "both kinds as flags", args: ["archive", "list", "--api-key", "123456", "--application-id", app],
             message: "error: both OpenTok (--api-key) and Vonage (--application-id) credentials were given: give one kind"),
        Case(name: "Vonage flags with --video-platform opentok", args: ["archive", "list", "--video-platform", "opentok", "--private-key-file", "k.pem"],
             message: "error: --private-key-file cannot be combined with --video-platform opentok"),
        Case(name: "unknown platform", args: ["archive", "list"], env: ["MEDIACTL_VIDEO_PLATFORM": "tokbox"],
             message: "error: --video-platform (from MEDIACTL_VIDEO_PLATFORM): expected one of opentok, vonage, got 'tokbox'"),
        Case(name: "malformed application ID", args: ["archive", "list", "--application-id", "123456"],
             message: "error: --application-id: the Vonage application ID must be a UUID such as c0ffee00-1234-4abc-8def-0123456789ab (8-4-4-4-12 hex digits), got '123456'"),
        Case(name: "malformed application ID from the environment", args: ["token", "--session-id", s], env: ["VONAGE_APPLICATION_ID": "c0ffee00-1234"],
             message: "error: --application-id (from VONAGE_APPLICATION_ID): the Vonage application ID must be a UUID"),
        Case(name: "legacy token format", args: ["token", "--session-id", s, "--format", "legacy"],
             message: "error: --format legacy: T1== tokens exist only for OpenTok credentials; Vonage client tokens are JWTs"),
        Case(name: "a session of another project", args: ["token", "--session-id", openTokSession],
             message: "error: --session-id: session \(openTokSession) does not belong to application \(app)"),
        Case(name: "token expiry too far", args: ["token", "--session-id", s, "--expire-time", "2100-01-01T00:00:00Z"],
             message: "error: --expire-time/--expires-in: the token's expire time 4102444800 (2100-01-01T00:00:00Z) is more than 30 days ahead"),
        Case(name: "OpenTok URL flag with Vonage credentials", args: ["archive", "list", "--api-url", "https://api.opentok.com"],
             message: "error: --api-url is the OpenTok URL; with Vonage credentials give --video-url"),
        Case(name: "bad Vonage URL", args: ["archive", "list"], env: ["VONAGE_VIDEO_URL": "ftp://example.com"],
             message: "error: --video-url: 'ftp://example.com' is not an http(s) URL such as https://video.api.vonage.com"),
    ]

    @Test(arguments: cases)
    func badVonageInputIsOneLineWithExitCodeAndNoRequest(c: Case) throws {
        let h = try OpenTokHarness(vonage: true)
        let pem = String(decoding: Fixtures.data(Fixtures.key("test_key_pkcs8.pem")), as: UTF8.self)
        try c.check(environment: h.environment, dir: h.dir.path, requests: { h.requestCount },
                    secrets: pem.split(separator: "\n").filter { !$0.hasPrefix("-----") }.map(String.init), oneLine: true)
    }
}

@Suite struct VideoVonageModerationTests {
    /// vonage-video names mute-all's list `excludedStreamIds` (null when none), unlike opentok's `excludedStreams`.
    @Test func muteAllSendsVonageVideosBody() throws {
        let h = try OpenTokHarness(vonage: true)
        let (session, _, streams) = h.sessionWithClients(2)
        let some = try h.vonage(["stream", "mute-all", "--session-id", session, "--exclude", streams[0]])
        #expect(some.status == 0, "\(some.stderr)")
        #expect(h.lastCall?.path == "/v2/project/\(OpenTokHarness.applicationID)/session/\(session)/mute")
        #expect(h.lastCall?.bodyText == #"{"active":true,"excludedStreamIds":["\#(streams[0])"]}"#)
        try h.expectBearer(h.lastCall)
        #expect(h.emulator.session(session)?.streams.map(\.audioMuted) == [false, true])
        let none = try h.vonage(["stream", "mute-all", "--session-id", session])
        #expect(none.status == 0, "\(none.stderr)")
        #expect(h.lastCall?.bodyText == #"{"active":true,"excludedStreamIds":null}"#)
        #expect(h.emulator.session(session)?.streams.map(\.audioMuted) == [true, true])
    }
}

@Suite(.serialized) struct VideoVonagePromptTests {
    /// On a terminal a missing application ID is asked for, and an encrypted key's pass phrase is asked for
    /// without echo; neither the pass phrase nor the key appears in the terminal's output.
    @Test func theApplicationIDAndThePassPhraseArePrompted() throws {
        let h = try OpenTokHarness(vonage: true)
        let encrypted = h.dir.write("encrypted.key", String(decoding: Fixtures.data(Fixtures.key("test_key_enc_pkcs8.pem")), as: UTF8.self))
        var env = h.environment
        env["VONAGE_APPLICATION_ID"] = nil
        env["VONAGE_PRIVATE_KEY_PATH"] = encrypted
        let pty = try PseudoTerminalSession(["archive", "list", "--output", "json"], environment: env)
        #expect(pty.expect("Vonage application ID: "))
        pty.send("\(OpenTokHarness.applicationID)\r")
        #expect(pty.expect("Pass phrase for the Vonage private key (input hidden): "))
        let mark = pty.output.count
        pty.send("\(Fixtures.passphrase)\r")
        #expect(pty.waitForExit() == 0, "\(pty.output)")
        #expect(pty.expect("\"count\"", after: mark))
        #expect(!pty.output.contains(Fixtures.passphrase), "the pass phrase was echoed")
        #expect(pty.terminalIsSane)
        #expect(h.emulator.calls.count == 1 && h.emulator.calls[0].status == 200)
    }
}

@Suite struct VideoVonageDebugTests {
    /// Every kind of Vonage call under --debug: the Bearer JWT, the client tokens in bodies, the key and its pass
    /// phrase never reach stderr or stdout.
    @Test func debugRedactsEveryVonageFlow() throws {
        let h = try OpenTokHarness(vonage: true)
        let (session, _, _) = h.sessionWithClients(1)
        let encrypted = h.dir.write("encrypted.key", String(decoding: Fixtures.data(Fixtures.key("test_key_enc_pkcs1.pem")), as: UTF8.self))
        let env = ["VONAGE_PRIVATE_KEY_PATH": encrypted, "VONAGE_PRIVATE_KEY_PASSPHRASE": Fixtures.passphrase]
        let flows: [[String]] = [
            ["session", "create", "--media-mode", "routed"],
            ["archive", "start", "--session-id", session],
            ["sip", "dial", "--session-id", session, "--uri", "sip:alice@sip.example.com"],
            ["captions", "start", "--session-id", session],
            ["render", "start", "--session-id", session, "--url", "https://example.com/page"],
            ["audio-connector", "start", "--session-id", session, "--uri", "wss://example.com/audio"],
        ]
        for flow in flows {
            let r = try h.vonage(flow + ["--debug"], env: env)
            #expect(r.status == 0, "\(flow): \(r.stderr)")
            #expect(r.stderr.contains("debug: > Authorization: Bearer [REDACTED]"), "\(flow)")
            #expect(!r.stderr.contains("eyJ"), "\(flow): a JWT in the log")
            #expect(!r.stderr.contains(Fixtures.passphrase) && !r.stdout.contains(Fixtures.passphrase), "\(flow)")
        }
        #expect(h.emulator.calls.allSatisfy { $0.status < 300 })
    }
}
