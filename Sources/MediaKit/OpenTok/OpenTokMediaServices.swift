// Live captions, Experience Composer (render) and the Audio Connector (protocols.md §7.6; vonage-video 1.6
// models CaptionsOptions, ExperienceComposerOptions, AudioConnectorOptions): options, their limits, the wire bodies
// (on the Vonage platform only the keys given, as vonage-video's `model_dump(exclude_none=True)` sends them; on the
// OpenTok platform captions and render starts as opentok 3.15 sends them, defaults spelled out) and the client calls.
import FoundationEssentials
import Glibc

public enum OpenTokMediaLimits {
    /// vonage-video's LanguageCode enum.
    public static let captionLanguages = ["en-US", "en-AU", "en-GB", "zh-CN", "fr-FR", "fr-CA", "de-DE", "hi-IN", "it-IT", "ja-JP", "ko-KR", "pt-BR", "th-TH"]
    public static let captionsMaxDuration = 300...14_400
    public static let renderMaxDuration = 60...36_000
    public static let callbackURLLength = 15...2048
    public static let renderNameLength = 1...200
    public static let audioRates = [8000, 16000]
}

public struct CaptionsOptions: Sendable, Equatable {
    public var sessionID: String
    /// A moderator client token for the session (mediactl makes it).
    public var token: String
    public var languageCode: String?
    public var maxDuration: Int?
    public var partialCaptions: Bool?
    public var statusCallbackURL: String?

    public init(sessionID: String, token: String) {
        self.sessionID = sessionID
        self.token = token
    }

    public func validate() throws(MediaError) {
        if let languageCode, !OpenTokMediaLimits.captionLanguages.contains(languageCode) {
            throw .usage("the captions language '\(languageCode)' is not one of \(OpenTokMediaLimits.captionLanguages.joined(separator: ", "))")
        }
        try OpenTokLimits.check(maxDuration, in: OpenTokMediaLimits.captionsMaxDuration, "the captions' maximum duration")
        if let url = statusCallbackURL { try OpenTokMediaLimits.checkURL(url, "the status callback URL", schemes: ["https://", "http://"]) }
    }

    /// The body each platform's SDK sends: opentok 3.15's `start_captions` spells out its defaults (en-US, 14400 s,
    /// partial captions) and an unset callback as null; vonage-video sends only what is set.
    public func json(for platform: VideoPlatform) -> JSONValue {
        guard platform == .opentok else { return json }
        return .object([("sessionId", .string(sessionID)), ("token", .string(token)),
                        ("languageCode", .string(languageCode ?? "en-US")), ("maxDuration", .int(maxDuration ?? 14_400)),
                        ("partialCaptions", .bool(partialCaptions ?? true)),
                        ("statusCallbackUrl", statusCallbackURL.map { .string($0) } ?? .null)])
    }

    /// Only the keys given (vonage-video's body).
    public var json: JSONValue {
        var body: [(String, JSONValue)] = [("sessionId", .string(sessionID)), ("token", .string(token))]
        if let languageCode { body.append(("languageCode", .string(languageCode))) }
        if let maxDuration { body.append(("maxDuration", .int(maxDuration))) }
        if let partialCaptions { body.append(("partialCaptions", .bool(partialCaptions))) }
        if let statusCallbackURL { body.append(("statusCallbackUrl", .string(statusCallbackURL))) }
        return .object(body)
    }
}

public struct RenderOptions: Sendable, Equatable {
    public var sessionID: String
    /// A publisher client token for the composed stream's connection (mediactl makes it).
    public var token: String
    /// The page the Experience Composer loads and publishes.
    public var url: String
    public var maxDuration: Int?
    public var resolution: OpenTokResolution?
    /// The published stream's name (`properties.name`).
    public var name: String?

    public init(sessionID: String, token: String, url: String) {
        self.sessionID = sessionID
        self.token = token
        self.url = url
    }

    public func validate() throws(MediaError) {
        try OpenTokMediaLimits.checkURL(url, "the page URL", schemes: ["https://", "http://"])
        try OpenTokLimits.check(maxDuration, in: OpenTokMediaLimits.renderMaxDuration, "the render's maximum duration")
        if let name, !OpenTokMediaLimits.renderNameLength.contains(name.count) {
            throw .usage("the stream name must be 1 to 200 characters, got \(name.count)")
        }
    }

