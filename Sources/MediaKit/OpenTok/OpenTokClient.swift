// Every OpenTok server operation mediactl offers (protocols.md §7.2–7.5): typed options in, the
// API's objects out exactly as received. Auth, retries and logging are transport layers around it.
import FoundationEssentials

/// An object as the OpenTok API returned it (archive, broadcast, stream, session, SIP call), with
/// the fields the CLI prints read out of it.
public struct OpenTokObject: Sendable, Equatable {
    public let json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var id: String { json["id"]?.stringValue ?? json["session_id"]?.stringValue ?? "" }
    public var status: String? { json["status"]?.stringValue }
    public var name: String? { json["name"]?.stringValue }
    public var sessionID: String? { json["sessionId"]?.stringValue ?? json["session_id"]?.stringValue }
}

/// Archives and broadcasts share their stop/get/list/layout/streams calls; only the collection differs.
public enum OpenTokRecording: String, CaseIterable, Sendable {
    case archive, broadcast

    public var collectionPath: String { "/\(rawValue)" }

    /// `/archive/{id}` or `/broadcast/{id}`.
    func path(_ id: String) throws(MediaError) -> String { "\(collectionPath)/\(try Self.segment(id, "\(rawValue) ID"))" }

    /// An ID placed in a path: refused when empty or holding characters that would change the path.
    static func segment(_ id: String, _ what: String) throws(MediaError) -> String {
        if id.isEmpty { throw .usage("the \(what) is empty") }
        if id.contains(where: { $0 == "/" || $0 == "?" || $0 == "#" || $0.isWhitespace }) {
            throw .usage("the \(what) '\(id.prefix(120))' contains '/', '?', '#' or a space")
        }
        return Query.encode(id)
    }
}

/// One page of a list: the service's total `count` and the items on this page.
public struct OpenTokPage: Sendable {
    public let count: Int
    public let items: [OpenTokObject]
    public let json: JSONValue
}

public struct OpenTokClient: Sendable {
    let transport: any HTTPTransport
    public let baseURL: RequestURL
    /// The `{P}` = `/v2/project/{apiKey}` segment: the OpenTok API key, or the Vonage application ID (the
    /// Vonage Video API keeps OpenTok's paths under the application ID; vonage-video 1.6 checked call by call).
    public let apiKey: String
    /// For wording auth failures, and for the few requests whose body follows each platform's own SDK
    /// (session create, mute all).
    public let platform: VideoPlatform

    /// `transport` must add the auth header (VideoAuthTransport); the client only
    /// needs the project for paths.
    public init(transport: any HTTPTransport, baseURL: RequestURL, apiKey: String, platform: VideoPlatform = .opentok) {
        self.transport = transport
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.platform = platform
    }

    /// The SDK's cap on a list page.
    public static let maxPageSize = 1000

    // MARK: sessions

    /// `POST /session/create`, form-encoded; the answer is a JSON array whose first element is the session.
    public func createSession(_ options: SessionOptions) throws(MediaError) -> OpenTokObject {
        try options.validate()
        var request = HTTPRequest(method: "POST", url: baseURL.appending(path: "/session/create"), isRetrySafe: false)
        request.setHeader("Accept", "application/json")
        request.setHeader("Content-Type", "application/x-www-form-urlencoded")
        request.body = Data(FormEncoding.string(options.formFields(for: platform)).utf8)
        let response = try send(request)
        let text = String(decoding: response.body, as: UTF8.self).trimming(.whitespacesAndNewlines)
        // JSON whatever the content-type says (G13: the SDK wrongly demands exactly application/json);
        // the old XML form is read for its <session_id> only.
        if text.hasPrefix("[") || text.hasPrefix("{"), let json = try? JSONParser.parse(text) {
            let session = json[0] ?? json
            guard let id = session["session_id"]?.stringValue, !id.isEmpty else {
                throw .network("POST /session/create: the answer has no session_id")
            }
            return OpenTokObject(json: session)
        }
        if let open = text.firstRange(of: "<session_id>"), let close = text[open.upperBound...].firstRange(of: "</session_id>") {
            let id = String(text[open.upperBound..<close.lowerBound]).trimming(.whitespaces)
            if !id.isEmpty { return OpenTokObject(json: ["session_id": .string(id)]) }
        }
        throw .network("POST /session/create: the answer is neither JSON nor the legacy XML form")
    }

    // MARK: archives and broadcasts

    public func startArchive(_ options: ArchiveOptions) throws(MediaError) -> OpenTokObject {
        try options.validate()
        return OpenTokObject(json: try call("POST", "/archive", body: options.json(for: platform), retrySafe: false))
    }

