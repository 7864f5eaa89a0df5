// `captions`, `render` and `audio-connector` through the built binary against the emulator on loopback, with
// OpenTok and with Vonage credentials: exact paths and bodies, the client token mediactl makes for the service
// (verified by the emulator, role checked), the service's conflicts, and bad input refused before sending.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct VideoMediaServicesTests {
    /// The token in the last call's body, verified for the platform; its claims.
    func tokenClaims(_ h: OpenTokHarness, vonage: Bool) throws -> JSONValue {
        let body = try JSONParser.parse(h.lastCall?.body ?? Data())
        let token = try #require(body["token"]?.stringValue)
        if vonage { return try #require(RS256JWT.verify(token, publicKey: try Fixtures.requiredPublicKey())) }
        return try #require(HS256JWT.verify(token, key: Data(OpenTokHarness.apiSecret.utf8)))
    }

    @Test(arguments: [false, true])
    func captionsStartAndStop(vonage: Bool) throws {
        let h = try OpenTokHarness(vonage: vonage)
        let project = vonage ? OpenTokHarness.applicationID : OpenTokHarness.apiKey
        let (session, _, _) = h.sessionWithClients(1)
        let start = try h.run(["captions", "start", "--session-id", session, "--language-code", "en-GB", "--max-duration", "600",
                               "--partial-captions", "false", "--status-callback-url", "https://example.com/captions-status"])
        #expect(start.status == 0, "\(start.stderr)")
        let id = start.out
        let call = try #require(h.lastCall)
        #expect(call.method == "POST" && call.path == "/v2/project/\(project)/captions" && call.status == 202)
        let body = try JSONParser.parse(call.body)
        #expect(body.objectValue?.map(\.0) == ["sessionId", "token", "languageCode", "maxDuration", "partialCaptions", "statusCallbackUrl"])
        #expect(body["languageCode"] == "en-GB" && body["maxDuration"]?.intValue == 600 && body["partialCaptions"] == false)
        let claims = try tokenClaims(h, vonage: vonage)
        #expect(claims["role"] == "moderator" && claims["session_id"]?.stringValue == session)
        if vonage { try h.expectBearer(call) }

        let again = try h.run(["captions", "start", "--session-id", session])
        #expect(again.status == 6, "\(again.stderr)")
        // Each platform's SDK: vonage-video sends only the keys given, opentok 3.15 spells out its defaults.
        let defaults = try JSONParser.parse(h.lastCall?.body ?? Data())
        if vonage {
            #expect(defaults.objectValue?.map(\.0) == ["sessionId", "token"], "only the keys given are sent")
        } else {
            #expect(defaults.objectValue?.map(\.0) == ["sessionId", "token", "languageCode", "maxDuration", "partialCaptions", "statusCallbackUrl"])
            #expect(defaults["languageCode"] == "en-US" && defaults["maxDuration"]?.intValue == 14_400
                    && defaults["partialCaptions"] == true && defaults["statusCallbackUrl"] == .null)
        }

        let stop = try h.run(["captions", "stop", id])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(h.lastCall?.path == "/v2/project/\(project)/captions/\(id)/stop" && h.lastCall?.status == 202)
        #expect(stop.stderr.contains("Stopped captions \(id)"))
        let gone = try h.run(["captions", "stop", id])
        #expect(gone.status == 5)
    }

    @Test(arguments: [false, true])
    func renderStartGetListStop(vonage: Bool) throws {
        let h = try OpenTokHarness(vonage: vonage)
        let project = vonage ? OpenTokHarness.applicationID : OpenTokHarness.apiKey
        let (session, _, _) = h.sessionWithClients(0)
        let start = try h.run(["render", "start", "--session-id", session, "--url", "https://example.com/scoreboard", "--resolution", "1280x720",
                               "--max-duration", "3600", "--name", "Scoreboard", "-o", "json"])
        #expect(start.status == 0, "\(start.stderr)")
        let call = try #require(h.lastCall)
        #expect(call.method == "POST" && call.path == "/v2/project/\(project)/render" && call.status == 202)
        let body = try JSONParser.parse(call.body)
        #expect(body.objectValue?.map(\.0) == ["sessionId", "token", "url", "maxDuration", "resolution", "properties"])
        #expect(body["properties"]?.compactText == #"{"name":"Scoreboard"}"#)
        #expect(try tokenClaims(h, vonage: vonage)["role"] == "publisher")
        let render = try #require(start.json)
        let id = try #require(render["id"]?.stringValue)
        #expect(render["status"] == "started")
        #expect(h.emulator.session(session)?.streams.map(\.name) == ["Scoreboard"])

        let get = try h.run(["render", "get", id, "-o", "json"])
        #expect(get.status == 0 && get.json?["url"] == "https://example.com/scoreboard", "\(get.stderr)")
        #expect(h.lastCall?.method == "GET" && h.lastCall?.path == "/v2/project/\(project)/render/\(id)")
        let list = try h.run(["render", "list", "--count", "5", "-o", "id"])
        #expect(list.stdoutLines == [id])
        #expect(h.lastCall?.query == "count=5")
        let bare = try h.run(["render", "start", "--session-id", session, "--url", "https://example.com/other", "-o", "id"])
        #expect(bare.status == 0, "\(bare.stderr)")
        let bareBody = try JSONParser.parse(h.lastCall?.body ?? Data())
        if vonage {
            #expect(bareBody.objectValue?.map(\.0) == ["sessionId", "token", "url"], "only the keys given are sent")
        } else {
            #expect(bareBody.compactText.hasSuffix(#""url":"https://example.com/other","maxDuration":7200,"resolution":"1280x720","properties":null}"#),
                    "opentok 3.15's defaults")
        }
        _ = try h.run(["render", "stop", bare.out])
        let stop = try h.run(["render", "stop", id])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(h.lastCall?.method == "DELETE" && h.lastCall?.path == "/v2/project/\(project)/render/\(id)" && h.lastCall?.status == 200)
        #expect(h.emulator.session(session)?.streams.isEmpty == true)
        if vonage { try h.expectBearer(h.lastCall) }
    }

    @Test(arguments: [false, true])
    func audioConnectorStart(vonage: Bool) throws {
        let h = try OpenTokHarness(vonage: vonage)
        let (session, _, streams) = h.sessionWithClients(2)
        let r = try h.run(["audio-connector", "start", "--session-id", session, "--uri", "wss://example.com/audio", "--stream", streams[1],
                           "--header", "X-Room: 42", "--audio-rate", "16000", "--bidirectional", "-o", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        let call = try #require(h.lastCall)
        #expect(call.path == "/v2/project/\(vonage ? OpenTokHarness.applicationID : OpenTokHarness.apiKey)/connect" && call.status == 200)
        let body = try JSONParser.parse(call.body)
        #expect(body["websocket"]?.compactText == #"{"uri":"wss://example.com/audio","streams":["\#(streams[1])"],"headers":{"X-Room":"42"},"audioRate":16000,"bidirectional":true}"#)
        #expect(try tokenClaims(h, vonage: vonage)["role"] == "publisher")
        #expect(r.json?["connectionId"]?.stringValue.map { h.emulator.session(session)?.connections.contains($0) == true } == true)

        // A relayed session cannot take it: 409, exit 6; without --bidirectional the key is left out.
        let relayed = h.emulator.seedSession(routed: false)
        let refused = try h.run(["audio-connector", "start", "--session-id", relayed, "--uri", "wss://example.com/audio"])
        #expect(refused.status == 6, "\(refused.stderr)")
        #expect(try JSONParser.parse(h.lastCall?.body ?? Data())["websocket"]?.compactText == #"{"uri":"wss://example.com/audio"}"#)
    }

    /// One bad-input case (BadInputCase.swift), run in this process.
    typealias Case = BadInputCase

    static let s = OpenTokSessionID.make(apiKey: "123456", createdMillis: 1_700_000_000_000, random: "cmFuZG9t", routed: true)

    static let cases: [Case] = [
        Case(name: "captions too short", args: ["captions", "start", "--session-id", s, "--max-duration", "299"],
             message: "error: --max-duration: expected a number from 300 to 14400, got 299"),
        Case(name: "captions language", args: ["captions", "start", "--session-id", s, "--language-code", "en"],
             message: "error: --language-code: expected one of en-US, en-AU, en-GB"),
        Case(name: "captions callback URL", args: ["captions", "start", "--session-id", s, "--status-callback-url", "ftp://example.com/x"],
             message: "error: --status-callback-url: the status callback URL 'ftp://example.com/x' must start with https:// or http:// and contain no spaces"),
        Case(name: "render URL", args: ["render", "start", "--session-id", s, "--url", "file:///etc/passwd"],
             message: "error: --url: the page URL 'file:///etc/passwd' must start with https:// or http://"),
        Case(name: "render URL too short", args: ["render", "start", "--session-id", s, "--url", "http://a.b"],
             message: "error: --url: the page URL must be 15 to 2048 characters, got 10"),
        Case(name: "render name too long", args: ["render", "start", "--session-id", s, "--url", "https://example.com/page", "--name", String(repeating: "n", count: 201)],
             message: "error: --name: the stream name must be 1 to 200 characters, got 201"),
        Case(name: "render max duration", args: ["render", "start", "--session-id", s, "--url", "https://example.com/page", "--max-duration", "59"],
             message: "error: --max-duration: expected a number from 60 to 36000, got 59"),
        Case(name: "audio URI", args: ["audio-connector", "start", "--session-id", s, "--uri", "https://example.com/audio"],
             message: "error: --uri: the WebSocket URI 'https://example.com/audio' must start with wss:// or ws://"),
        Case(name: "audio rate", args: ["audio-connector", "start", "--session-id", s, "--uri", "wss://example.com/audio", "--audio-rate", "44100"],
             message: "error: --audio-rate: expected one of 8000, 16000, got '44100'"),
        Case(name: "audio header", args: ["audio-connector", "start", "--session-id", s, "--uri", "wss://example.com/audio", "--header", "novalue"],
             message: "error: --header novalue: expected 'NAME: VALUE'"),
        Case(name: "a session of another project", args: ["render", "start", "--session-id", OpenTokSessionID.make(apiKey: "999", createdMillis: 1, random: "eA", routed: true),
                                                         "--url", "https://example.com/page"],
             message: "error: --session-id: session"),
    ]

    @Test(arguments: cases)
    func badInputIsRefusedBeforeSending(c: Case) throws {
        let h = try OpenTokHarness()
        try c.check(environment: h.environment, dir: h.dir.path, requests: { h.requestCount }, secrets: [OpenTokHarness.apiSecret], oneLine: true)
    }
}
