// The emulator's live captions, Experience Composer (render) and Audio Connector (protocols.md §7.6, vonage-video
// 1.6): bodies checked key by key, the client token verified for the session, in memory only.
import Foundation
import MediaKit

extension OpenTokEmulatorState {
    struct Render {
        let id: String
        let sessionID: String
        let url: String
        let resolution: String
        let name: String?
        let connectionID: String
        let streamID: String
        let createdAt: Int64
        var updatedAt: Int64
        var status: String
    }

    /// `POST {P}/captions`: a moderator token, one captioning per session (409), a routed session.
    mutating func startCaptions(_ body: JSONValue, now: Date) throws(OpenTokFailure) -> JSONValue {
        try Body.keys(body, required: ["sessionId", "token"], optional: ["languageCode", "maxDuration", "partialCaptions", "statusCallbackUrl"], in: "captions")
        let session = try session(try Body.string(body, "sessionId"))
        let role = try checkClientToken(try Body.string(body, "token"), sessionID: session.id, now: now)
        if role != "moderator" { throw .badRequest("Captions need a moderator token, got role \(role)") }
        if body["languageCode"] != nil, !OpenTokMediaLimits.captionLanguages.contains(try Body.string(body, "languageCode")) {
            throw .badRequest("Invalid languageCode")
        }
        if body["maxDuration"] != nil {
            guard let d = body["maxDuration"]?.intValue, OpenTokMediaLimits.captionsMaxDuration.contains(d) else { throw .badRequest("maxDuration must be from 300 to 14400") }
        }
        if body["partialCaptions"] != nil { _ = try Body.bool(body, "partialCaptions") }
        _ = try Body.optionalString(body, "statusCallbackUrl")
        guard session.routed else { throw .badRequest("Live captions need a routed session") }
        if captions.values.contains(session.id) { throw .conflict("Captions are already running in session \(session.id)") }
        let id = newID()
        captions[id] = session.id
        return ["captionsId": .string(id)]
    }

    mutating func stopCaptions(_ id: String) throws(OpenTokFailure) {
        guard captions.removeValue(forKey: id) != nil else { throw .notFound("Captions \(id) not found") }
    }

    /// `POST {P}/render`: a publisher (or moderator) token, a routed session; the page is published as a stream.
    mutating func startRender(_ body: JSONValue, now: Date) throws(OpenTokFailure) -> JSONValue {
        try Body.keys(body, required: ["sessionId", "token", "url"], optional: ["maxDuration", "resolution", "properties"], in: "render")
        let session = try session(try Body.string(body, "sessionId"))
        let role = try checkClientToken(try Body.string(body, "token"), sessionID: session.id, now: now)
        if role == "subscriber" { throw .badRequest("The Experience Composer needs a publisher token") }
        let url = try Body.string(body, "url")
        guard url.hasPrefix("https://") || url.hasPrefix("http://"), OpenTokMediaLimits.callbackURLLength.contains(url.count) else { throw .badRequest("Invalid url") }
        if body["maxDuration"] != nil {
            guard let d = body["maxDuration"]?.intValue, OpenTokMediaLimits.renderMaxDuration.contains(d) else { throw .badRequest("maxDuration must be from 60 to 36000") }
        }
        var resolution = OpenTokResolution.hd.rawValue
        if body["resolution"] != nil {
            resolution = try Body.string(body, "resolution")
            if OpenTokResolution(rawValue: resolution) == nil { throw .badRequest("Invalid resolution \(resolution)") }
        }
        var name: String?
        // opentok 3.15 sends `"properties": null` when no name is given; the service takes it as absent.
        if let properties = body["properties"], properties != .null {
            try Body.keys(properties, required: ["name"], optional: [], in: "properties")
            name = try Body.string(properties, "name")
            if !OpenTokMediaLimits.renderNameLength.contains(name?.count ?? 0) { throw .badRequest("properties.name must be 1 to 200 characters") }
        }
        guard session.routed else { throw .badRequest("The Experience Composer needs a routed session") }
        guard let joined = connect(sessionID: session.id, streamName: name ?? "", videoType: "screen", layoutClassList: []) else {
            throw .notFound("Session \(session.id) not found")
        }
        let time = Self.millis(now)
        let render = Render(id: newID(), sessionID: session.id, url: url, resolution: resolution, name: name, connectionID: joined.connectionID,
                            streamID: joined.streamID, createdAt: time, updatedAt: time, status: "started")
        renders.append(render)
        return json(render)
    }

    func getRender(_ id: String) throws(OpenTokFailure) -> JSONValue {
        guard let render = renders.first(where: { $0.id == id }) else { throw .notFound("Render \(id) not found") }
        return json(render)
    }

    func listRenders(params: [(String, String)]) throws(OpenTokFailure) -> JSONValue {
        let (offset, count, _) = try Self.page(params, sessionFilter: false)
        let newestFirst = Array(renders.reversed())
        return ["count": .int(newestFirst.count), "items": .array(newestFirst.dropFirst(offset).prefix(count).map(json))]
    }