    /// The body each platform's SDK sends: opentok 3.15's `start_render` spells out 7200 s and 1280x720 and sends
    /// unset properties as null; vonage-video sends only what is set.
    public func json(for platform: VideoPlatform) -> JSONValue {
        guard platform == .opentok else { return json }
        return .object([("sessionId", .string(sessionID)), ("token", .string(token)), ("url", .string(url)),
                        ("maxDuration", .int(maxDuration ?? 7_200)),
                        ("resolution", .string(resolution?.rawValue ?? OpenTokResolution.hd.rawValue)),
                        ("properties", name.map { ["name": .string($0)] } ?? .null)])
    }

    /// Only the keys given (vonage-video's body).
    public var json: JSONValue {
        var body: [(String, JSONValue)] = [("sessionId", .string(sessionID)), ("token", .string(token)), ("url", .string(url))]
        if let maxDuration { body.append(("maxDuration", .int(maxDuration))) }
        if let resolution { body.append(("resolution", .string(resolution.rawValue))) }
        if let name { body.append(("properties", ["name": .string(name)])) }
        return .object(body)
    }
}

public struct AudioConnectorOptions: Sendable, Equatable {
    public var sessionID: String
    /// A publisher client token for the connector's connection (mediactl makes it).
    public var token: String
    public var uri: String
    /// Only these streams (default: all).
    public var streams: [String] = []
    /// Headers sent to the WebSocket server, in order.
    public var headers: [(String, String)] = []
    public var audioRate: Int?
    /// vonage-video sends `bidirectional` only when true.
    public var bidirectional = false
    /// How audio is framed on the WebSocket (`websocket.audioTransport`); nil sends none (raw binary PCM16 frames).
    public var audioTransport: AudioTransport?

    public init(sessionID: String, token: String, uri: String) {
        self.sessionID = sessionID
        self.token = token
        self.uri = uri
    }

    public static func == (a: AudioConnectorOptions, b: AudioConnectorOptions) -> Bool { a.json == b.json }

    public func validate() throws(MediaError) {
        try OpenTokMediaLimits.checkURL(uri, "the WebSocket URI", schemes: ["wss://", "ws://"])
        if let audioRate, !OpenTokMediaLimits.audioRates.contains(audioRate) { throw .usage("the audio rate must be 8000 or 16000 Hz, got \(audioRate)") }
        var seen = Set<String>()
        for (name, _) in headers where !seen.insert(name.lowercased()).inserted { throw .usage("header \(name) is given twice") }
        try audioTransport?.validate()
    }

    /// The body opentok 3.15 sends.
    public var json: JSONValue { json(for: .opentok) }

    /// The body each platform's SDK sends: they differ only in `audioTransport`, which opentok 3.15 sends as a compact
    /// JSON string (`json.dumps(..., separators=(',', ':'))`) and vonage-video 1.6 as an object.
    public func json(for platform: VideoPlatform) -> JSONValue {
        var socket: [(String, JSONValue)] = [("uri", .string(uri))]
        if !streams.isEmpty { socket.append(("streams", .array(streams.map(JSONValue.string)))) }
        if !headers.isEmpty { socket.append(("headers", .object(headers.map { ($0.0, .string($0.1)) }))) }
        if let audioRate { socket.append(("audioRate", .int(audioRate))) }
        if bidirectional { socket.append(("bidirectional", true)) }
        if let audioTransport {
            socket.append(("audioTransport", platform == .vonage ? audioTransport.json : .string(audioTransport.json.compactText)))
        }
        return .object([("sessionId", .string(sessionID)), ("token", .string(token)), ("websocket", .object(socket))])
    }
}

/// `websocket.audioTransport` of the Audio Connector: binary PCM16 frames, or JSON messages carrying base64 audio.
/// Field names as both SDKs send them (snake_case inside, in their order).
public struct AudioTransport: Sendable, Equatable {
    public enum Transport: String, CaseIterable, Sendable { case binary, json }
    public static let encodings = ["base64"]

