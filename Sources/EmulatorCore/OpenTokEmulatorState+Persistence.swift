// OpenTokEmulatorState as records (sessions, archives and broadcasts, used JWT ids): each mutation notes what it touched in the journal, and a state can be rebuilt from the records.
import Foundation
import MediaKit

extension OpenTokEmulatorState {
    static let sessionTable = "session"
    static let recordingTable = "recording"
    static let jtiTable = "jti"

    // MARK: - Mutations that are remembered

    /// The session `id` as it is now (or its removal), to be saved with this call.
    mutating func noteSession(_ id: String) {
        journal.note(Self.sessionTable, id, sessions[id].map(Self.encode))
    }

    /// The archive or broadcast at `records[i]` as it is now.
    mutating func noteRecord(_ i: Int) {
        journal.note(Self.recordingTable, records[i].id, Self.encode(records[i]))
    }

    mutating func noteRecordRemoved(_ id: String) {
        journal.note(Self.recordingTable, id, nil)
    }

    /// Appends a new archive or broadcast after the others, and remembers it.
    mutating func add(_ record: Record) -> Record {
        var r = record
        r.sequence = nextSequence
        nextSequence += 1
        records.append(r)
        noteRecord(records.count - 1)
        return r
    }

    /// Marks an X-OPENTOK-AUTH `jti` used; false when it already was. Kept until its `exp`, after which the JWT is refused anyway.
    mutating func useJTI(_ jti: String, expires: Int) -> Bool {
        guard seenJTIs[jti] == nil else { return false }
        seenJTIs[jti] = expires
        journal.note(Self.jtiTable, jti, .int(expires))
        return true
    }

    // MARK: - Restore

    /// Rebuilds the state from records. Unreadable records are skipped and counted, not fatal (as in ResourceStore);
    /// used JWT ids that have expired by `now` are dropped from the state and from storage.
    mutating func restore(_ stored: [StateRecord], now: Date) -> (restored: Int, skipped: Int) {
        var restored = 0, skipped = 0
        var recordings: [Record] = []
        let current = Int(now.timeIntervalSince1970)
        for record in stored {
            var ok = true
            switch record.table {
            case Self.sessionTable:
                if let session = Self.decodeSession(id: record.key, record.value) { sessions[record.key] = session } else { ok = false }
            case Self.recordingTable:
                if let r = Self.decodeRecord(id: record.key, record.value) { recordings.append(r) } else { ok = false }
            case Self.jtiTable:
                if let exp = record.value.intValue {
                    if exp > current { seenJTIs[record.key] = exp } else { journal.note(Self.jtiTable, record.key, nil) }
                } else { ok = false }
            default:
                ok = false
            }
            if ok { restored += 1 } else { skipped += 1 }
        }
        records = (records + recordings).sorted { $0.sequence < $1.sequence }
        nextSequence = max(nextSequence, (records.map(\.sequence).max() ?? -1) + 1)
        return (restored, skipped)
    }

    // MARK: - Encoding

    static func encode(_ s: Session) -> JSONValue {
        var v: JSONValue = ["routed": .bool(s.routed), "archiveAlways": .bool(s.archiveAlways), "e2ee": .bool(s.e2ee)]
        if let location = s.location { v.set("location", .string(location)) }
        v.set("connections", strings(s.connections))
        v.set("streams", .array(s.streams.map { st in
            ["id": .string(st.id), "connectionId": .string(st.connectionID), "name": .string(st.name), "videoType": .string(st.videoType),
             "layoutClassList": strings(st.layoutClassList), "audioMuted": .bool(st.audioMuted)]
        }))
        v.set("forceMuteActive", .bool(s.forceMuteActive))
        v.set("excludedStreams", strings(s.excludedStreams))
        v.set("signals", .array(s.signals.map { signal in
            var o: JSONValue = ["data": .string(signal.data)]
            if let c = signal.connectionID { o.set("connectionId", .string(c)) }
            if let t = signal.type { o.set("type", .string(t)) }
            return o
        }))
        v.set("dtmf", .array(s.dtmf.map { d in
            var o: JSONValue = ["digits": .string(d.digits)]
            if let c = d.connectionID { o.set("connectionId", .string(c)) }
            return o
        }))
        v.set("sipCalls", .array(s.sipCalls))
        return v
    }