    public func startBroadcast(_ options: BroadcastOptions) throws(MediaError) -> OpenTokObject {
        try options.validate()
        return OpenTokObject(json: try call("POST", "/broadcast", body: options.json(for: platform), retrySafe: false))
    }

    /// Stopping twice is a 409, so a retried stop would turn a success into an error: not repeatable.
    public func stop(_ kind: OpenTokRecording, id: String) throws(MediaError) -> OpenTokObject {
        OpenTokObject(json: try call("POST", "\(try kind.path(id))/stop", retrySafe: false))
    }

    public func get(_ kind: OpenTokRecording, id: String) throws(MediaError) -> OpenTokObject {
        OpenTokObject(json: try call("GET", try kind.path(id)))
    }

    /// Newest first; `offset` 0 is the newest, `count` at most 1000. Broadcasts use `GET {P}/broadcast`
    /// from the REST reference (the Python SDK 3.15 has no such call).
    public func list(_ kind: OpenTokRecording, offset: Int? = nil, count: Int? = nil, sessionID: String? = nil) throws(MediaError) -> OpenTokPage {
        if let offset, offset < 0 { throw .usage("the offset must be 0 or more, got \(offset)") }
        if let count, !(1...Self.maxPageSize).contains(count) { throw .usage("the count must be from 1 to \(Self.maxPageSize), got \(count)") }
        var query: [(String, String)] = []
        if let offset { query.append(("offset", String(offset))) }
        if let count { query.append(("count", String(count))) }
        if let sessionID { query.append(("sessionId", sessionID)) }
        return Self.page(try call("GET", kind.collectionPath, query: query))
    }

    /// Pages of 1000 until `count` items were read or a page comes back short (bounded, in case a server loops).
    public func listAll(_ kind: OpenTokRecording, sessionID: String? = nil, maxPages: Int = 10_000) throws(MediaError) -> [OpenTokObject] {
        var all: [OpenTokObject] = []
        for _ in 0..<maxPages {
            let page = try list(kind, offset: all.count, count: Self.maxPageSize, sessionID: sessionID)
            all += page.items
            if page.items.count < Self.maxPageSize || all.count >= page.count { break }
        }
        return all
    }

    /// Only archives whose status is available or uploaded can be deleted; broadcasts are not deleted.
    public func deleteArchive(_ id: String) throws(MediaError) {
        try perform("DELETE", try OpenTokRecording.archive.path(id))
    }

    public func setLayout(_ kind: OpenTokRecording, id: String, layout: OpenTokLayout) throws(MediaError) {
        try layout.validate()
        try perform("PUT", "\(try kind.path(id))/layout", body: layout.json)
    }

    /// Only for recordings started with stream mode manual (else 405). nil: not chosen (the API's default, true).
    /// opentok 3.15 always sends all three keys, an unchosen one as true; vonage-video 1.6's `AddStreamRequest`
    /// (`exclude_none=True`) sends `addStream` and only the chosen ones, in that order.
    public func addStream(_ kind: OpenTokRecording, id: String, streamID: String, hasAudio: Bool? = nil, hasVideo: Bool? = nil) throws(MediaError) {
        if streamID.isEmpty { throw .usage("the stream ID is empty") }
        var body: JSONValue
        if platform == .vonage {
            body = ["addStream": .string(streamID)]
            if let hasAudio { body.set("hasAudio", .bool(hasAudio)) }
            if let hasVideo { body.set("hasVideo", .bool(hasVideo)) }
        } else {
            body = ["hasAudio": .bool(hasAudio ?? true), "hasVideo": .bool(hasVideo ?? true), "addStream": .string(streamID)]
        }
        try perform("PATCH", "\(try kind.path(id))/streams", body: body)
    }

    public func removeStream(_ kind: OpenTokRecording, id: String, streamID: String) throws(MediaError) {
        if streamID.isEmpty { throw .usage("the stream ID is empty") }
        try perform("PATCH", "\(try kind.path(id))/streams", body: ["removeStream": .string(streamID)])
    }

    // MARK: signals, streams, moderation

    /// To every connection of the session, or to one.
    public func signal(sessionID: String, connectionID: String? = nil, _ message: SignalMessage) throws(MediaError) {
        try message.validate()
        var path = try sessionPath(sessionID)
        if let connectionID { path += "/connection/\(try segment(connectionID, "connection ID"))" }
        // Not repeatable: a retried signal would reach the clients twice.
        try perform("POST", path + "/signal", body: message.json, retrySafe: false)
    }

    public func getStream(sessionID: String, streamID: String) throws(MediaError) -> OpenTokObject {
        OpenTokObject(json: try call("GET", try sessionPath(sessionID) + "/stream/\(try segment(streamID, "stream ID"))"))
    }

