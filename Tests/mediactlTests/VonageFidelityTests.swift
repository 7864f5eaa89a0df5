// Issue 14, defect 6 (docs/vonage-decisions.md), the real binary against the OpenTok/Vonage emulator on loopback:
// `session create`'s default follows each platform's SDK; `audio-connector start` can send websocket.audioTransport
// in each SDK's form; captions, render and the Audio Connector take a client token of the user's own, never echoed.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct VonageFidelityTests {
    // MARK: session create

    @Test func withoutAMediaModeOpenTokIsRelayedAndVonageRoutedAsTheirSDKs() throws {
        let openTok = try OpenTokHarness()
        let relayed = try openTok.run(["session", "create", "--output", "id"])
        #expect(relayed.status == 0, "\(relayed.stderr)")
        #expect(openTok.lastCall?.bodyText == "p2p.preference=enabled&archiveMode=manual&e2ee=false")  // opentok 3.15 create_session()
        #expect(relayed.stderr.contains("Created relayed session"))
        // A relayed session cannot take the Audio Connector: the emulator answers 409.
        let refused = try openTok.run(["audio-connector", "start", "--session-id", relayed.out, "--uri", "wss://example.com/audio"])
        #expect(refused.status == 6, "\(refused.stderr)")

        let vonage = try OpenTokHarness(vonage: true)
        let routed = try vonage.run(["session", "create", "--output", "id"])
        #expect(routed.status == 0, "\(routed.stderr)")
        #expect(vonage.lastCall?.bodyText == "p2p.preference=disabled")  // vonage-video create_session(SessionOptions())
        #expect(routed.stderr.contains("Created routed session"))
        let connected = try vonage.run(["audio-connector", "start", "--session-id", routed.out, "--uri", "wss://example.com/audio"])
        #expect(connected.status == 0, "the default Vonage session is routed: \(connected.stderr)")

        // Chosen explicitly, the mode is what was asked on either platform; Vonage leaves the API's defaults out.
        #expect(try vonage.run(["session", "create", "--media-mode", "relayed"]).status == 0)
        #expect(vonage.lastCall?.bodyText == "p2p.preference=enabled")
        #expect(try vonage.run(["session", "create", "--archive-mode", "always", "--archive-name", "Standup", "--e2ee",
                                "--location", "12.34.56.78"]).status == 0)
        #expect(vonage.lastCall?.bodyText == "archiveMode=always&archiveName=Standup&location=12.34.56.78&e2ee=true&p2p.preference=disabled")
        #expect(try openTok.run(["session", "create", "--media-mode", "routed"]).status == 0)
        #expect(openTok.lastCall?.bodyText == "p2p.preference=disabled&archiveMode=manual&e2ee=false")
    }

    @Test func theVonageApplicationTakesVonageVideosOwnForms() throws {
        let h = try OpenTokHarness(vonage: true)
        let credentials = try VonageCredentials(applicationID: OpenTokHarness.applicationID,
                                                privateKeyPEM: Fixtures.data(Fixtures.key("test_key_pkcs8.pem")))
        func create(_ body: String, contentType: String?) throws -> Int {
            let token = try VonageAuthHeader.make(credentials, now: Date(), jti: VonageAuthHeader.randomJTI())
            var headers = [("Accept", "application/json"), ("Authorization", "Bearer \(token)")]
            if let contentType { headers.append(("Content-Type", contentType)) }
            return h.emulator.handle(method: "POST", target: "/session/create", headers: headers, body: Data(body.utf8)).status
        }
        #expect(try create("", contentType: nil) == 200, "create_session() with no options posts nothing")
        #expect(try create("archiveMode=always&media_mode=routed&p2p.preference=disabled", contentType: "application/x-www-form-urlencoded") == 200)
        // `media_mode` is not an API parameter: the service goes by p2p.preference and ignores it, whatever it says.
        #expect(try create("media_mode=relayed&p2p.preference=disabled", contentType: "application/x-www-form-urlencoded") == 200)
        // A form labelled application/json (vonage-http-client keeps an earlier JSON call's header) is still a form;
        // only a JSON body is refused.
        #expect(try create("p2p.preference=disabled", contentType: "application/json") == 200)
        #expect(try create(#"{"p2p.preference":"disabled"}"#, contentType: "application/json") == 400)
    }

    // MARK: archive start, broadcast start, add-stream

    /// The exact bodies, through the binary to the emulator: on Vonage what vonage-video 1.6.1's models dumped with
    /// `exclude_none=True` send for the same options (only the keys chosen, in the model's order); on OpenTok
    /// opentok 3.15's (the API's defaults spelled out, unset options as null).
    @Test(arguments: [false, true])
    func recordingBodiesAreEachSDKsOwn(vonage: Bool) throws {
        let h = try OpenTokHarness(vonage: vonage)
        func sent(_ arguments: [String], status: Int32 = 0) throws -> String? {
            let r = try h.run(arguments)
            #expect(r.status == status, "\(arguments.prefix(2)): \(r.stderr)")
            return h.lastCall?.bodyText
        }
        var (session, _, _) = h.sessionWithClients(1)
        // CreateArchiveRequest(session_id=...) / opentok start_archive(session_id)
        #expect(try sent(["archive", "start", "--session-id", session]) == (vonage
            ? #"{"sessionId":"\#(session)"}"#
            : #"{"name":null,"sessionId":"\#(session)","hasAudio":true,"hasVideo":true,"outputMode":"composed","resolution":null,"streamMode":"auto","multiArchiveTag":null,"maxBitrate":null}"#))
        (session, _, _) = h.sessionWithClients(1)
        // Chosen values that equal the API's defaults are still sent, as the SDK sends a value it was given.
        #expect(try sent(["archive", "start", "--session-id", session, "--no-audio", "--name", "all", "--output-mode", "composed",
                          "--stream-mode", "auto", "--resolution", "1920x1080", "--multi-archive-tag", "tag",
                          "--max-bitrate", "2000000", "--quantization-parameter", "20"]) == (vonage
            ? #"{"sessionId":"\#(session)","hasAudio":false,"multiArchiveTag":"tag","name":"all","outputMode":"composed","resolution":"1920x1080","streamMode":"auto","maxBitrate":2000000,"quantizationParameter":20}"#
            : #"{"name":"all","sessionId":"\#(session)","hasAudio":false,"hasVideo":true,"outputMode":"composed","resolution":"1920x1080","streamMode":"auto","multiArchiveTag":"tag","maxBitrate":2000000,"quantizationParameter":20}"#))
        (session, _, _) = h.sessionWithClients(1)
        #expect(try sent(["broadcast", "start", "--session-id", session, "--hls"]) == (vonage
            ? #"{"sessionId":"\#(session)","outputs":{"hls":{}}}"#
            : #"{"sessionId":"\#(session)","streamMode":"auto","outputs":{"hls":{}}}"#))
        (session, _, _) = h.sessionWithClients(1)
        let started = try h.run(["broadcast", "start", "--session-id", session, "--hls", "--stream-mode", "manual", "--output", "id"])
        #expect(started.status == 0, "\(started.stderr)")
        #expect(h.lastCall?.bodyText == #"{"sessionId":"\#(session)","streamMode":"manual","outputs":{"hls":{}}}"#)
        let broadcast = started.out
        // No such stream: the emulator answers 404 (exit 5) after the body was sent.
        #expect(try sent(["broadcast", "add-stream", broadcast, "--stream-id", "s-1", "--no-audio"], status: 5) == (vonage
            ? #"{"addStream":"s-1","hasAudio":false}"#
            : #"{"hasAudio":false,"hasVideo":true,"addStream":"s-1"}"#))
        #expect(try sent(["broadcast", "add-stream", broadcast, "--stream-id", "s-1"], status: 5) == (vonage
            ? #"{"addStream":"s-1"}"#
            : #"{"hasAudio":true,"hasVideo":true,"addStream":"s-1"}"#))
    }

    // MARK: audio-connector --audio-transport

    @Test(arguments: [false, true])
    func theAudioTransportGoesInEachSDKsForm(vonage: Bool) throws {
        let h = try OpenTokHarness(vonage: vonage)
        let (session, _, _) = h.sessionWithClients(1)
        let r = try h.run(["audio-connector", "start", "--session-id", session, "--uri", "wss://example.com/audio", "--bidirectional",
                           "--audio-transport", "json", "--audio-field", "payload", "--receive-audio-field", "reply",
                           "--static-field", "room=42", "--static-field", "lang=en"])
        #expect(r.status == 0, "\(r.stderr)")
        let socket = try #require(try JSONParser.parse(h.lastCall?.body ?? Data())["websocket"])
        let expected = #"{"transport":"json","encoding":"base64","audio_field":"payload","receive_audio_field":"reply","static_fields":{"room":"42","lang":"en"}}"#
        if vonage {
            #expect(socket["audioTransport"]?.compactText == expected, "vonage-video sends an object")
        } else {
            #expect(socket["audioTransport"]?.stringValue == expected, "opentok 3.15 sends a compact JSON string")
        }
        #expect(socket.objectValue?.map(\.0) == ["uri", "bidirectional", "audioTransport"])

        let binary = try h.run(["audio-connector", "start", "--session-id", session, "--uri", "wss://example.com/audio", "--audio-transport", "binary"])
        #expect(binary.status == 0, "\(binary.stderr)")
        let plain = try JSONParser.parse(h.lastCall?.body ?? Data())["websocket"]?["audioTransport"]
        #expect((vonage ? plain?.compactText : plain?.stringValue) == #"{"transport":"binary"}"#)
    }

    @Test(arguments: [
        (["--audio-field", "payload"], "error: --audio-field needs --audio-transport json"),
        (["--audio-transport", "json", "--static-field", "room"], "error: --static-field room: expected NAME=VALUE"),
        (["--audio-transport", "json", "--static-field", "a=1", "--static-field", "a=2"], "error: --audio-transport: static field a is given twice"),
        (["--audio-transport", "xml"], "error: --audio-transport: expected one of binary, json, got 'xml'"),
    ])
    func badAudioTransportFlagsSendNothing(_ extra: [String], _ message: String) throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        let r = try h.run(["audio-connector", "start", "--session-id", session, "--uri", "wss://example.com/audio"] + extra)
        #expect(r.status == 64)
        #expect(r.stderr == message + "\n")
        #expect(h.requestCount == 0)
    }

    // MARK: a client token of the user's own

    /// A token the user made themselves (with other connection data), for the services to join with.
    static func ownToken(_ h: OpenTokHarness, session: String, role: String) throws -> String {
        let made = try h.run(["token", "--session-id", session, "--role", role, "--data", "made-by=me"])
        #expect(made.status == 0, "\(made.stderr)")
        return made.out
    }

    @Test(arguments: [false, true])
    func captionsRenderAndTheConnectorJoinWithTheUsersOwnToken(vonage: Bool) throws {
        let h = try OpenTokHarness(vonage: vonage)
        let (session, _, _) = h.sessionWithClients(1)
        let moderator = try Self.ownToken(h, session: session, role: "moderator")
        let file = h.dir.write("token", moderator + "\n")
        chmod(file, 0o600)
        let runs: [([String], [String: String])] = [
            (["captions", "start", "--session-id", session, "--token-file", file], [:]),
            (["render", "start", "--session-id", session, "--url", "https://example.com/scoreboard"], ["MEDIACTL_CLIENT_TOKEN": moderator]),
            (["audio-connector", "start", "--session-id", session, "--uri", "wss://example.com/audio"], ["MEDIACTL_CLIENT_TOKEN_FILE": file]),
        ]
        for (args, env) in runs {
            let r = try h.run(args + ["--debug"], env: env)
            #expect(r.status == 0, "\(args[0]): \(r.stderr)")
            #expect(try JSONParser.parse(h.lastCall?.body ?? Data())["token"]?.stringValue == moderator, "\(args[0]) sent the user's token")
            #expect(!r.stdout.contains(moderator) && !r.stderr.contains(moderator), "\(args[0]) echoed the token")
            #expect(r.stderr.contains(#""token":"[REDACTED]""#), "\(args[0]): --debug shows the body redacted")
        }
        // Without one, mediactl still makes its own (not the user's).
        let made = try h.run(["audio-connector", "start", "--session-id", session, "--uri", "wss://example.com/audio"])
        #expect(made.status == 0, "\(made.stderr)")
        let sent = try JSONParser.parse(h.lastCall?.body ?? Data())["token"]?.stringValue
        #expect(sent != nil && sent != moderator)
    }

    @Test func aTokenFileOnTheLineBeatsTheVariable() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        let mine = try Self.ownToken(h, session: session, role: "moderator")
        let file = h.dir.write("token", mine)
        chmod(file, 0o600)
        let r = try h.run(["captions", "start", "--session-id", session, "--token-file", file], env: ["MEDIACTL_CLIENT_TOKEN": "not-this-one"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try JSONParser.parse(h.lastCall?.body ?? Data())["token"]?.stringValue == mine)
    }

    @Test func aBadTokenFileIsRefusedWithoutQuotingItAndNothingIsSent() throws {
        let h = try OpenTokHarness()
        let (session, _, _) = h.sessionWithClients(1)
        let secretish = "T1==c2VjcmV0LXRva2VuLWNvbnRlbnQ"
        let two = h.dir.write("two", "\(secretish)\n\(secretish)x\n")
        let empty = h.dir.write("empty", "\n")
        let cases: [([String], [String: String], String)] = [
            (["--token-file", two], [:], "error: --token-file \(two): expected one client token (no spaces or line breaks inside)"),
            (["--token-file", empty], [:], "error: --token-file \(empty): the client token is empty"),
            (["--token-file", "/nonexistent/token"], [:], "error: --token-file /nonexistent/token: no such file"),
            ([], ["MEDIACTL_CLIENT_TOKEN": "\(secretish) \(secretish)"], "error: MEDIACTL_CLIENT_TOKEN: expected one client token (no spaces or line breaks inside)"),
        ]
        for (extra, env, message) in cases {
            let r = try h.run(["captions", "start", "--session-id", session] + extra, env: env)
            #expect(r.status == 64, "\(r.stderr)")
            #expect(r.stderr == message + "\n")
            #expect(!r.stderr.contains(secretish))
        }
        #expect(h.requestCount == 0)
    }
}