    /// `DELETE {P}/render/{id}`: the composer leaves the session.
    mutating func stopRender(_ id: String, now: Date) throws(OpenTokFailure) {
        guard let i = renders.firstIndex(where: { $0.id == id }) else { throw .notFound("Render \(id) not found") }
        guard renders[i].status == "started" else { throw .conflict("Render \(id) is \(renders[i].status)") }
        renders[i].status = "stopped"
        renders[i].updatedAt = Self.millis(now)
        let render = renders[i]
        sessions[render.sessionID]?.connections.removeAll { $0 == render.connectionID }
        sessions[render.sessionID]?.streams.removeAll { $0.connectionID == render.connectionID }
        noteSession(render.sessionID)
    }

    func json(_ r: Render) -> JSONValue {
        var o: JSONValue = ["id": .string(r.id), "sessionId": .string(r.sessionID),
                            (publicKey == nil ? "projectId" : "applicationId"): publicKey == nil ? .number(apiKey) : .string(apiKey),
                            "createdAt": .number(String(r.createdAt)), "updatedAt": .number(String(r.updatedAt)), "url": .string(r.url),
                            "resolution": .string(r.resolution), "status": .string(r.status), "streamId": .string(r.streamID)]
        if let name = r.name { o.set("name", .string(name)) }
        return o
    }

    /// `POST {P}/connect`: a publisher token, a routed session (409 otherwise), streams that exist.
    mutating func connectAudio(_ body: JSONValue, now: Date) throws(OpenTokFailure) -> JSONValue {
        try Body.keys(body, required: ["sessionId", "token", "websocket"], optional: [], in: "connect")
        let session = try session(try Body.string(body, "sessionId"))
        let role = try checkClientToken(try Body.string(body, "token"), sessionID: session.id, now: now)
        if role == "subscriber" { throw .badRequest("The Audio Connector needs a publisher token") }
        guard let socket = body["websocket"], socket.isObject else { throw .badRequest("websocket must be an object") }
        try Body.keys(socket, required: ["uri"], optional: ["streams", "headers", "audioRate", "bidirectional", "audioTransport"], in: "websocket")
        let uri = try Body.string(socket, "uri")
        guard uri.hasPrefix("wss://") || uri.hasPrefix("ws://") else { throw .badRequest("Invalid websocket uri \(uri)") }
        if socket["streams"] != nil {
            for id in try Body.strings(socket, "streams") where !session.streams.contains(where: { $0.id == id }) {
                throw .badRequest("Invalid stream ID \(id)")
            }
        }
        if let headers = socket["headers"] {
            guard let members = headers.objectValue, members.allSatisfy({ $0.1.stringValue != nil }) else { throw .badRequest("websocket.headers must map names to strings") }
        }
        if socket["audioRate"] != nil {
            guard let rate = socket["audioRate"]?.intValue, OpenTokMediaLimits.audioRates.contains(rate) else { throw .badRequest("audioRate must be 8000 or 16000") }
        }
        if socket["bidirectional"] != nil { _ = try Body.bool(socket, "bidirectional") }
        if let transport = socket["audioTransport"] { try Self.checkAudioTransport(transport) }
        guard session.routed else { throw .conflict("The Audio Connector needs a routed session") }
        guard let joined = connect(sessionID: session.id, streamName: "Audio Connector", videoType: "camera", layoutClassList: []) else {
            throw .notFound("Session \(session.id) not found")
        }
        let id = newID()
        audioConnections[id] = joined.connectionID
        // opentok 3.15's WebSocketAudioConnection reads id, connectionId and bidirectional from the answer.
        return ["id": .string(id), "connectionId": .string(joined.connectionID), "bidirectional": .bool(socket["bidirectional"]?.boolValue ?? false)]
    }

    /// `websocket.audioTransport`: opentok 3.15 sends it as a JSON string, vonage-video 1.6 as an object; both with
    /// `transport` (binary, json) and, for json, `encoding` base64.
    static func checkAudioTransport(_ value: JSONValue) throws(OpenTokFailure) {
        var transport = value
        if let text = value.stringValue {
            guard let parsed = try? JSONParser.parse(Data(text.utf8)) else { throw .badRequest("websocket.audioTransport is not valid JSON") }
            transport = parsed
        }
        guard transport.isObject else { throw .badRequest("websocket.audioTransport must be an object or a JSON string of one") }
        try Body.keys(transport, required: ["transport"], optional: ["encoding", "audio_field", "receive_audio_field", "static_fields"],
                      in: "audioTransport")
        let kind = try Body.string(transport, "transport")
        guard ["binary", "json"].contains(kind) else { throw .badRequest("audioTransport.transport must be binary or json") }
        if kind == "json" && transport["encoding"] == nil { throw .badRequest("audioTransport.encoding is required for json transport") }
        if transport["encoding"] != nil, try Body.string(transport, "encoding") != "base64" { throw .badRequest("audioTransport.encoding must be base64") }
        if let fields = transport["static_fields"], !fields.isObject { throw .badRequest("audioTransport.static_fields must be an object") }
    }
}
