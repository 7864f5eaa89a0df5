// The OpenTok REST routes (protocols.md §7) as data: method + path pattern under `/v2/project/{apiKey}/` → handler.
// OpenTokEmulator.dispatch matches a call against this table: no path match is a 404, a path match with another method
// a 405, and each route says whether it takes a JSON object body or none.
import Foundation
import MediaKit

/// One route: `pattern` segments are literals, or `{name}` for a path parameter the handler reads by position.
struct OpenTokRoutePattern: Sendable {
    enum Body: Sendable {
        /// A JSON object is required.
        case object
        /// No body may be sent.
        case none
    }

    typealias Handler = @Sendable (inout OpenTokEmulatorState, OpenTokRouteCall) throws(OpenTokFailure) -> HTTPResponse

    let method: String
    let pattern: [String]
    let body: Body
    let handler: Handler

    init(_ method: String, _ pattern: String, body: Body, _ handler: @escaping Handler) {
        self.method = method
        self.pattern = pattern.split(separator: "/").map(String.init)
        self.body = body
        self.handler = handler
    }

    /// The path parameters when `segments` fit the pattern, in order.
    func match(_ segments: [String]) -> [String]? {
        guard segments.count == pattern.count else { return nil }
        var parameters: [String] = []
        for (part, segment) in zip(pattern, segments) {
            if part.hasPrefix("{") { parameters.append(segment) } else if part != segment { return nil }
        }
        return parameters
    }
}

/// What a handler gets: the path parameters (in the pattern's order), the query, the parsed body and the clock.
struct OpenTokRouteCall {
    let parameters: [String]
    let params: [(String, String)]
    /// Present (a JSON object) when the route's `body` is `.object`.
    let body: JSONValue?
    let now: Date

    /// The body of an `.object` route (the table checked it).
    var object: JSONValue { body ?? .object([]) }
    subscript(_ i: Int) -> String { parameters[i] }
}

extension OpenTokEmulator {
    typealias Route = OpenTokRoutePattern

    static func json(_ value: JSONValue, status: Int = 200) -> HTTPResponse { json(status, value) }

