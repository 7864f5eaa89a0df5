// Each OpenTok operation's exact request (method, URL, headers, body bytes) as opentok 3.15 sends
// it, error mapping by status, and the local checks that refuse a call before anything is sent.
import Foundation
import MediaKit
import Testing

@Suite struct OpenTokClientTests {
    static let session = OpenTokVectors.sessionID

    func client(_ responses: [HTTPResponse] = [HTTPResponse(status: 200, body: Data("{}".utf8))]) throws -> (OpenTokClient, RecordingTransport) {
        let recorder = RecordingTransport(responses: responses)
        let base = try #require(RequestURL("https://api.opentok.com"))
        return (OpenTokClient(transport: recorder, baseURL: base, apiKey: "123456"), recorder)
    }

    struct Expected: Sendable, CustomTestStringConvertible {
        let name: String
        let call: @Sendable (OpenTokClient) throws -> Void
        let method: String
        let url: String
        let body: String
        var testDescription: String { name }
    }

    static let p = "https://api.opentok.com/v2/project/123456"

    static let operations: [Expected] = [
        Expected(name: "start archive with every option", call: { c in
            var o = ArchiveOptions(sessionID: session)
            o.name = "Important Presentation"
            o.resolution = .hd
            o.quantizationParameter = 25
            o.layout = OpenTokLayout(type: .bestFit, screenshareType: .horizontalPresentation)
            o.hasTranscription = true
            o.transcriptionLanguage = "en-US"
            o.transcriptionSummary = false
            _ = try c.startArchive(o)
        }, method: "POST", url: "\(p)/archive",
                 body: #"{"name":"Important Presentation","sessionId":"\#(session)","hasAudio":true,"hasVideo":true,"outputMode":"composed","resolution":"1280x720","streamMode":"auto","multiArchiveTag":null,"maxBitrate":null,"quantizationParameter":25,"layout":{"type":"bestFit","screenshareType":"horizontalPresentation"},"hasTranscription":true,"transcriptionProperties":{"primaryLanguageCode":"en-US","hasSummary":false}}"#),
        Expected(name: "start archive, defaults: nine keys, nulls", call: { c in _ = try c.startArchive(ArchiveOptions(sessionID: session)) },
                 method: "POST", url: "\(p)/archive",
                 body: #"{"name":null,"sessionId":"\#(session)","hasAudio":true,"hasVideo":true,"outputMode":"composed","resolution":null,"streamMode":"auto","multiArchiveTag":null,"maxBitrate":null}"#),
        Expected(name: "start individual manual archive", call: { c in
            var o = ArchiveOptions(sessionID: session)
            o.outputMode = .individual
            o.streamMode = .manual
            o.hasVideo = false
            o.multiArchiveTag = "audio"
            o.maxBitrate = 100_000
            _ = try c.startArchive(o)
        }, method: "POST", url: "\(p)/archive",
                 body: #"{"name":null,"sessionId":"\#(session)","hasAudio":true,"hasVideo":false,"outputMode":"individual","resolution":null,"streamMode":"manual","multiArchiveTag":"audio","maxBitrate":100000}"#),
        Expected(name: "stop archive", call: { c in _ = try c.stop(.archive, id: "a-1") }, method: "POST", url: "\(p)/archive/a-1/stop", body: ""),
        Expected(name: "get archive", call: { c in _ = try c.get(.archive, id: "a-1") }, method: "GET", url: "\(p)/archive/a-1", body: ""),
        Expected(name: "list archives", call: { c in _ = try c.list(.archive) }, method: "GET", url: "\(p)/archive", body: ""),
        Expected(name: "list archives with a page and a session", call: { c in _ = try c.list(.archive, offset: 5, count: 10, sessionID: session) },
                 method: "GET", url: "\(p)/archive?offset=5&count=10&sessionId=\(session)", body: ""),
        Expected(name: "delete archive", call: { c in try c.deleteArchive("a-1") }, method: "DELETE", url: "\(p)/archive/a-1", body: ""),
        Expected(name: "archive layout custom", call: { c in try c.setLayout(.archive, id: "a-1", layout: OpenTokLayout(type: .custom, stylesheet: "stream { width: 50% }")) },
                 method: "PUT", url: "\(p)/archive/a-1/layout", body: #"{"type":"custom","stylesheet":"stream { width: 50% }"}"#),
        Expected(name: "add archive stream", call: { c in try c.addStream(.archive, id: "a-1", streamID: "s-1", hasVideo: false) },
                 method: "PATCH", url: "\(p)/archive/a-1/streams", body: #"{"hasAudio":true,"hasVideo":false,"addStream":"s-1"}"#),
        Expected(name: "remove archive stream", call: { c in try c.removeStream(.archive, id: "a-1", streamID: "s-1") },
                 method: "PATCH", url: "\(p)/archive/a-1/streams", body: #"{"removeStream":"s-1"}"#),
        Expected(name: "start broadcast", call: { c in
            var o = BroadcastOptions(sessionID: session)
            o.hls = HLSOptions(dvr: true)
            o.rtmp = [RTMPTarget(id: "foo", serverURL: "rtmp://myfooserver/myfooapp", streamName: "myfoostream")]
            o.layout = OpenTokLayout(type: .pip)
            o.maxDuration = 5400
            o.resolution = .fullHD
            o.maxBitrate = 2_000_000
            o.hasAudio = false
            o.multiBroadcastTag = "main"
            _ = try c.startBroadcast(o)
        }, method: "POST", url: "\(p)/broadcast",
                 body: #"{"sessionId":"\#(session)","streamMode":"auto","layout":{"type":"pip"},"maxDuration":5400,"outputs":{"hls":{"dvr":true},"rtmp":[{"id":"foo","serverUrl":"rtmp://myfooserver/myfooapp","streamName":"myfoostream"}]},"resolution":"1920x1080","maxBitrate":2000000,"hasAudio":false,"multiBroadcastTag":"main"}"#),
        Expected(name: "start broadcast, HLS only", call: { c in
            var o = BroadcastOptions(sessionID: session)
            o.hls = HLSOptions()
            o.streamMode = .manual
            _ = try c.startBroadcast(o)
        }, method: "POST", url: "\(p)/broadcast", body: #"{"sessionId":"\#(session)","streamMode":"manual","outputs":{"hls":{}}}"#),
        Expected(name: "stop broadcast", call: { c in _ = try c.stop(.broadcast, id: "b-1") }, method: "POST", url: "\(p)/broadcast/b-1/stop", body: ""),
        Expected(name: "get broadcast", call: { c in _ = try c.get(.broadcast, id: "b-1") }, method: "GET", url: "\(p)/broadcast/b-1", body: ""),
        Expected(name: "list broadcasts", call: { c in _ = try c.list(.broadcast, count: 3) }, method: "GET", url: "\(p)/broadcast?count=3", body: ""),
        Expected(name: "broadcast layout", call: { c in try c.setLayout(.broadcast, id: "b-1", layout: OpenTokLayout(type: .bestFit, screenshareType: .pip)) },
                 method: "PUT", url: "\(p)/broadcast/b-1/layout", body: #"{"type":"bestFit","screenshareType":"pip"}"#),
        Expected(name: "add broadcast stream", call: { c in try c.addStream(.broadcast, id: "b-1", streamID: "s-1") },
                 method: "PATCH", url: "\(p)/broadcast/b-1/streams", body: #"{"hasAudio":true,"hasVideo":true,"addStream":"s-1"}"#),
        Expected(name: "remove broadcast stream", call: { c in try c.removeStream(.broadcast, id: "b-1", streamID: "s-1") },
                 method: "PATCH", url: "\(p)/broadcast/b-1/streams", body: #"{"removeStream":"s-1"}"#),
        Expected(name: "signal a session", call: { c in try c.signal(sessionID: session, SignalMessage(type: "chat", data: "hello")) },
                 method: "POST", url: "\(p)/session/\(session)/signal", body: #"{"type":"chat","data":"hello"}"#),
        Expected(name: "signal a connection, no type", call: { c in try c.signal(sessionID: session, connectionID: "c-1", SignalMessage(data: "hi")) },
                 method: "POST", url: "\(p)/session/\(session)/connection/c-1/signal", body: #"{"data":"hi"}"#),
        Expected(name: "get stream", call: { c in _ = try c.getStream(sessionID: session, streamID: "s-1") },
                 method: "GET", url: "\(p)/session/\(session)/stream/s-1", body: ""),
        Expected(name: "list streams", call: { c in _ = try c.listStreams(sessionID: session) }, method: "GET", url: "\(p)/session/\(session)/stream", body: ""),
        Expected(name: "set stream class lists", call: { c in
            try c.setLayoutClasses(sessionID: session, [StreamLayoutClasses(streamID: "s-1", classes: ["focus"]), StreamLayoutClasses(streamID: "s-2", classes: [])])
        }, method: "PUT", url: "\(p)/session/\(session)/stream",
                 body: #"{"items":[{"id":"s-1","layoutClassList":["focus"]},{"id":"s-2","layoutClassList":[]}]}"#),
        Expected(name: "force disconnect", call: { c in try c.disconnect(sessionID: session, connectionID: "c-1") },
                 method: "DELETE", url: "\(p)/session/\(session)/connection/c-1", body: ""),
        Expected(name: "mute one stream", call: { c in try c.muteStream(sessionID: session, streamID: "s-1") },
                 method: "POST", url: "\(p)/session/\(session)/stream/s-1/mute", body: ""),
        Expected(name: "mute all, none excluded", call: { c in try c.muteAll(sessionID: session) },
                 method: "POST", url: "\(p)/session/\(session)/mute", body: #"{"active":true,"excludedStreams":[]}"#),
        Expected(name: "mute all but one", call: { c in try c.muteAll(sessionID: session, excluding: ["s-1"]) },
                 method: "POST", url: "\(p)/session/\(session)/mute", body: #"{"active":true,"excludedStreams":["s-1"]}"#),
        Expected(name: "disable force mute", call: { c in try c.disableForceMute(sessionID: session) },
                 method: "POST", url: "\(p)/session/\(session)/mute", body: #"{"active":false}"#),
        Expected(name: "DTMF to the session", call: { c in try c.playDTMF(sessionID: session, digits: "1713p#*") },
                 method: "POST", url: "\(p)/session/\(session)/play-dtmf", body: #"{"digits":"1713p#*"}"#),
        Expected(name: "DTMF to a connection", call: { c in try c.playDTMF(sessionID: session, connectionID: "c-1", digits: "9") },
                 method: "POST", url: "\(p)/session/\(session)/connection/c-1/play-dtmf", body: #"{"digits":"9"}"#),
        Expected(name: "SIP dial with every option", call: { c in
            var o = SIPDialOptions(sessionID: session, token: "TOKEN", uri: "sip:user@sip.partner.com;transport=tls")
            o.from = "from@example.com"
            o.headers = [("X-Foo", "bar")]
            o.authUsername = "u"
            o.authPassword = "p"
            o.secure = true
            o.video = false
            o.observeForceMute = true
            o.streams = ["s-1"]
            _ = try c.dial(o)
        }, method: "POST", url: "\(p)/dial",
                 body: #"{"sessionId":"\#(session)","token":"TOKEN","sip":{"uri":"sip:user@sip.partner.com;transport=tls","from":"from@example.com","headers":{"X-Foo":"bar"},"auth":{"username":"u","password":"p"},"secure":true,"video":false,"observeForceMute":true,"streams":["s-1"]}}"#),
    ]

    @Test(arguments: operations)
    func eachOperationSendsTheSDKsRequest(e: Expected) throws {
        let (client, recorder) = try client()
        try e.call(client)
        let sent = try #require(recorder.requests.first)
        #expect(recorder.requests.count == 1)
        #expect(sent.method == e.method)
        #expect(sent.url.description == e.url)
        #expect(String(decoding: sent.body, as: UTF8.self) == e.body)
        #expect(sent.header("Accept") == "application/json")
        #expect(sent.header("Content-Type") == "application/json", "the SDK sends it on every JSON-API call, GET and DELETE too")
    }

    /// Calls whose repetition could act twice are marked so the transport never repeats them.
    @Test func nonIdempotentCallsAreNotRetrySafe() throws {
        let (client, recorder) = try client()
        _ = try client.startArchive(ArchiveOptions(sessionID: Self.session))
        _ = try client.stop(.archive, id: "a")
        try client.signal(sessionID: Self.session, SignalMessage(data: "x"))
        try client.playDTMF(sessionID: Self.session, digits: "1")
        _ = try client.dial(SIPDialOptions(sessionID: Self.session, token: "t", uri: "sip:a@b"))
        _ = try client.get(.archive, id: "a")
        try client.muteAll(sessionID: Self.session)
        #expect(recorder.requests.map(\.isRetrySafe) == [false, false, false, false, false, true, true])
    }

    @Test func sessionCreateIsFormEncodedAndReadsTheArray() throws {
        let answer = #"[{"session_id":"1_MX4xMjM0NTZ-","project_id":"123456","partner_id":"123456","create_dt":"Mon Nov 20 2023","media_server_url":""}]"#
        let (client, recorder) = try client([HTTPResponse(status: 200, headers: [("Content-Type", "application/json; charset=utf-8")], body: Data(answer.utf8))])
        var options = SessionOptions()
        options.mediaMode = .routed
        options.archiveAlways = true
        options.archiveName = "Daily standup"
        options.archiveResolution = .hd
        options.location = "12.34.56.78"
        options.e2ee = true
        let session = try client.createSession(options)
        #expect(session.id == "1_MX4xMjM0NTZ-")
        #expect(session.json["project_id"] == "123456")
        let sent = try #require(recorder.requests.first)
        #expect(sent.method == "POST")
        #expect(sent.url.description == "https://api.opentok.com/session/create")
        #expect(sent.header("Content-Type") == "application/x-www-form-urlencoded")
        #expect(String(decoding: sent.body, as: UTF8.self) ==
                "p2p.preference=disabled&archiveMode=always&archiveName=Daily+standup&archiveResolution=1280x720&location=12.34.56.78&e2ee=true")
        #expect(!sent.isRetrySafe)
    }

    @Test func sessionCreateDefaultsAndTheLegacyXMLAnswer() throws {
        let (client, recorder) = try client([HTTPResponse(status: 200, headers: [("Content-Type", "application/xml")],
                                                          body: Data("<sessions><Session><session_id>1_XML</session_id></Session></sessions>".utf8))])
        #expect(try client.createSession(SessionOptions()).id == "1_XML")
        #expect(String(decoding: recorder.requests[0].body, as: UTF8.self) == "p2p.preference=enabled&archiveMode=manual&e2ee=false")
    }

    struct StatusCase: Sendable, CustomTestStringConvertible {
        let status: Int
        let body: String
        let expected: MediaError
        var testDescription: String { "HTTP \(status)" }
    }

    static let url = "https://api.opentok.com/v2/project/123456/archive"
    static func failure(_ status: Int, _ code: String, _ message: String) -> ServiceFailure {
        ServiceFailure(status: status, code: code, message: message, requestID: nil, method: "POST", url: url)
    }

    static let statuses: [StatusCase] = [
        StatusCase(status: 400, body: #"{"code":400,"message":"Resolution can't be set for individual output mode"}"#,
                   expected: .service(failure(400, "BadRequest", "Resolution can't be set for individual output mode"))),
        // A 401 is the same refusal (the Vonage wording is only for Vonage credentials).
        StatusCase(status: 401, body: #"{"code":401,"message":"Invalid token"}"#,
                   expected: .auth("OpenTok refused the credentials (check the API key, the API secret and this machine's clock)", failure(401, "Unauthorized", "Invalid token"))),
        StatusCase(status: 403, body: #"{"code":403,"message":"Invalid token"}"#,
                   expected: .auth("OpenTok refused the credentials (check the API key, the API secret and this machine's clock)", failure(403, "Forbidden", "Invalid token"))),
        StatusCase(status: 404, body: #"{"message":"Session not found"}"#, expected: .notFound(failure(404, "NotFound", "Session not found"))),
        StatusCase(status: 405, body: "", expected: .conflict(failure(405, "MethodNotAllowed", "Method Not Allowed"))),
        StatusCase(status: 409, body: #"{"code":409,"message":"Archive already started"}"#, expected: .conflict(failure(409, "Conflict", "Archive already started"))),
        StatusCase(status: 413, body: "too large\nmore", expected: .service(failure(413, "PayloadTooLarge", "too large"))),
        StatusCase(status: 500, body: "<html>oops</html>", expected: .service(failure(500, "InternalServerError", "Internal Server Error"))),
    ]

    @Test(arguments: statuses)
    func errorsMapByStatusWithTheBodysMessage(c: StatusCase) throws {
        let (client, _) = try client([HTTPResponse(status: c.status, body: Data(c.body.utf8))])
        #expect(throws: c.expected) { try client.startArchive(ArchiveOptions(sessionID: Self.session)) }
    }

    @Test func summaryReadsAsOneLine() {
        #expect(MediaError.conflict(Self.failure(409, "Conflict", "Archive already started")).message ==
                "409 Conflict: Archive already started (POST https://api.opentok.com/v2/project/123456/archive)")
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        let name: String
        let call: @Sendable (OpenTokClient) throws -> Void
        let message: String
        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "resolution with individual output", call: { c in
            var o = ArchiveOptions(sessionID: session); o.outputMode = .individual; o.resolution = .hd; _ = try c.startArchive(o)
        }, message: "a resolution cannot be set for individual output mode (each stream keeps its own)"),
        Refusal(name: "stylesheet without custom", call: { c in
            try c.setLayout(.archive, id: "a", layout: OpenTokLayout(type: .pip, stylesheet: "x"))
        }, message: "a stylesheet needs the custom layout type (got pip)"),
        Refusal(name: "custom without stylesheet", call: { c in try c.setLayout(.broadcast, id: "b", layout: OpenTokLayout(type: .custom)) },
                message: "the custom layout type needs a stylesheet"),
        Refusal(name: "screenshare type without bestFit", call: { c in
            try c.setLayout(.archive, id: "a", layout: OpenTokLayout(type: .pip, screenshareType: .pip))
        }, message: "a screenshare layout type needs the bestFit layout type (got pip)"),
        Refusal(name: "six RTMP targets", call: { c in
            var o = BroadcastOptions(sessionID: session)
            o.rtmp = (1...6).map { RTMPTarget(serverURL: "rtmp://h/app", streamName: "k\($0)") }
            _ = try c.startBroadcast(o)
        }, message: "a broadcast can have at most 5 RTMP targets, got 6"),
        Refusal(name: "HLS low latency and DVR", call: { c in
            var o = BroadcastOptions(sessionID: session); o.hls = HLSOptions(lowLatency: true, dvr: true); _ = try c.startBroadcast(o)
        }, message: "HLS low latency and DVR cannot both be on"),
        Refusal(name: "broadcast without outputs", call: { c in _ = try c.startBroadcast(BroadcastOptions(sessionID: session)) },
                message: "a broadcast needs an output: HLS, or at least one RTMP target"),
        Refusal(name: "max duration too short", call: { c in
            var o = BroadcastOptions(sessionID: session); o.hls = HLSOptions(); o.maxDuration = 59; _ = try c.startBroadcast(o)
        }, message: "the maximum duration (seconds) must be from 60 to 36000, got 59"),
        Refusal(name: "max bitrate too high", call: { c in
            var o = ArchiveOptions(sessionID: session); o.maxBitrate = 6_000_001; _ = try c.startArchive(o)
        }, message: "the maximum bitrate (bits per second) must be from 100000 to 6000000, got 6000001"),
        Refusal(name: "signal type too long", call: { c in
            try c.signal(sessionID: session, SignalMessage(type: String(repeating: "t", count: 129), data: "x"))
        }, message: "the signal type is 129 bytes; at most 128 are allowed"),
        Refusal(name: "signal data too long", call: { c in
            try c.signal(sessionID: session, SignalMessage(data: String(repeating: "é", count: 4097)))
        }, message: "the signal data is 8194 bytes; at most 8192 (8 kB) are allowed"),
        Refusal(name: "DTMF letter", call: { c in try c.playDTMF(sessionID: session, digits: "12A") },
                message: "'A' is not a DTMF digit: use 0-9, *, # and p (a 500 ms pause)"),
        Refusal(name: "SIP URI scheme", call: { c in _ = try c.dial(SIPDialOptions(sessionID: session, token: "t", uri: "tel:+1555")) },
                message: "SIP URI 'tel:+1555' must start with sip: or sips: (e.g. sip:user@sip.example.com;transport=tls)"),
        Refusal(name: "archive mode always on a relayed session", call: { c in
            var o = SessionOptions(); o.archiveAlways = true; _ = try c.createSession(o)
        }, message: "archive mode always needs the routed media mode"),
        Refusal(name: "bad location", call: { c in var o = SessionOptions(); o.location = "1.2.3"; _ = try c.createSession(o) },
                message: "location '1.2.3' is not an IPv4 address"),
        Refusal(name: "an ID that would change the path", call: { c in _ = try c.get(.archive, id: "../session/x") },
                message: "the archive ID '../session/x' contains '/', '?', '#' or a space"),
        Refusal(name: "a page too large", call: { c in _ = try c.list(.archive, count: 1001) }, message: "the count must be from 1 to 1000, got 1001"),
    ]

    @Test(arguments: refusals)
    func badCombinationsAreRefusedBeforeSending(r: Refusal) throws {
        let (client, recorder) = try client()
        #expect(throws: MediaError.usage(r.message)) { try r.call(client) }
        #expect(recorder.requests.isEmpty)
    }

    @Test func listAllPagesUntilTheCountIsReached() throws {
        func page(_ range: Range<Int>, total: Int) -> HTTPResponse {
            let items = range.map { #"{"id":"a\#($0)"}"# }.joined(separator: ",")
            return HTTPResponse(status: 200, body: Data(#"{"count":\#(total),"items":[\#(items)]}"#.utf8))
        }
        let (client, recorder) = try client([page(0..<1000, total: 1500), page(1000..<1500, total: 1500)])
        let all = try client.listAll(.archive, sessionID: "S")
        #expect(all.count == 1500)
        #expect(all.last?.id == "a1499")
        #expect(recorder.requests.map(\.url.target) == ["/v2/project/123456/archive?offset=0&count=1000&sessionId=S",
                                                        "/v2/project/123456/archive?offset=1000&count=1000&sessionId=S"])
    }

    /// RetryingTransport retries 5xx only for calls that are safe to repeat.
    @Test func a5xxToANonRepeatableCallIsNotRetried() throws {
        let boom = HTTPResponse(status: 500, body: Data(#"{"message":"boom"}"#.utf8))
        let recorder = RecordingTransport(responses: [boom, boom, HTTPResponse(status: 200, body: Data("{}".utf8))])
        let clock = Clock(now: { Date(timeIntervalSince1970: 0) }, sleep: { _ in true })
        let transport = RetryingTransport(inner: recorder, policy: RetryPolicy(maxAttempts: 3), clock: clock, jitter: { 0 })
        let client = OpenTokClient(transport: transport, baseURL: try #require(RequestURL("https://api.opentok.com")), apiKey: "123456")
        #expect(throws: MediaError.service(Self.failure(500, "InternalServerError", "boom"))) {
            try client.startArchive(ArchiveOptions(sessionID: Self.session))
        }
        #expect(recorder.requests.count == 1)
        _ = try client.get(.archive, id: "a")     // 500 then 200: a read is retried
        #expect(recorder.requests.count == 3)
    }
}
