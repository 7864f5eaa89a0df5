// `mediactl stream …`: the streams of an OpenTok session: show, list, force mute, end mute-all. Layout classes and
// mute-all, which take more than a session and a stream, have their own files.
import MediaKit

enum VideoStreamCommands {
    static let group = CommandSpec(
        name: "stream", summary: "Streams of an OpenTok session: show, list, layout classes, force mute",
        subcommands: [get, list, StreamLayoutClassesCommand.command, mute, StreamMuteAll.command, unmuteAll])

    static let streamID = Positional<String>.text("stream-id", help: "the stream's ID", prompt: "Stream ID")

    /// A session, one stream of it, and the connection: what get and mute take.
    struct OneStream {
        var sessionID: String
        var streamID: String
        var connection: VideoConnectionOptions

        static func parse(_ inv: Invocation) throws(MediaError) -> OneStream {
            let stream = try inv.required(VideoStreamCommands.streamID)
            return OneStream(sessionID: try inv.required(VideoFlags.sessionID), streamID: stream, connection: try VideoConnectionOptions.parse(inv))
        }
    }

    /// A session and the connection: what list and unmute-all take.
    struct OneSession {
        var sessionID: String
        var connection: VideoConnectionOptions

        static func parse(_ inv: Invocation) throws(MediaError) -> OneSession {
            OneSession(sessionID: try inv.required(VideoFlags.sessionID), connection: try VideoConnectionOptions.parse(inv))
        }
    }

    static let get = CommandSpec.verb(
        "get", summary: "Show one stream: video type, name, layout classes",
        flags: [VideoFlags.sessionID] + VideoConnection.flags, positionals: [streamID.spec], parse: OneStream.parse,
        run: { o, ctx throws(MediaError) in
            ctx.renderVideo(try ctx.openTokClient(o.connection).getStream(sessionID: o.sessionID, streamID: o.streamID), noun: "stream")
        })

    static let list = CommandSpec.verb(
        "list", summary: "List the streams published in a session",
        flags: [VideoFlags.sessionID] + VideoConnection.flags, parse: OneSession.parse,
        run: { o, ctx throws(MediaError) in
            let page = try ctx.openTokClient(o.connection).listStreams(sessionID: o.sessionID)
            ctx.renderVideo(page: page.items, count: page.count, offset: 0, noun: "stream", columns: VideoText.streamColumns)
        })

    static let mute = CommandSpec.verb(
        "mute", summary: "Force one stream's audio off (its publisher can unmute)",
        flags: [VideoFlags.sessionID] + VideoConnection.flags, positionals: [streamID.spec], parse: OneStream.parse,
        run: { o, ctx throws(MediaError) in
            try ctx.openTokClient(o.connection).muteStream(sessionID: o.sessionID, streamID: o.streamID)
            ctx.renderDone("Muted stream \(o.streamID)", id: o.streamID,
                           record: [("sessionId", .string(o.sessionID)), ("streamId", .string(o.streamID)), ("muted", true)])
        })

    static let unmuteAll = CommandSpec.verb(
        "unmute-all", summary: "End a session's mute-all: new streams are no longer muted (clients unmute themselves)",
        flags: [VideoFlags.sessionID] + VideoConnection.flags, parse: OneSession.parse,
        run: { o, ctx throws(MediaError) in
            try ctx.openTokClient(o.connection).disableForceMute(sessionID: o.sessionID)
            ctx.renderDone("Ended mute-all in session \(o.sessionID)", id: o.sessionID, record: [("sessionId", .string(o.sessionID)), ("active", false)])
        })
}