    static func decodeSession(id: String, _ v: JSONValue) -> Session? {
        guard let routed = v["routed"]?.boolValue, let archiveAlways = v["archiveAlways"]?.boolValue, let e2ee = v["e2ee"]?.boolValue else {
            return nil
        }
        var s = Session(id: id, routed: routed, archiveAlways: archiveAlways, e2ee: e2ee, location: v["location"]?.stringValue)
        s.connections = strings(v["connections"])
        for item in v["streams"]?.arrayValue ?? [] {
            guard let streamID = item["id"]?.stringValue, let connection = item["connectionId"]?.stringValue else { return nil }
            var st = Stream(id: streamID, connectionID: connection, name: item["name"]?.stringValue ?? "",
                            videoType: item["videoType"]?.stringValue ?? "camera", layoutClassList: strings(item["layoutClassList"]))
            st.audioMuted = item["audioMuted"]?.boolValue ?? false
            s.streams.append(st)
        }
        s.forceMuteActive = v["forceMuteActive"]?.boolValue ?? false
        s.excludedStreams = strings(v["excludedStreams"])
        for item in v["signals"]?.arrayValue ?? [] {
            guard let data = item["data"]?.stringValue else { return nil }
            s.signals.append(OpenTokSignalView(connectionID: item["connectionId"]?.stringValue, type: item["type"]?.stringValue, data: data))
        }
        for item in v["dtmf"]?.arrayValue ?? [] {
            guard let digits = item["digits"]?.stringValue else { return nil }
            s.dtmf.append(OpenTokDTMFView(connectionID: item["connectionId"]?.stringValue, digits: digits))
        }
        s.sipCalls = v["sipCalls"]?.arrayValue ?? []
        return s
    }

    static func encode(_ r: Record) -> JSONValue {
        var v: JSONValue = ["kind": .string(r.kind == .archive ? "archive" : "broadcast"), "sequence": .int(r.sequence),
                            "sessionId": .string(r.sessionID), "createdAt": millis(r.createdAt), "updatedAt": millis(r.updatedAt),
                            "status": .string(r.status), "streamMode": .string(r.streamMode), "hasAudio": .bool(r.hasAudio),
                            "hasVideo": .bool(r.hasVideo)]
        if let resolution = r.resolution { v.set("resolution", .string(resolution)) }
        if let b = r.maxBitrate { v.set("maxBitrate", .int(b)) }
        if let tag = r.tag { v.set("tag", .string(tag)) }
        if let layout = r.layout { v.set("layout", layout) }
        v.set("streams", .array(r.streams.map { ["id": .string($0.id), "hasAudio": .bool($0.hasAudio), "hasVideo": .bool($0.hasVideo)] }))
        if let name = r.name { v.set("name", .string(name)) }
        v.set("outputMode", .string(r.outputMode))
        if let q = r.quantizationParameter { v.set("quantizationParameter", .int(q)) }
        v.set("hasTranscription", .bool(r.hasTranscription))
        if let t = r.transcriptionProperties { v.set("transcriptionProperties", t) }
        if let stopped = r.stoppedAt { v.set("stoppedAt", millis(stopped)) }
        v.set("maxDuration", .int(r.maxDuration))
        if let hls = r.hls { v.set("hls", hls) }
        v.set("rtmp", .array(r.rtmp))
        return v
    }

    static func decodeRecord(id: String, _ v: JSONValue) -> Record? {
        let kind: Recording
        switch v["kind"]?.stringValue {
        case "archive"?: kind = .archive
        case "broadcast"?: kind = .broadcast
        default: return nil
        }
        guard let sequence = v["sequence"]?.intValue, let sessionID = v["sessionId"]?.stringValue,
              let createdAt = v["createdAt"].flatMap(decodeMillis), let updatedAt = v["updatedAt"].flatMap(decodeMillis),
              let status = v["status"]?.stringValue, let streamMode = v["streamMode"]?.stringValue,
              let hasAudio = v["hasAudio"]?.boolValue, let hasVideo = v["hasVideo"]?.boolValue else { return nil }
        var r = Record(kind: kind, id: id, sessionID: sessionID, createdAt: createdAt, updatedAt: updatedAt, status: status,
                       streamMode: streamMode, hasAudio: hasAudio, hasVideo: hasVideo, resolution: v["resolution"]?.stringValue,
                       maxBitrate: v["maxBitrate"]?.intValue, tag: v["tag"]?.stringValue, layout: v["layout"])
        for item in v["streams"]?.arrayValue ?? [] {
            guard let streamID = item["id"]?.stringValue else { return nil }
            r.streams.append(RecordedStream(id: streamID, hasAudio: item["hasAudio"]?.boolValue ?? true, hasVideo: item["hasVideo"]?.boolValue ?? true))
        }
        r.name = v["name"]?.stringValue
        r.outputMode = v["outputMode"]?.stringValue ?? "composed"
        r.quantizationParameter = v["quantizationParameter"]?.intValue
        r.hasTranscription = v["hasTranscription"]?.boolValue ?? false
        r.transcriptionProperties = v["transcriptionProperties"]
        r.stoppedAt = v["stoppedAt"].flatMap(decodeMillis)
        r.maxDuration = v["maxDuration"]?.intValue ?? 14_400
        r.hls = v["hls"]
        r.rtmp = v["rtmp"]?.arrayValue ?? []
        r.sequence = sequence
        return r
    }

    private static func strings(_ items: [String]) -> JSONValue { .array(items.map(JSONValue.string)) }

    private static func strings(_ value: JSONValue?) -> [String] { value?.arrayValue?.compactMap(\.stringValue) ?? [] }

    /// Milliseconds since 1970, as the service reports them.
    private static func millis(_ value: Int64) -> JSONValue { .number(String(value)) }

    private static func decodeMillis(_ value: JSONValue) -> Int64? {
        guard case let .number(text) = value else { return nil }
        return Int64(text)
    }
}