    public var transport: Transport
    /// Required by both SDKs for JSON transport; base64 is the only encoding they know.
    public var encoding: String?
    public var audioField: String?
    public var receiveAudioField: String?
    /// Extra fields in every outbound JSON message, in order.
    public var staticFields: [(String, String)] = []

    public init(transport: Transport) { self.transport = transport }

    public static func == (a: AudioTransport, b: AudioTransport) -> Bool { a.json == b.json }

    public func validate() throws(MediaError) {
        if transport == .json && encoding == nil { throw .usage("the JSON audio transport needs an encoding (base64)") }
        if let encoding, !Self.encodings.contains(encoding) { throw .usage("the audio encoding must be base64, got '\(encoding.prefix(40))'") }
        var seen = Set<String>()
        for (name, _) in staticFields where !seen.insert(name).inserted { throw .usage("static field \(name) is given twice") }
    }

    public var json: JSONValue {
        var members: [(String, JSONValue)] = [("transport", .string(transport.rawValue))]
        if let encoding { members.append(("encoding", .string(encoding))) }
        if let audioField { members.append(("audio_field", .string(audioField))) }
        if let receiveAudioField { members.append(("receive_audio_field", .string(receiveAudioField))) }
        if !staticFields.isEmpty { members.append(("static_fields", .object(staticFields.map { ($0.0, .string($0.1)) }))) }
        return .object(members)
    }
}

extension OpenTokMediaLimits {
    static func checkURL(_ url: String, _ what: String, schemes: [String]) throws(MediaError) {
        let lower = url.lowercased()
        guard schemes.contains(where: { lower.hasPrefix($0) }), !url.contains(where: \.isWhitespace) else {
            throw .usage("\(what) '\(url.prefix(120))' must start with \(schemes.joined(separator: " or ")) and contain no spaces")
        }
        if !callbackURLLength.contains(url.count) { throw .usage("\(what) must be 15 to 2048 characters, got \(url.count)") }
    }
}

extension OpenTokClient {
    /// `POST {P}/captions` → `{"captionsId"}`. Not repeatable: a second start is a 409 while captions run.
    public func startCaptions(_ options: CaptionsOptions) throws(MediaError) -> OpenTokObject {
        try options.validate()
        return OpenTokObject(json: try call("POST", "/captions", body: options.json(for: platform), retrySafe: false))
    }

    /// `POST {P}/captions/{captionsId}/stop` (202, no body read).
    public func stopCaptions(_ captionsID: String) throws(MediaError) {
        try perform("POST", "/captions/\(try OpenTokRecording.segment(captionsID, "captions ID"))/stop", retrySafe: false)
    }

    /// `POST {P}/render` → 202 and the render object.
    public func startRender(_ options: RenderOptions) throws(MediaError) -> OpenTokObject {
        try options.validate()
        return OpenTokObject(json: try call("POST", "/render", body: options.json(for: platform), retrySafe: false))
    }

    public func getRender(_ id: String) throws(MediaError) -> OpenTokObject {
        OpenTokObject(json: try call("GET", "/render/\(try OpenTokRecording.segment(id, "render ID"))"))
    }

    public func listRenders(offset: Int? = nil, count: Int? = nil) throws(MediaError) -> OpenTokPage {
        if let offset, offset < 0 { throw .usage("the offset must be 0 or more, got \(offset)") }
        if let count, !(1...Self.maxPageSize).contains(count) { throw .usage("the count must be from 1 to \(Self.maxPageSize), got \(count)") }
        var query: [(String, String)] = []
        if let offset { query.append(("offset", String(offset))) }
        if let count { query.append(("count", String(count))) }
        return Self.page(try call("GET", "/render", query: query))
    }

    /// `DELETE {P}/render/{id}`: stops the Experience Composer (200 or 204).
    public func stopRender(_ id: String) throws(MediaError) {
        try perform("DELETE", "/render/\(try OpenTokRecording.segment(id, "render ID"))")
    }

    /// `POST {P}/connect` → `{"id", "connectionId"}`; 409 when the session is not routed.
    public func connectAudio(_ options: AudioConnectorOptions) throws(MediaError) -> OpenTokObject {
        try options.validate()
        return OpenTokObject(json: try call("POST", "/connect", body: options.json(for: platform), retrySafe: false))
    }
}
