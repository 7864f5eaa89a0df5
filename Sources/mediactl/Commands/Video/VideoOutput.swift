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
        var lines = ["\(noun): \(o.id)"]
        func add(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append("  \((label + ":").padded(to: 10))\(value)") }
        }
        add("status", o.status)
        add("name", o.name)
        // A session's own ID is its `id`; other objects name the session they belong to.
        add("session", o.sessionID.flatMap { $0 == o.id ? nil : $0 })
        if let mode = o.outputMode {
            add("output", [mode.rawValue, o.resolution?.rawValue].compactMap { $0 }.joined(separator: " "))
        } else {
            add("size", o.resolution?.rawValue)
        }
        add("streams", o.streamMode.map { "\($0.rawValue) mode, \(o.streamCount) in" })
        add("created", o.createdAt?.internetDateTime())
        if let duration = o.duration, duration > 0 { add("duration", "\(duration) s") }
        if let size = o.size, size > 0 { add("bytes", String(size)) }
        add("url", o.url)
        if let urls = o.broadcastURLs {
            if let hls = urls.hls { add("hls", "\(hls) (\(urls.hlsStatus ?? "?"))") }
            for target in urls.rtmp {
                add("rtmp", "\(target.serverURL ?? "?") (\(target.status ?? "?"))")
            }
        }
        add("video", o.videoType)
        if let classes = o.layoutClasses { add("classes", classes.joined(separator: " ")) }
        add("connection", o.connectionID)
        add("stream", o.streamID)
        return lines.joined(separator: "\n")
    }

    /// `ID  status  created  name` for archive and broadcast lists.
    static func recordingColumns(_ o: OpenTokObject) -> [String] {
        [o.id, o.status ?? "-", o.createdAt?.internetDateTime() ?? "-", o.name ?? o.sessionID ?? "-"]
    }

    /// `ID  videoType  name  classes` for stream lists.
    static func streamColumns(_ o: OpenTokObject) -> [String] {
        let classes = (o.layoutClasses ?? []).joined(separator: ",")
        return [o.id, o.videoType ?? "-", o.name.flatMap { $0.isEmpty ? nil : $0 } ?? "-", classes.isEmpty ? "-" : classes]
    }
}
