// The verbs archives and broadcasts share (stop, get, list, layout, add-stream, remove-stream), built once for both nouns.
import MediaKit

enum RecordingVerbs {
    typealias Noun = OpenTokRecording

    /// One archive or broadcast, and the connection.
    struct OneRecording {
        var id: String
        var connection: VideoConnectionOptions
    }

    static func oneRecording(_ id: Positional<String>) -> @Sendable (Invocation) throws(MediaError) -> OneRecording {
        { inv throws(MediaError) in
            let value = try inv.required(id)
            return OneRecording(id: value, connection: try VideoConnectionOptions.parse(inv))
        }
    }

    static func stop(_ noun: Noun) -> CommandSpec {
        let id = VideoFlags.idArgument(noun.rawValue)
        return .verb("stop", summary: "Stop a running \(noun.rawValue)", examples: ["mediactl \(noun.rawValue) stop $\(noun.rawValue.uppercased())_ID"],
                     flags: VideoConnection.flags, positionals: [id.spec], parse: oneRecording(id),
                     run: { o, ctx throws(MediaError) in
                         let object = try ctx.openTokClient(o.connection).stop(noun, id: o.id)
                         ctx.io.progress("Stopped \(noun.rawValue) \(o.id) (\(object.status ?? "?"))")
                         ctx.renderVideo(object, noun: noun.rawValue)
                     })
    }

    static func get(_ noun: Noun) -> CommandSpec {
        let id = VideoFlags.idArgument(noun.rawValue)
        return .verb("get", summary: "Show one \(noun.rawValue)\(noun == .archive ? " (with its download URL once available)" : "")",
                     examples: ["mediactl \(noun.rawValue) get $\(noun.rawValue.uppercased())_ID --output json"],
                     flags: VideoConnection.flags, positionals: [id.spec], parse: oneRecording(id),
                     run: { o, ctx throws(MediaError) in ctx.renderVideo(try ctx.openTokClient(o.connection).get(noun, id: o.id), noun: noun.rawValue) })
    }

    struct ListOptions {
        var sessionID: String?
        var offset: Int?
        var count: Int?
        var all: Bool
        var connection: VideoConnectionOptions
    }

    static func list(_ noun: Noun) -> CommandSpec {
        let all = Switch("all", help: "every \(noun.rawValue), in pages of \(OpenTokClient.maxPageSize)")
        return .verb("list", summary: "List \(noun.rawValue)s, newest first",
                     description: noun == .broadcast ? "Uses GET /v2/project/{apiKey}/broadcast from the REST reference (the Python SDK 3.15 has no list call)." : "",
                     examples: ["mediactl \(noun.rawValue) list --session-id $SESSION --all --output json"],
                     flags: [VideoFlags.sessionFilter, VideoFlags.offset, VideoFlags.count, all] + VideoConnection.flags,
                     parse: { inv throws(MediaError) in
                         let o = ListOptions(sessionID: try inv.value(VideoFlags.sessionFilter), offset: try inv.value(VideoFlags.offset),
                                             count: try inv.value(VideoFlags.count), all: try inv.value(all), connection: try VideoConnectionOptions.parse(inv))
                         if o.all && (o.offset != nil || inv.isGiven(VideoFlags.count)) { throw .usage("--all cannot be combined with --offset or --count") }
                         return o
                     },
                     run: { o, ctx throws(MediaError) in
                         let client = try ctx.openTokClient(o.connection)
                         if o.all {
                             let items = try client.listAll(noun, sessionID: o.sessionID)
                             ctx.renderVideo(page: items, count: items.count, offset: 0, noun: noun.rawValue, columns: VideoText.recordingColumns)
                         } else {
                             let page = try client.list(noun, offset: o.offset, count: o.count, sessionID: o.sessionID)
                             ctx.renderVideo(page: page.items, count: page.count, offset: o.offset ?? 0, noun: noun.rawValue, columns: VideoText.recordingColumns)
                         }
                     })
    }

    struct LayoutOptions {
        var id: String
        var layout: OpenTokLayout
        var connection: VideoConnectionOptions
    }

