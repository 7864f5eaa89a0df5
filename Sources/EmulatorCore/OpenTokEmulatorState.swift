// The OpenTok emulator's state and the rules of each call: sessions with their connections and
// streams, archives (started → stopped → available) and broadcasts, and body checks that accept
// exactly what opentok 3.15 sends (protocols.md §7.2–7.5). Used only under OpenTokEmulator's lock.
import Foundation
import MediaKit

public struct OpenTokStreamView: Sendable, Equatable {
    public let id: String
    public let connectionID: String
    public let name: String
    public let videoType: String
    public let layoutClassList: [String]
    /// Set by `stream mute` / `mute-all`; the client would unmute itself.
    public let audioMuted: Bool
}

public struct OpenTokSignalView: Sendable, Equatable {
    /// Nil: sent to the whole session.
    public let connectionID: String?
    public let type: String?
    public let data: String

    public init(connectionID: String?, type: String?, data: String) {
        self.connectionID = connectionID
        self.type = type
        self.data = data
    }
}

public struct OpenTokDTMFView: Sendable, Equatable {
    public let connectionID: String?
    public let digits: String

    public init(connectionID: String?, digits: String) {
        self.connectionID = connectionID
        self.digits = digits
    }
}

public struct OpenTokSessionView: Sendable {
    public let id: String
    public let routed: Bool
    public let archiveAlways: Bool
    public let e2ee: Bool
    public let location: String?
    public let connections: [String]
    public let streams: [OpenTokStreamView]
    public let forceMuteActive: Bool
    public let excludedStreams: [String]
    public let signals: [OpenTokSignalView]
    public let dtmf: [OpenTokDTMFView]
    /// The `sip` objects of the dial calls that joined this session.
    public let sipCalls: [JSONValue]
}

struct OpenTokEmulatorState {
    enum Recording { case archive, broadcast }

    struct Stream {
        let id: String
        let connectionID: String
        var name: String
        var videoType: String
        var layoutClassList: [String]
        var audioMuted = false
    }

    struct Session {
        let id: String
        let routed: Bool
        let archiveAlways: Bool
        let e2ee: Bool
        let location: String?
        var connections: [String] = []
        var streams: [Stream] = []
        var forceMuteActive = false
        var excludedStreams: [String] = []
        var signals: [OpenTokSignalView] = []
        var dtmf: [OpenTokDTMFView] = []
        var sipCalls: [JSONValue] = []
    }

    struct RecordedStream {
        let id: String
        var hasAudio: Bool
        var hasVideo: Bool
    }

    /// An archive or a broadcast: the fields the service reports, kept as they were asked for.
    struct Record {
        let kind: Recording
        let id: String
        let sessionID: String
        let createdAt: Int64
        var updatedAt: Int64
        var status: String
        let streamMode: String
        let hasAudio: Bool
        let hasVideo: Bool
        let resolution: String?
        let maxBitrate: Int?
        let tag: String?
        var layout: JSONValue?
        var streams: [RecordedStream] = []
        // archives
        var name: String?
        var outputMode = "composed"
        var quantizationParameter: Int?
        var hasTranscription = false
        var transcriptionProperties: JSONValue?
        var stoppedAt: Int64?
        // broadcasts
        var maxDuration = 14_400
        var hls: JSONValue?
        var rtmp: [JSONValue] = []
        /// Creation order across restarts (the list order for equal `createdAt`).
        var sequence = 0
    }

    let apiKey: String
    let secret: Data
    /// A Vonage application's public key: client tokens are then its RS256 JWTs (`secret` is unused).
    let publicKey: RSAPublicKey?
    // Internal rather than private so the persistence extension (OpenTokEmulatorState+Persistence.swift) can reach them.
    var sessions: [String: Session] = [:]
    var records: [Record] = []
    var nextSequence = 0
    /// X-OPENTOK-AUTH `jti`s already used, with their `exp` (a JWT is refused after it anyway).
    var seenJTIs: [String: Int] = [:]
    /// Live captions running (captions ID → session ID), Experience Composers and Audio Connector connections.
    /// Kept in memory only: unlike sessions and recordings they do not survive a restart of the emulator.
    var captions: [String: String] = [:]
    var renders: [Render] = []
    var audioConnections: [String: String] = [:]
    /// What changed since the last save, for the persistence layer.
    var journal = StateJournal()
    private var counter = 0

    init(apiKey: String, secret: Data, publicKey: RSAPublicKey? = nil) {
        self.apiKey = apiKey
        self.secret = secret
        self.publicKey = publicKey
    }

