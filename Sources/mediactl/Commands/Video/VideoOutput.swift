// How OpenTok results print: short text for people, the API's objects as received for
// --output json, bare IDs for --output id (one a line). Calls that answer nothing say what they did.
import FoundationEssentials
import MediaKit

extension CommandContext {
    func renderVideo(_ object: OpenTokObject, noun: String) {
        emit(json: object.json, ids: [object.id]) { io.out(VideoText.describe(object, noun: noun)) }
    }

    /// A list page (or every page with --all): json is `{"count", "items"}` as the service reports it.
    func renderVideo(page items: [OpenTokObject], count: Int, offset: Int, noun: String, columns: (OpenTokObject) -> [String]) {
        emit(json: .object([("count", .int(count)), ("items", .array(items.map(\.json)))]), ids: items.map(\.id)) {
            if items.isEmpty { io.progress("no \(noun)s found") }
            for item in items { io.out(columns(item).joined(separator: "  ")) }
            if offset + items.count < count {
                io.progress("showing \(offset + 1)–\(offset + items.count) of \(count): --offset \(offset + items.count) for more, or --all")
            }
        }
    }

    /// For calls the service answers with no object: json is a small record of what was done,
    /// id prints `id`, text puts `message` on stderr (stdout stays empty, as for any action).
    func renderDone(_ message: String, id: String, record: [(String, JSONValue)]) {
        emit(json: .object(record), ids: [id]) { io.progress(message) }
    }
}

enum VideoText {
    static func describe(_ o: OpenTokObject, noun: String) -> String {
        let j = o.json
        var lines = ["\(noun): \(o.id)"]
        func add(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append("  \((label + ":").padded(to: 10))\(value)") }
        }
        add("status", o.status)
        add("name", o.name)
        add("session", j["sessionId"]?.stringValue)
        if let mode = j["outputMode"]?.stringValue {
            add("output", [mode, j["resolution"]?.stringValue].compactMap { $0 }.joined(separator: " "))
        } else {
            add("size", j["resolution"]?.stringValue)
        }
        add("streams", j["streamMode"]?.stringValue.map { "\($0) mode, \(j["streams"]?.arrayValue?.count ?? 0) in" })
        add("created", millis(j["createdAt"]))
        if let duration = j["duration"]?.intValue, duration > 0 { add("duration", "\(duration) s") }
        if let size = j["size"]?.intValue, size > 0 { add("bytes", String(size)) }
        add("url", j["url"]?.stringValue)
        if let urls = j["broadcastUrls"] {
            if let hls = urls["hls"]?.stringValue { add("hls", "\(hls) (\(urls["hlsStatus"]?.stringValue ?? "?"))") }
            for target in urls["rtmp"]?.arrayValue ?? [] {
                add("rtmp", "\(target["serverUrl"]?.stringValue ?? "?") (\(target["status"]?.stringValue ?? "?"))")
            }
        }
        add("video", j["videoType"]?.stringValue)
        if let classes = j["layoutClassList"]?.arrayValue { add("classes", classes.compactMap(\.stringValue).joined(separator: " ")) }
        add("connection", j["connectionId"]?.stringValue)
        add("stream", j["streamId"]?.stringValue)
        return lines.joined(separator: "\n")
    }

    /// Milliseconds since the epoch as ISO-8601 UTC.
    static func millis(_ value: JSONValue?) -> String? {
        guard case let .number(text)? = value, let ms = Double(text) else { return nil }
        return Date(timeIntervalSince1970: ms / 1000).internetDateTime()
    }

    /// `ID  status  created  name` for archive and broadcast lists.
    static func recordingColumns(_ o: OpenTokObject) -> [String] {
        [o.id, o.status ?? "-", millis(o.json["createdAt"]) ?? "-", o.name ?? o.sessionID ?? "-"]
    }

    /// `ID  videoType  name  classes` for stream lists.
    static func streamColumns(_ o: OpenTokObject) -> [String] {
        let classes = (o.json["layoutClassList"]?.arrayValue ?? []).compactMap(\.stringValue).joined(separator: ",")
        return [o.id, o.json["videoType"]?.stringValue ?? "-", o.name.flatMap { $0.isEmpty ? nil : $0 } ?? "-", classes.isEmpty ? "-" : classes]
    }
}