    /// Every route of the project API, in the order they are tried.
    static let routes: [Route] = [
        // Archives and broadcasts: the same shape, each its own state calls.
        Route("POST", "archive", body: .object) { s, c throws(OpenTokFailure) in json(try s.startArchive(c.object, now: c.now)) },
        Route("GET", "archive", body: .none) { s, c throws(OpenTokFailure) in json(try s.list(.archive, params: c.params)) },
        Route("GET", "archive/{id}", body: .none) { s, c throws(OpenTokFailure) in json(try s.get(.archive, id: c[0])) },
        Route("DELETE", "archive/{id}", body: .none) { s, c throws(OpenTokFailure) in
            try s.deleteArchive(c[0])
            return HTTPResponse(status: 204)
        },
        Route("POST", "archive/{id}/stop", body: .none) { s, c throws(OpenTokFailure) in json(try s.stop(.archive, id: c[0], now: c.now)) },
        Route("PUT", "archive/{id}/layout", body: .object) { s, c throws(OpenTokFailure) in json(try s.setLayout(.archive, id: c[0], c.object)) },
        Route("PATCH", "archive/{id}/streams", body: .object) { s, c throws(OpenTokFailure) in
            try s.patchStreams(.archive, id: c[0], c.object)
            return HTTPResponse(status: 204)
        },
        Route("POST", "broadcast", body: .object) { s, c throws(OpenTokFailure) in json(try s.startBroadcast(c.object, now: c.now)) },
        Route("GET", "broadcast", body: .none) { s, c throws(OpenTokFailure) in json(try s.list(.broadcast, params: c.params)) },
        Route("GET", "broadcast/{id}", body: .none) { s, c throws(OpenTokFailure) in json(try s.get(.broadcast, id: c[0])) },
        Route("POST", "broadcast/{id}/stop", body: .none) { s, c throws(OpenTokFailure) in json(try s.stop(.broadcast, id: c[0], now: c.now)) },
        Route("PUT", "broadcast/{id}/layout", body: .object) { s, c throws(OpenTokFailure) in json(try s.setLayout(.broadcast, id: c[0], c.object)) },
        Route("PATCH", "broadcast/{id}/streams", body: .object) { s, c throws(OpenTokFailure) in
            try s.patchStreams(.broadcast, id: c[0], c.object)
            return HTTPResponse(status: 204)
        },
        // Live captions, Experience Composer renders, Audio Connector, SIP.
        Route("POST", "captions", body: .object) { s, c throws(OpenTokFailure) in json(try s.startCaptions(c.object, now: c.now), status: 202) },
        Route("POST", "captions/{id}/stop", body: .none) { s, c throws(OpenTokFailure) in
            try s.stopCaptions(c[0])
            return HTTPResponse(status: 202)
        },
        Route("POST", "render", body: .object) { s, c throws(OpenTokFailure) in json(try s.startRender(c.object, now: c.now), status: 202) },
        Route("GET", "render", body: .none) { s, c throws(OpenTokFailure) in json(try s.listRenders(params: c.params)) },
        Route("GET", "render/{id}", body: .none) { s, c throws(OpenTokFailure) in json(try s.getRender(c[0])) },
        Route("DELETE", "render/{id}", body: .none) { s, c throws(OpenTokFailure) in
            try s.stopRender(c[0], now: c.now)
            // 200, not 204: opentok 3.15's stop_render raises on anything but 200; vonage-video takes any 2xx.
            return HTTPResponse(status: 200)
        },
        Route("POST", "connect", body: .object) { s, c throws(OpenTokFailure) in json(try s.connectAudio(c.object, now: c.now)) },
        Route("POST", "dial", body: .object) { s, c throws(OpenTokFailure) in json(try s.dial(c.object, now: c.now)) },
        // Inside a session: signals, connections, streams, moderation, DTMF.
        Route("POST", "session/{session}/signal", body: .object) { s, c throws(OpenTokFailure) in
            try s.signal(sessionID: c[0], connectionID: nil, c.object)
            return HTTPResponse(status: 204)
        },
        Route("POST", "session/{session}/connection/{connection}/signal", body: .object) { s, c throws(OpenTokFailure) in
            try s.signal(sessionID: c[0], connectionID: c[1], c.object)
            return HTTPResponse(status: 204)
        },
        Route("DELETE", "session/{session}/connection/{connection}", body: .none) { s, c throws(OpenTokFailure) in
            try s.disconnect(sessionID: c[0], connectionID: c[1])
            return HTTPResponse(status: 204)
        },
        Route("GET", "session/{session}/stream", body: .none) { s, c throws(OpenTokFailure) in json(try s.listStreams(sessionID: c[0])) },
        Route("PUT", "session/{session}/stream", body: .object) { s, c throws(OpenTokFailure) in
            try s.setLayoutClasses(sessionID: c[0], c.object)
            // The session's streams as they now are: vonage-video's change_stream_layout reads `items` from the answer.
            return json(try s.listStreams(sessionID: c[0]))
        },
        Route("GET", "session/{session}/stream/{stream}", body: .none) { s, c throws(OpenTokFailure) in
            json(try s.stream(sessionID: c[0], streamID: c[1]))
        },
        Route("POST", "session/{session}/stream/{stream}/mute", body: .none) { s, c throws(OpenTokFailure) in
            json(try s.muteStream(sessionID: c[0], streamID: c[1]))
        },
        Route("POST", "session/{session}/mute", body: .object) { s, c throws(OpenTokFailure) in json(try s.forceMute(sessionID: c[0], c.object)) },
        Route("POST", "session/{session}/play-dtmf", body: .object) { s, c throws(OpenTokFailure) in
            try s.playDTMF(sessionID: c[0], connectionID: nil, c.object)
            return HTTPResponse(status: 200)
        },
        Route("POST", "session/{session}/connection/{connection}/play-dtmf", body: .object) { s, c throws(OpenTokFailure) in
            try s.playDTMF(sessionID: c[0], connectionID: c[1], c.object)
            return HTTPResponse(status: 200)
        },
    ]
}