    static func millis(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded(.down)) }

    mutating func newID() -> String {
        counter += 1
        return UUID().uuidString.lowercased()
    }

    // MARK: - sessions

    mutating func createSession(routed: Bool, archiveAlways: Bool, e2ee: Bool, location: String?, now: Date) -> String {
        let id = OpenTokSessionID.make(apiKey: apiKey, createdMillis: Self.millis(now), random: Digest.randomBytes(9).base64URLEncoded, routed: routed)
        sessions[id] = Session(id: id, routed: routed, archiveAlways: archiveAlways, e2ee: e2ee, location: location)
        noteSession(id)
        return id
    }

    /// `POST /session/create` form: the fields are a set, in any order, each optional with the API's default (what
    /// vonage-video's create_session() relies on: it sends no body at all, or its own order); the default media mode
    /// is relayed for an OpenTok project and routed for a Vonage application (docs/vonage-decisions.md). Fields the
    /// API does not document are ignored, as the service ignores vonage-video's `media_mode=routed|relayed`.
    mutating func createSession(form fields: [(String, String)], now: Date) throws(OpenTokFailure) -> JSONValue {
        let known: Set<String> = ["p2p.preference", "archiveMode", "archiveName", "archiveResolution", "location", "e2ee"]
        var values: [String: String] = [:]
        for (name, value) in fields where known.contains(name) {
            guard values[name] == nil else { throw .badRequest("Session property '\(name)' given twice") }
            values[name] = value
        }
        // vonage-video sends Python's spelling of booleans (e2ee=True).
        let p2p = values["p2p.preference"] ?? (publicKey == nil ? "enabled" : "disabled"), mode = values["archiveMode"] ?? "manual", e2eeText = (values["e2ee"] ?? "false").lowercased()
        guard ["enabled", "disabled"].contains(p2p) else { throw .badRequest("p2p.preference must be enabled or disabled") }
        guard ["manual", "always"].contains(mode) else { throw .badRequest("archiveMode must be manual or always") }
        guard ["true", "false"].contains(e2eeText) else { throw .badRequest("e2ee must be true or false") }
        let routed = p2p == "disabled"
        if mode == "always" && !routed { throw .badRequest("archiveMode always requires the routed media mode (p2p.preference=disabled)") }
        if e2eeText == "true" && !routed { throw .badRequest("e2ee requires the routed media mode") }
        if let name = values["archiveName"] {
            if mode != "always" { throw .badRequest("archiveName is only allowed with archiveMode always") }
            if !(1...80).contains(name.count) { throw .badRequest("archiveName must be 1 to 80 characters") }
        }
        if let resolution = values["archiveResolution"] {
            if mode != "always" { throw .badRequest("archiveResolution is only allowed with archiveMode always") }
            if OpenTokResolution(rawValue: resolution) == nil { throw .badRequest("Invalid archiveResolution \(resolution)") }
        }
        if let location = values["location"] {
            var address = in_addr()
            if inet_pton(AF_INET, location, &address) != 1 { throw .badRequest("location must be an IPv4 address") }
        }
        let id = createSession(routed: routed, archiveAlways: mode == "always", e2ee: e2eeText == "true", location: values["location"], now: now)
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "EEE MMM dd HH:mm:ss zzz yyyy"
        return ["session_id": .string(id), "project_id": .string(apiKey), "partner_id": .string(apiKey),
                "create_dt": .string(formatter.string(from: now)), "media_server_url": ""]
    }

    /// The session named in a path or body: 400 when it is not this project's ID, 404 when unknown.
    func session(_ id: String) throws(OpenTokFailure) -> Session {
        guard let parts = OpenTokSessionID.parts(id), parts.contains(apiKey) else { throw .badRequest("Invalid session ID \(id)") }
        guard let session = sessions[id] else { throw .notFound("Session \(id) not found") }
        return session
    }

    mutating func connect(sessionID: String, streamName: String, videoType: String, layoutClassList: [String]) -> (connectionID: String, streamID: String)? {
        guard sessions[sessionID] != nil else { return nil }
        let connection = newID(), stream = newID()
        sessions[sessionID]?.connections.append(connection)
        sessions[sessionID]?.streams.append(Stream(id: stream, connectionID: connection, name: streamName, videoType: videoType,
                                                   layoutClassList: layoutClassList))
        noteSession(sessionID)
        return (connection, stream)
    }

    func view(_ id: String) -> OpenTokSessionView? {
        guard let s = sessions[id] else { return nil }
        return OpenTokSessionView(
            id: s.id, routed: s.routed, archiveAlways: s.archiveAlways, e2ee: s.e2ee, location: s.location, connections: s.connections,
            streams: s.streams.map { OpenTokStreamView(id: $0.id, connectionID: $0.connectionID, name: $0.name, videoType: $0.videoType,
                                                       layoutClassList: $0.layoutClassList, audioMuted: $0.audioMuted) },
            forceMuteActive: s.forceMuteActive, excludedStreams: s.excludedStreams, signals: s.signals, dtmf: s.dtmf, sipCalls: s.sipCalls)
    }

    // MARK: - archives and broadcasts

    /// The start body: opentok 3.15 sends nine keys always (null when unset), vonage-video only the ones set; the
    /// service takes both, with its defaults (audio and video on, composed, auto) for what is absent or null.
    mutating func startArchive(_ body: JSONValue, now: Date) throws(OpenTokFailure) -> JSONValue {
        try Body.keys(body, required: ["sessionId"],
                      optional: ["name", "hasAudio", "hasVideo", "outputMode", "resolution", "streamMode", "multiArchiveTag", "maxBitrate",
                                 "quantizationParameter", "layout", "hasTranscription", "transcriptionProperties"], in: "archive")
        let session = try session(try Body.string(body, "sessionId"))
        let name = try Body.optionalString(body, "name")
        let hasAudio = try Body.optionalBool(body, "hasAudio") ?? true, hasVideo = try Body.optionalBool(body, "hasVideo") ?? true
        let outputMode = try Body.optionalChoice(body, "outputMode", OpenTokOutputMode.allCases.map(\.rawValue)) ?? OpenTokOutputMode.composed.rawValue
        let resolution = try Body.optionalChoice(body, "resolution", OpenTokResolution.allCases.map(\.rawValue))
        let streamMode = try Body.optionalChoice(body, "streamMode", OpenTokStreamMode.allCases.map(\.rawValue)) ?? OpenTokStreamMode.auto.rawValue
        let tag = try Body.optionalString(body, "multiArchiveTag")
        let maxBitrate = try Body.optionalInt(body, "maxBitrate", OpenTokLimits.maxBitrate)
        let qp = try Body.optionalInt(body, "quantizationParameter", OpenTokLimits.quantizationParameter)
        if !hasAudio && !hasVideo { throw .badRequest("An archive must have audio or video") }
        if outputMode == "individual" && resolution != nil { throw .badRequest("Resolution can't be set for individual output mode") }
        let layout = try body["layout"].map { (l: JSONValue) throws(OpenTokFailure) -> JSONValue in try Body.layout(l); return l }
        if layout != nil && outputMode == "individual" { throw .badRequest("A layout can't be set for individual output mode") }
        var hasTranscription = false
        if body["hasTranscription"] != nil { hasTranscription = try Body.bool(body, "hasTranscription") }
        let transcription = body["transcriptionProperties"]
        if let transcription {
            guard hasTranscription else { throw .badRequest("transcriptionProperties needs hasTranscription true") }
            try Body.keys(transcription, required: [], optional: ["primaryLanguageCode", "hasSummary"], in: "transcriptionProperties")
            _ = try Body.optionalString(transcription, "primaryLanguageCode")
            if transcription["hasSummary"] != nil { _ = try Body.bool(transcription, "hasSummary") }
        }
        guard session.routed else { throw .conflict("Session \(session.id) is relayed (p2p): archiving needs the routed media mode") }
        try checkNotRecording(.archive, sessionID: session.id, tag: tag)
        let time = Self.millis(now)
        var record = Record(kind: .archive, id: newID(), sessionID: session.id, createdAt: time, updatedAt: time, status: "started",
                            streamMode: streamMode, hasAudio: hasAudio, hasVideo: hasVideo,
                            resolution: outputMode == "composed" ? (resolution ?? OpenTokResolution.sd.rawValue) : nil,
                            maxBitrate: maxBitrate, tag: tag, layout: layout)
        record.name = name
        record.outputMode = outputMode
        record.quantizationParameter = qp
        record.hasTranscription = hasTranscription
        record.transcriptionProperties = transcription
        return json(add(record))
    }

    /// Options merged at the top level of `{"sessionId", "streamMode"}`, `outputs` required. `streamMode` is optional
    /// (the API's default is auto): vonage-video 1.6 leaves it out unless it is set.
    mutating func startBroadcast(_ body: JSONValue, now: Date) throws(OpenTokFailure) -> JSONValue {
        try Body.keys(body, required: ["sessionId", "outputs"],
                      optional: ["streamMode", "layout", "maxDuration", "resolution", "maxBitrate", "hasAudio", "hasVideo", "multiBroadcastTag"], in: "broadcast")
        let session = try session(try Body.string(body, "sessionId"))
        let streamMode = try Body.optionalChoice(body, "streamMode", OpenTokStreamMode.allCases.map(\.rawValue)) ?? OpenTokStreamMode.auto.rawValue
        guard let outputs = body["outputs"], outputs.isObject else { throw .badRequest("outputs must be an object") }
        try Body.keys(outputs, required: [], optional: ["hls", "rtmp"], in: "outputs")
        var hls: JSONValue?
        if let h = outputs["hls"] {
            try Body.keys(h, required: [], optional: ["lowLatency", "dvr"], in: "outputs.hls")
            let low = h["lowLatency"] != nil ? try Body.bool(h, "lowLatency") : false
            let dvr = h["dvr"] != nil ? try Body.bool(h, "dvr") : false
            if low && dvr { throw .badRequest("HLS lowLatency and dvr cannot both be true") }
            hls = ["lowLatency": .bool(low), "dvr": .bool(dvr)]
        }
        var rtmp: [JSONValue] = []
        if let r = outputs["rtmp"] {
            guard let targets = r.arrayValue else { throw .badRequest("outputs.rtmp must be an array") }
            if targets.count > OpenTokLimits.maxRTMPTargets { throw .badRequest("A broadcast can have at most 5 RTMP targets") }
            for target in targets {
                try Body.keys(target, required: ["serverUrl", "streamName"], optional: ["id"], in: "rtmp target")
                let server = try Body.string(target, "serverUrl")
                guard server.hasPrefix("rtmp://") || server.hasPrefix("rtmps://") else { throw .badRequest("Invalid RTMP serverUrl \(server)") }
                var entry: JSONValue = [:]
                if target["id"] != nil { entry.set("id", .string(try Body.string(target, "id"))) }
                entry.set("serverUrl", .string(server))
                entry.set("streamName", .string(try Body.string(target, "streamName")))
                entry.set("status", "connecting")
                rtmp.append(entry)
            }
        }
        if hls == nil && rtmp.isEmpty { throw .badRequest("A broadcast needs an HLS or RTMP output") }
        let layout = try body["layout"].map { (l: JSONValue) throws(OpenTokFailure) -> JSONValue in try Body.layout(l); return l }
        let maxDuration = try Body.optionalInt(body, "maxDuration", OpenTokLimits.broadcastMaxDuration)
        let resolution = try Body.optionalChoice(body, "resolution", OpenTokResolution.allCases.map(\.rawValue))
        let maxBitrate = try Body.optionalInt(body, "maxBitrate", OpenTokLimits.maxBitrate)
        let hasAudio = body["hasAudio"] != nil ? try Body.bool(body, "hasAudio") : true
        let hasVideo = body["hasVideo"] != nil ? try Body.bool(body, "hasVideo") : true
        if !hasAudio && !hasVideo { throw .badRequest("A broadcast must have audio or video") }
        let tag = try Body.optionalString(body, "multiBroadcastTag")
        try checkNotRecording(.broadcast, sessionID: session.id, tag: tag)
        let time = Self.millis(now)
        var record = Record(kind: .broadcast, id: newID(), sessionID: session.id, createdAt: time, updatedAt: time, status: "started",
                            streamMode: streamMode, hasAudio: hasAudio, hasVideo: hasVideo, resolution: resolution ?? OpenTokResolution.sd.rawValue,
                            maxBitrate: maxBitrate, tag: tag, layout: layout)
        record.maxDuration = maxDuration ?? 14_400
        record.hls = hls
        record.rtmp = rtmp
        return json(add(record))
    }

    /// One recording of a kind per session, unless every running one and the new one carry different tags.
    private func checkNotRecording(_ kind: Recording, sessionID: String, tag: String?) throws(OpenTokFailure) {
        let running = records.filter { $0.kind == kind && $0.sessionID == sessionID && $0.status == "started" }
        guard !running.isEmpty else { return }
        if let tag, !running.contains(where: { $0.tag == nil || $0.tag == tag }) { return }
        throw .conflict(kind == .archive ? "Archive already started for session \(sessionID)" : "Broadcast already started for session \(sessionID)")
    }

    private func index(_ kind: Recording, _ id: String) throws(OpenTokFailure) -> Int {
        guard let i = records.firstIndex(where: { $0.kind == kind && $0.id == id }) else {
            throw .notFound(kind == .archive ? "Archive \(id) not found" : "Broadcast \(id) not found")
        }
        return i
    }

    /// A stopped archive becomes available the first time it is read after the stop (processing is instant here).
    private mutating func settle(_ i: Int) {
        guard records[i].kind == .archive, records[i].status == "stopped", let stopped = records[i].stoppedAt else { return }
        records[i].status = "available"
        records[i].updatedAt = stopped
        noteRecord(i)
    }

    mutating func get(_ kind: Recording, id: String) throws(OpenTokFailure) -> JSONValue {
        let i = try index(kind, id)
        settle(i)
        return json(records[i])
    }

    mutating func stop(_ kind: Recording, id: String, now: Date) throws(OpenTokFailure) -> JSONValue {
        let i = try index(kind, id)
        guard records[i].status == "started" else {
            throw .conflict("\(kind == .archive ? "Archive" : "Broadcast") \(id) is not started (status \(records[i].status))")
        }
        let time = Self.millis(now)
        records[i].status = "stopped"
        records[i].updatedAt = time
        records[i].stoppedAt = time
        noteRecord(i)
        return json(records[i])
    }

    mutating func deleteArchive(_ id: String) throws(OpenTokFailure) {
        let i = try index(.archive, id)
        settle(i)
        guard ["available", "uploaded", "failed", "expired"].contains(records[i].status) else {
            throw .conflict("Archive \(id) is \(records[i].status): only available or uploaded archives can be deleted")
        }
        records[i].status = "deleted"
        let removed = records.remove(at: i)
        noteRecordRemoved(removed.id)
    }

    /// `{"count": all matching, "items": one page}`, newest first; offset default 0, count default 50, ≤ 1000.
    mutating func list(_ kind: Recording, params: [(String, String)]) throws(OpenTokFailure) -> JSONValue {
        let (offset, count, sessionID) = try Self.page(params, sessionFilter: true)
        for i in records.indices { settle(i) }
        let matching = records.enumerated().filter { $0.element.kind == kind && (sessionID == nil || $0.element.sessionID == sessionID) }
            .sorted { ($0.element.createdAt, $0.offset) > ($1.element.createdAt, $1.offset) }.map(\.element)
        let page = matching.dropFirst(offset).prefix(count)
        return ["count": .int(matching.count), "items": .array(page.map(json))]
    }

    /// A list call's `offset` (default 0), `count` (default 50, at most 1000) and, where allowed, `sessionId`.
    static func page(_ params: [(String, String)], sessionFilter: Bool) throws(OpenTokFailure) -> (offset: Int, count: Int, sessionID: String?) {
        var offset = 0, count = 50
        var sessionID: String?
        for (name, value) in params {
            switch name {
            case "offset":
                guard let n = Int(value), n >= 0 else { throw .badRequest("offset must be a whole number ≥ 0") }
                offset = n
            case "count":
                guard let n = Int(value), (1...1000).contains(n) else { throw .badRequest("count must be from 1 to 1000") }
                count = n
            case "sessionId" where sessionFilter: sessionID = value
            // Others are ignored, as by the service: vonage-video 1.6.1 filters with `session_id`, which the API
            // reference does not name, and gets the unfiltered list.
            default: continue
            }
        }
        return (offset, count, sessionID)
    }

    /// The archive or broadcast as it now is: vonage-video's change_*_layout builds its model from the answer.
    mutating func setLayout(_ kind: Recording, id: String, _ body: JSONValue) throws(OpenTokFailure) -> JSONValue {
        let i = try index(kind, id)
        try Body.layout(body)
        if kind == .archive && records[i].outputMode == "individual" { throw .badRequest("Individual archives have no layout") }
        guard records[i].status == "started" else { throw .conflict("\(id) is not started") }
        records[i].layout = body
        noteRecord(i)
        return json(records[i])
    }

    /// `{"addStream", "hasAudio", "hasVideo"}` (opentok sends all three, vonage-video only those set; both default to
    /// true) or `{"removeStream"}`.
    mutating func patchStreams(_ kind: Recording, id: String, _ body: JSONValue) throws(OpenTokFailure) {
        let i = try index(kind, id)
        let adding = body["addStream"] != nil
        if adding {
            try Body.keys(body, required: ["addStream"], optional: ["hasAudio", "hasVideo"], in: "streams change")
        } else {
            try Body.keys(body, required: ["removeStream"], optional: [], in: "streams change")
        }
        guard records[i].status == "started" else { throw .conflict("\(id) is not started") }
        guard records[i].streamMode == "manual" else {
            throw OpenTokFailure(status: 405, message: "Streams can only be added or removed when streamMode is manual")
        }
        let session = try session(records[i].sessionID)
        if adding {
            let streamID = try Body.string(body, "addStream")
            guard session.streams.contains(where: { $0.id == streamID }) else { throw .notFound("Stream \(streamID) not found in the session") }
            let entry = RecordedStream(id: streamID, hasAudio: try Body.optionalBool(body, "hasAudio") ?? true,
                                       hasVideo: try Body.optionalBool(body, "hasVideo") ?? true)
            if let j = records[i].streams.firstIndex(where: { $0.id == streamID }) { records[i].streams[j] = entry } else { records[i].streams.append(entry) }
        } else {
            let streamID = try Body.string(body, "removeStream")
            guard let j = records[i].streams.firstIndex(where: { $0.id == streamID }) else { throw .notFound("Stream \(streamID) is not in \(id)") }
            records[i].streams.remove(at: j)
        }
        noteRecord(i)
    }

    /// The object the service reports; archives carry `url` once available.
    func json(_ r: Record) -> JSONValue {
        let streams: [JSONValue]
        if r.streamMode == "manual" {
            streams = r.streams.map { ["streamId": .string($0.id), "hasAudio": .bool($0.hasAudio), "hasVideo": .bool($0.hasVideo)] }
        } else {
            streams = (sessions[r.sessionID]?.streams ?? []).map { ["streamId": .string($0.id), "hasAudio": true, "hasVideo": true] }
        }
        // OpenTok names the project by its number; the Vonage API answers with the application ID (vonage-video's
        // Archive and Broadcast models read `applicationId`).
        let project = publicKey == nil ? JSONValue.number(apiKey) : JSONValue.string(apiKey)
        let vonage = publicKey != nil
        if r.kind == .archive {
            let available = r.status == "available"
            let duration = available ? Int(((r.stoppedAt ?? r.createdAt) - r.createdAt) / 1000) : 0
            var o: JSONValue = ["id": .string(r.id), "status": .string(r.status), "name": r.name.map(JSONValue.string) ?? .null, "reason": "",
                                "sessionId": .string(r.sessionID), (vonage ? "applicationId" : "partnerId"): project, "createdAt": .number(String(r.createdAt)),
                                "updatedAt": .number(String(r.updatedAt)), "size": .int(available ? 1_048_576 : 0), "duration": .int(duration),
                                "outputMode": .string(r.outputMode), "streamMode": .string(r.streamMode), "hasAudio": .bool(r.hasAudio),
                                "hasVideo": .bool(r.hasVideo), "hasTranscription": .bool(r.hasTranscription)]
            if let t = r.transcriptionProperties { o.set("transcriptionProperties", t) }
            if let resolution = r.resolution { o.set("resolution", .string(resolution)) }
            if let tag = r.tag { o.set("multiArchiveTag", .string(tag)) }
            if let b = r.maxBitrate { o.set("maxBitrate", .int(b)) }
            if let q = r.quantizationParameter { o.set("quantizationParameter", .int(q)) }
            o.set("streams", .array(streams))
            o.set("url", available ? .string("https://archives.opentok.invalid/\(apiKey)/\(r.id)/archive.\(r.outputMode == "composed" ? "mp4" : "zip")") : .null)
            return o
        }
        var urls: JSONValue = [:]
        if r.hls != nil {
            urls.set("hls", .string("https://broadcast.opentok.invalid/\(r.id)/playlist.m3u8"))
            urls.set("hlsStatus", .string(r.status == "started" ? "connecting" : "ended"))
        }
        urls.set("rtmp", .array(r.rtmp.map { target in
            var t = target
            t.set("status", .string(r.status == "started" ? "connecting" : "offline"))
            return t
        }))
        var o: JSONValue = ["id": .string(r.id), "sessionId": .string(r.sessionID), (vonage ? "applicationId" : "projectId"): project,
                            "createdAt": .number(String(r.createdAt)), "updatedAt": .number(String(r.updatedAt)),
                            "resolution": .string(r.resolution ?? OpenTokResolution.sd.rawValue), "maxDuration": .int(r.maxDuration)]
        if let b = r.maxBitrate { o.set("maxBitrate", .int(b)) }
        o.set("hasAudio", .bool(r.hasAudio))
        o.set("hasVideo", .bool(r.hasVideo))
        o.set("streamMode", .string(r.streamMode))
        o.set("status", .string(r.status))
        if let tag = r.tag { o.set("multiBroadcastTag", .string(tag)) }
        o.set("broadcastUrls", urls)
        if let hls = r.hls { o.set("settings", ["hls": hls]) }
        o.set("streams", .array(streams))
        return o
    }

    // MARK: - signals, streams, moderation, SIP

    mutating func signal(sessionID: String, connectionID: String?, _ body: JSONValue) throws(OpenTokFailure) {
        let session = try session(sessionID)
        try Body.keys(body, required: ["data"], optional: ["type"], in: "signal")
        let data = try Body.string(body, "data")
        let type = try Body.optionalString(body, "type")
        if let type {
            if type.utf8.count > OpenTokLimits.signalTypeBytes { throw OpenTokFailure(status: 413, message: "The type string exceeds the maximum length (128 bytes)") }
            if type.isEmpty || !type.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_~".contains($0)) }) {
                throw .badRequest("The signal type may contain only letters, digits, '-', '_' and '~'")
            }
        }
        if data.utf8.count > OpenTokLimits.signalDataBytes { throw OpenTokFailure(status: 413, message: "The data string exceeds the maximum size (8 kB)") }
        if let connectionID, !session.connections.contains(connectionID) {
            throw .notFound("Connection \(connectionID) is not connected to the session")
        }
        sessions[sessionID]?.signals.append(OpenTokSignalView(connectionID: connectionID, type: type, data: data))
        noteSession(sessionID)
    }

    private func streamJSON(_ s: Stream) -> JSONValue {
        ["id": .string(s.id), "videoType": .string(s.videoType), "name": .string(s.name), "layoutClassList": .array(s.layoutClassList.map(JSONValue.string))]
    }

    func stream(sessionID: String, streamID: String) throws(OpenTokFailure) -> JSONValue {
        let session = try session(sessionID)
        guard let s = session.streams.first(where: { $0.id == streamID }) else { throw .notFound("Stream \(streamID) not found") }
        return streamJSON(s)
    }

    func listStreams(sessionID: String) throws(OpenTokFailure) -> JSONValue {
        let session = try session(sessionID)
        return ["count": .int(session.streams.count), "items": .array(session.streams.map(streamJSON))]
    }

    mutating func setLayoutClasses(sessionID: String, _ body: JSONValue) throws(OpenTokFailure) {
        let session = try session(sessionID)
        try Body.keys(body, required: ["items"], optional: [], in: "stream class lists")
        guard let items = body["items"]?.arrayValue, !items.isEmpty else { throw .badRequest("items must be a non-empty array") }
        var changes: [(String, [String])] = []
        for item in items {
            try Body.keys(item, required: ["id", "layoutClassList"], optional: [], in: "items[]")
            let id = try Body.string(item, "id")
            guard session.streams.contains(where: { $0.id == id }) else { throw .badRequest("Invalid stream ID \(id)") }
            changes.append((id, try Body.strings(item, "layoutClassList")))
        }
        for (id, classes) in changes {
            if let j = sessions[sessionID]?.streams.firstIndex(where: { $0.id == id }) { sessions[sessionID]?.streams[j].layoutClassList = classes }
        }
        noteSession(sessionID)
    }

    mutating func disconnect(sessionID: String, connectionID: String) throws(OpenTokFailure) {
        let session = try session(sessionID)
        guard session.connections.contains(connectionID) else { throw .notFound("Connection \(connectionID) is not connected to the session") }
        sessions[sessionID]?.connections.removeAll { $0 == connectionID }
        sessions[sessionID]?.streams.removeAll { $0.connectionID == connectionID }
        noteSession(sessionID)
    }

    /// The project object the service answers moderation calls with.
    private var projectJSON: JSONValue {
        ["applicationId": .string(apiKey), "status": "ACTIVE", "name": "", "environment": "standard", "createdAt": 1_700_000_000_000]
    }

    mutating func muteStream(sessionID: String, streamID: String) throws(OpenTokFailure) -> JSONValue {
        let session = try session(sessionID)
        guard let j = session.streams.firstIndex(where: { $0.id == streamID }) else { throw .notFound("Stream \(streamID) not found") }
        sessions[sessionID]?.streams[j].audioMuted = true
        noteSession(sessionID)
        return projectJSON
    }

    /// `{"active": true, "excludedStreams": [...]}` (the SDK always sends the list) or `{"active": false}`; a Vonage
    /// application's `{"active": true, "excludedStreamIds": [...] | null}`.
    mutating func forceMute(sessionID: String, _ body: JSONValue) throws(OpenTokFailure) -> JSONValue {
        let session = try session(sessionID)
        let active = try Body.bool(body, "active")
        // opentok 3.15 sends `excludedStreams` (a list); vonage-video 1.6 `excludedStreamIds` (a list, or null for none).
        let listKey = publicKey == nil ? "excludedStreams" : "excludedStreamIds"
        if active {
            try Body.keys(body, required: ["active", listKey], optional: [], in: "mute")
        } else {
            try Body.keys(body, required: ["active"], optional: [], in: "mute")
        }
        let excluded = !active || (publicKey != nil && body[listKey] == .null) ? [] : try Body.strings(body, listKey)
        for id in excluded where !session.streams.contains(where: { $0.id == id }) { throw .badRequest("Invalid stream ID \(id) in excludedStreams") }
        sessions[sessionID]?.forceMuteActive = active
        sessions[sessionID]?.excludedStreams = excluded
        if active {
            for j in session.streams.indices where !excluded.contains(session.streams[j].id) { sessions[sessionID]?.streams[j].audioMuted = true }
        }
        noteSession(sessionID)
        return projectJSON
    }

    mutating func playDTMF(sessionID: String, connectionID: String?, _ body: JSONValue) throws(OpenTokFailure) {
        let session = try session(sessionID)
        try Body.keys(body, required: ["digits"], optional: [], in: "play-dtmf")
        let digits = try Body.string(body, "digits")
        if digits.isEmpty || !digits.allSatisfy({ "0123456789*#p".contains($0) }) { throw .badRequest("Invalid DTMF digits \(digits)") }
        if let connectionID, !session.connections.contains(connectionID) { throw .notFound("Connection \(connectionID) not found") }
        sessions[sessionID]?.dtmf.append(OpenTokDTMFView(connectionID: connectionID, digits: digits))
        noteSession(sessionID)
    }

    /// `{"sessionId", "token", "sip": {"uri", …}}`; the token must be one this project's secret made for the session.
    mutating func dial(_ body: JSONValue, now: Date) throws(OpenTokFailure) -> JSONValue {
        try Body.keys(body, required: ["sessionId", "token", "sip"], optional: [], in: "dial")
        let session = try session(try Body.string(body, "sessionId"))
        guard let sip = body["sip"], sip.isObject else { throw .badRequest("sip must be an object") }
        try Body.keys(sip, required: ["uri"], optional: ["from", "headers", "auth", "secure", "video", "observeForceMute", "streams"], in: "sip")
        let uri = try Body.string(sip, "uri")
        guard uri.lowercased().hasPrefix("sip:") || uri.lowercased().hasPrefix("sips:") else { throw .badRequest("Invalid SIP URI \(uri)") }
        _ = try Body.optionalString(sip, "from")
        if let headers = sip["headers"] {
            guard let members = headers.objectValue else { throw .badRequest("sip.headers must be an object") }
            for (name, value) in members {
                guard name.lowercased().hasPrefix("x-"), value.stringValue != nil else { throw .badRequest("SIP header \(name) must start with X- and have a string value") }
            }
        }
        if let auth = sip["auth"] {
            try Body.keys(auth, required: ["username", "password"], optional: [], in: "sip.auth")
            _ = try Body.string(auth, "username")
            _ = try Body.string(auth, "password")
        }
        for flag in ["secure", "video", "observeForceMute"] where sip[flag] != nil { _ = try Body.bool(sip, flag) }
        if sip["streams"] != nil { _ = try Body.strings(sip, "streams") }
        try checkClientToken(try Body.string(body, "token"), sessionID: session.id, now: now)
        guard session.routed else { throw .conflict("SIP dial needs a routed session") }
        let call = newID()
        guard let joined = connect(sessionID: session.id, streamName: "SIP", videoType: "camera", layoutClassList: []) else {
            throw .notFound("Session \(session.id) not found")
        }
        sessions[session.id]?.sipCalls.append(sip)
        noteSession(session.id)
        return ["id": .string(call), "connectionId": .string(joined.connectionID), "streamId": .string(joined.streamID)]
    }

    /// Accepts a JWT client token or a legacy `T1==` one, signed with this project's secret (a Vonage application's
    /// RS256 JWT), for this session, unexpired; returns its role.
    @discardableResult
    func checkClientToken(_ token: String, sessionID: String, now: Date) throws(OpenTokFailure) -> String {
        let current = Int(now.timeIntervalSince1970)
        if let publicKey {
            // vonage-video's token: RS256, application_id, subject video, scope session.connect.
            guard let claims = RS256JWT.verify(token, publicKey: publicKey), claims["application_id"]?.stringValue == apiKey,
                  claims["scope"]?.stringValue == "session.connect", claims["subject"]?.stringValue == "video" else { throw .badRequest("Invalid token") }
            guard claims["session_id"]?.stringValue == sessionID, let exp = claims["exp"]?.intValue, exp > current else {
                throw .badRequest("The token is for another session or has expired")
            }
            return claims["role"]?.stringValue ?? "publisher"
        }
        if token.hasPrefix(OpenTokClientToken.legacyPrefix) {
            guard let (partner, sig, dataString) = OpenTokClientToken.decodeLegacy(token), partner == apiKey,
                  HS256JWT.constantTimeEqual(Data(sig.utf8), Data(Digest.hmacSHA1(key: secret, message: Data(dataString.utf8)).hexLowercase.utf8)),
                  let fields = FormEncoding.decode(dataString) else { throw .badRequest("Invalid token") }
            let values = Dictionary(fields, uniquingKeysWith: { a, _ in a })
            guard values["session_id"] == sessionID, let expire = values["expire_time"].flatMap(Int.init), expire > current else {
                throw .badRequest("The token is for another session or has expired")
            }
            return values["role"] ?? "publisher"
        }
        guard let claims = HS256JWT.verify(token, key: secret), claims["iss"]?.stringValue == apiKey,
              claims["scope"]?.stringValue == "session.connect" else { throw .badRequest("Invalid token") }
        guard claims["session_id"]?.stringValue == sessionID, let exp = claims["exp"]?.intValue, exp > current else {
            throw .badRequest("The token is for another session or has expired")
        }
        return claims["role"]?.stringValue ?? "publisher"
    }
}

