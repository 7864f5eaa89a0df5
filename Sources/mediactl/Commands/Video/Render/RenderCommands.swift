// `mediactl render …`: the Experience Composer publishes a web page into a session. start is in RenderStart.swift.
import MediaKit

enum RenderCommands {
    static let group = CommandSpec(
        name: "render", summary: "Experience Composer: publish a web page into a session; start, get, list, stop",
        subcommands: [RenderStart.command, get, list, stop])

    static let id = VideoFlags.idArgument("render")

    static let get = CommandSpec.verb(
        "get", summary: "Show one Experience Composer", flags: VideoConnection.flags, positionals: [id.spec],
        parse: RecordingVerbs.oneRecording(id),
        run: { o, ctx throws(MediaError) in ctx.renderVideo(try ctx.openTokClient(o.connection).getRender(o.id), noun: "render") })

    struct ListOptions {
        var offset: Int?
        var count: Int?
        var connection: VideoConnectionOptions
    }

    static let list = CommandSpec.verb(
        "list", summary: "List Experience Composers, newest first",
        flags: [VideoFlags.offset, VideoFlags.count] + VideoConnection.flags,
        parse: { inv throws(MediaError) in
            ListOptions(offset: try inv.value(VideoFlags.offset), count: try inv.value(VideoFlags.count), connection: try VideoConnectionOptions.parse(inv))
        },
        run: { o, ctx throws(MediaError) in
            let page = try ctx.openTokClient(o.connection).listRenders(offset: o.offset, count: o.count)
            ctx.renderVideo(page: page.items, count: page.count, offset: o.offset ?? 0, noun: "render", columns: { r in
                [r.id, r.status ?? "-", r.createdAt?.internetDateTime() ?? "-", r.url ?? "-"]
            })
        })

    static let stop = CommandSpec.verb(
        "stop", summary: "Stop an Experience Composer", flags: VideoConnection.flags, positionals: [id.spec],
        parse: RecordingVerbs.oneRecording(id),
        run: { o, ctx throws(MediaError) in
            try ctx.openTokClient(o.connection).stopRender(o.id)
            ctx.renderDone("Stopped render \(o.id)", id: o.id, record: [("id", .string(o.id)), ("stopped", true)])
        })
}