    static func layout(_ noun: Noun) -> CommandSpec {
        let id = VideoFlags.idArgument(noun.rawValue)
        let flags = LayoutFlags.required
        return .verb("layout", summary: "Change the layout of a running composed \(noun.rawValue)",
                     examples: ["mediactl \(noun.rawValue) layout $ID --layout bestFit --screenshare-type horizontalPresentation",
                                "mediactl \(noun.rawValue) layout $ID --layout custom --stylesheet-file layout.css"],
                     flags: flags.declarations + VideoConnection.flags, positionals: [id.spec],
                     parse: { inv throws(MediaError) in
                         let value = try inv.required(id)
                         let given = try flags.read(inv, required: true)
                         let connection = try VideoConnectionOptions.parse(inv)
                         guard let layout = try LayoutFlags.layout(given, inv) else { throw .usage("missing --layout") }
                         return LayoutOptions(id: value, layout: layout, connection: connection)
                     },
                     run: { o, ctx throws(MediaError) in
                         try ctx.openTokClient(o.connection).setLayout(noun, id: o.id, layout: o.layout)
                         ctx.renderDone("Set the layout of \(noun.rawValue) \(o.id) to \(o.layout.type.rawValue)", id: o.id,
                                        record: [("id", .string(o.id)), ("layout", o.layout.json)])
                     })
    }

    struct StreamOptions {
        var id: String
        var streamID: String
        var hasAudio = true
        var hasVideo = true
        var connection: VideoConnectionOptions
    }

    static func addStream(_ noun: Noun) -> CommandSpec {
        let id = VideoFlags.idArgument(noun.rawValue)
        return .verb("add-stream", summary: "Add a stream to \(noun.article) started with --stream-mode manual",
                     examples: ["mediactl \(noun.rawValue) add-stream $ID --stream-id $STREAM --no-video"],
                     flags: [VideoFlags.streamID, VideoFlags.noAudio, VideoFlags.noVideo] + VideoConnection.flags, positionals: [id.spec],
                     parse: { inv throws(MediaError) in
                         let value = try inv.required(id)
                         let hasAudio = !(try inv.value(VideoFlags.noAudio)), hasVideo = !(try inv.value(VideoFlags.noVideo))
                         let o = StreamOptions(id: value, streamID: try inv.required(VideoFlags.streamID), hasAudio: hasAudio, hasVideo: hasVideo,
                                               connection: try VideoConnectionOptions.parse(inv))
                         if !hasAudio && !hasVideo { throw .usage("--no-audio and --no-video together would add nothing") }
                         return o
                     },
                     run: { o, ctx throws(MediaError) in
                         // nil: not chosen, which each SDK sends its own way (MediaKit's addStream).
                         try ctx.openTokClient(o.connection).addStream(noun, id: o.id, streamID: o.streamID,
                                                                       hasAudio: o.hasAudio ? nil : false, hasVideo: o.hasVideo ? nil : false)
                         ctx.renderDone("Added stream \(o.streamID) to \(noun.rawValue) \(o.id)", id: o.streamID,
                                        record: [("id", .string(o.id)), ("addedStream", .string(o.streamID)), ("hasAudio", .bool(o.hasAudio)),
                                                 ("hasVideo", .bool(o.hasVideo))])
                     })
    }

    static func removeStream(_ noun: Noun) -> CommandSpec {
        let id = VideoFlags.idArgument(noun.rawValue)
        return .verb("remove-stream", summary: "Remove a stream from \(noun.article) started with --stream-mode manual",
                     flags: [VideoFlags.streamID] + VideoConnection.flags, positionals: [id.spec],
                     parse: { inv throws(MediaError) in
                         let value = try inv.required(id)
                         return StreamOptions(id: value, streamID: try inv.required(VideoFlags.streamID), connection: try VideoConnectionOptions.parse(inv))
                     },
                     run: { o, ctx throws(MediaError) in
                         try ctx.openTokClient(o.connection).removeStream(noun, id: o.id, streamID: o.streamID)
                         ctx.renderDone("Removed stream \(o.streamID) from \(noun.rawValue) \(o.id)", id: o.streamID,
                                        record: [("id", .string(o.id)), ("removedStream", .string(o.streamID))])
                     })
    }
}

extension OpenTokRecording {
    /// For summaries: "an archive", "a broadcast".
    var article: String { self == .archive ? "an archive" : "a broadcast" }
}