/// Body shape checks: exactly the expected keys, each of the expected JSON type.
enum Body {
    static func keys(_ body: JSONValue, required: [String], optional: [String], in what: String) throws(OpenTokFailure) {
        guard let members = body.objectValue else { throw .badRequest("\(what) must be a JSON object") }
        var seen = Set<String>()
        for (key, _) in members {
            guard required.contains(key) || optional.contains(key) else { throw .badRequest("Unexpected field '\(key)' in \(what)") }
            guard seen.insert(key).inserted else { throw .badRequest("Field '\(key)' given twice in \(what)") }
        }
        for key in required where !seen.contains(key) { throw .badRequest("Missing field '\(key)' in \(what)") }
    }

    static func string(_ body: JSONValue, _ key: String) throws(OpenTokFailure) -> String {
        guard let s = body[key]?.stringValue else { throw .badRequest("\(key) must be a string") }
        return s
    }

    static func optionalString(_ body: JSONValue, _ key: String) throws(OpenTokFailure) -> String? {
        guard let v = body[key], v != .null else { return nil }
        guard let s = v.stringValue else { throw .badRequest("\(key) must be a string or null") }
        return s
    }

    static func bool(_ body: JSONValue, _ key: String) throws(OpenTokFailure) -> Bool {
        guard let b = body[key]?.boolValue else { throw .badRequest("\(key) must be true or false") }
        return b
    }

