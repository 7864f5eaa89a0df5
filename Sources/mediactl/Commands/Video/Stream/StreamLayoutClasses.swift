// `mediactl stream layout-classes`: set the layout classes of streams (for composed archives and broadcasts).
import MediaKit

enum StreamLayoutClassesCommand {
    struct Options {
        var sessionID: String
        var changes: [StreamLayoutClasses]
        var connection: VideoConnectionOptions
    }

    static let set = Flag.text("set", meta: "STREAM_ID=CLASS[,CLASS...]", help: "a stream and its new layout classes")
        .required().repeatable().notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "layout-classes", summary: "Set the layout classes of streams (for composed archives and broadcasts)",
        description: "Each --set replaces one stream's list; STREAM_ID= with nothing after '=' clears it.",
        examples: ["mediactl stream layout-classes --session-id $SESSION --set $STREAM1=focus,full --set $STREAM2="],
        flags: [VideoFlags.sessionID, set] + VideoConnection.flags,
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let sets = try inv.values(set)
        let session = try inv.required(VideoFlags.sessionID)
        let connection = try VideoConnectionOptions.parse(inv)
        if sets.isEmpty { throw .usage("give --set STREAM_ID=CLASS[,CLASS...] at least once") }
        var changes: [StreamLayoutClasses] = []
        for text in sets {
            guard let eq = text.firstIndex(of: "="), eq != text.startIndex else {
                throw .usage("--set \(text): expected STREAM_ID=CLASS[,CLASS...] (STREAM_ID= clears the list)")
            }
            let classes = text[text.index(after: eq)...].split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimming(.whitespaces)
            }.filter { !$0.isEmpty }
            if let bad = classes.first(where: { $0.contains(where: \.isWhitespace) }) { throw .usage("--set \(text): class '\(bad)' contains a space") }
            let id = String(text[..<eq])
            if changes.contains(where: { $0.streamID == id }) { throw .usage("--set: stream \(id) is given twice") }
            changes.append(StreamLayoutClasses(streamID: id, classes: classes))
        }
        return Options(sessionID: session, changes: changes, connection: connection)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        try ctx.openTokClient(o.connection).setLayoutClasses(sessionID: o.sessionID, o.changes)
        ctx.renderDone("Set the layout classes of \(o.changes.count) stream\(o.changes.count == 1 ? "" : "s")",
                       id: o.changes.map(\.streamID).joined(separator: "\n"),
                       record: [("sessionId", .string(o.sessionID)),
                                ("items", .array(o.changes.map { .object([("id", .string($0.streamID)), ("layoutClassList", .array($0.classes.map(JSONValue.string)))]) }))])
    }
}