    public func listStreams(sessionID: String) throws(MediaError) -> OpenTokPage {
        let json = try call("GET", try sessionPath(sessionID) + "/stream")
        return Self.page(json)
    }

    /// Replaces the layout class lists of the given streams (an empty list clears a stream's classes).
    public func setLayoutClasses(sessionID: String, _ changes: [StreamLayoutClasses]) throws(MediaError) {
        if changes.isEmpty { throw .usage("no streams given to change layout classes of") }
        for change in changes { _ = try segment(change.streamID, "stream ID") }
        let items = changes.map { JSONValue.object([("id", .string($0.streamID)), ("layoutClassList", .array($0.classes.map(JSONValue.string)))]) }
        try perform("PUT", try sessionPath(sessionID) + "/stream", body: ["items": .array(items)])
    }

    public func disconnect(sessionID: String, connectionID: String) throws(MediaError) {
        try perform("DELETE", try sessionPath(sessionID) + "/connection/\(try segment(connectionID, "connection ID"))")
    }

    /// Mutes one stream's audio (there is no per-stream unmute: the client unmutes itself).
    public func muteStream(sessionID: String, streamID: String) throws(MediaError) {
        try perform("POST", try sessionPath(sessionID) + "/stream/\(try segment(streamID, "stream ID"))/mute")
    }

    /// Mutes every stream but `excluding`, and streams published later, until `disableForceMute`.
    /// opentok 3.15 names the list `excludedStreams` (`[]` when none); vonage-video 1.6 names it `excludedStreamIds`
    /// (`null` when none): each platform gets its own SDK's body.
    public func muteAll(sessionID: String, excluding: [String] = []) throws(MediaError) {
        let list = JSONValue.array(excluding.map(JSONValue.string))
        let body: JSONValue = platform == .vonage ? ["active": true, "excludedStreamIds": excluding.isEmpty ? .null : list]
                                                  : ["active": true, "excludedStreams": list]
        try perform("POST", try sessionPath(sessionID) + "/mute", body: body)
    }

    public func disableForceMute(sessionID: String) throws(MediaError) {
        try perform("POST", try sessionPath(sessionID) + "/mute", body: ["active": false])
    }

    /// Plays DTMF tones to every SIP participant, or to one connection.
    public func playDTMF(sessionID: String, connectionID: String? = nil, digits: String) throws(MediaError) {
        try DTMFDigits.validate(digits)
        var path = try sessionPath(sessionID)
        if let connectionID { path += "/connection/\(try segment(connectionID, "connection ID"))" }
        try perform("POST", path + "/play-dtmf", body: ["digits": .string(digits)], retrySafe: false)
    }

    /// Dials a SIP endpoint into a routed session; answers `{"id", "connectionId", "streamId"}`.
    public func dial(_ options: SIPDialOptions) throws(MediaError) -> OpenTokObject {
        try options.validate()
        return OpenTokObject(json: try call("POST", "/dial", body: options.json, retrySafe: false))
    }

    // MARK: plumbing

    static func page(_ json: JSONValue) -> OpenTokPage {
        let items = (json["items"]?.arrayValue ?? []).map(OpenTokObject.init)
        return OpenTokPage(count: json["count"]?.intValue ?? items.count, items: items, json: json)
    }

    private func segment(_ id: String, _ what: String) throws(MediaError) -> String { try OpenTokRecording.segment(id, what) }

    private func sessionPath(_ sessionID: String) throws(MediaError) -> String { "/session/\(try segment(sessionID, "session ID"))" }

    /// A call whose answer is an object mediactl reads: the answer must be JSON.
    func call(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                      retrySafe: Bool = true) throws(MediaError) -> JSONValue {
        let response = try perform(method, path, query: query, body: body, retrySafe: retrySafe)
        do { return try JSONParser.parse(response.body) } catch {
            throw .network("\(method) \(path): the answer is not valid JSON (\(error.description))")
        }
    }

    /// `{P}` + path. JSON-API calls carry Content-Type: application/json even without a body, as the SDK sends them.
    @discardableResult
    func perform(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                         retrySafe: Bool = true) throws(MediaError) -> HTTPResponse {
        let url = baseURL.appending(path: "/v2/project/\(Query.encode(apiKey))\(path)", query: query.isEmpty ? nil : Query.string(query))
        var request = HTTPRequest(method: method, url: url, isRetrySafe: retrySafe)
        request.setHeader("Accept", "application/json")
        request.setHeader("Content-Type", "application/json")
        if let body { request.body = body.data }
        return try send(request)
    }

    private func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        let response = try transport.send(request)
        guard response.isSuccess else { throw OpenTokErrorBody.error(response, request: request, platform: platform) }
        return response
    }
}