    /// A boolean, or nil when absent or null.
    static func optionalBool(_ body: JSONValue, _ key: String) throws(OpenTokFailure) -> Bool? {
        guard let value = body[key], value != .null else { return nil }
        return try bool(body, key)
    }

    static func strings(_ body: JSONValue, _ key: String) throws(OpenTokFailure) -> [String] {
        guard let items = body[key]?.arrayValue else { throw .badRequest("\(key) must be an array of strings") }
        var out: [String] = []
        for item in items {
            guard let s = item.stringValue else { throw .badRequest("\(key) must be an array of strings") }
            out.append(s)
        }
        return out
    }

    static func choice(_ body: JSONValue, _ key: String, _ allowed: [String]) throws(OpenTokFailure) -> String {
        let value = try string(body, key)
        guard allowed.contains(value) else { throw .badRequest("Invalid \(key) \(value)") }
        return value
    }

    static func optionalChoice(_ body: JSONValue, _ key: String, _ allowed: [String]) throws(OpenTokFailure) -> String? {
        guard let value = try optionalString(body, key) else { return nil }
        guard allowed.contains(value) else { throw .badRequest("Invalid \(key) \(value)") }
        return value
    }

    /// An integer (JSON number without fraction) in `range`, or absent/null.
    static func optionalInt(_ body: JSONValue, _ key: String, _ range: ClosedRange<Int>) throws(OpenTokFailure) -> Int? {
        guard let v = body[key], v != .null else { return nil }
        guard case let .number(text) = v, let n = Int(text) else { throw .badRequest("\(key) must be a whole number") }
        guard range.contains(n) else { throw .badRequest("\(key) must be from \(range.lowerBound) to \(range.upperBound)") }
        return n
    }

    /// `{"type", "stylesheet" (custom only, required there), "screenshareType" (bestFit only)}`.
    static func layout(_ body: JSONValue) throws(OpenTokFailure) {
        try keys(body, required: ["type"], optional: ["stylesheet", "screenshareType"], in: "layout")
        let type = try choice(body, "type", OpenTokLayoutType.allCases.map(\.rawValue))
        let stylesheet = try optionalString(body, "stylesheet")
        if type == "custom" && (stylesheet ?? "").isEmpty { throw .badRequest("The custom layout type needs a stylesheet") }
        if type != "custom" && stylesheet != nil { throw .badRequest("A stylesheet is only allowed with the custom layout type") }
        if let screenshare = try optionalChoice(body, "screenshareType", OpenTokLayoutType.allCases.map(\.rawValue)) {
            if type != "bestFit" { throw .badRequest("screenshareType requires the bestFit layout type") }
            if screenshare == "custom" { throw .badRequest("screenshareType cannot be custom") }
        }
    }
}
