// `mediactl render start`: load a web page and publish it into a routed session as a stream. The flags become
// MediaKit's `RenderOptions`, checked once by MediaKit; the token is made (or read) in run.
import MediaKit

enum RenderStart {
    struct Options {
        var render: RenderOptions
        var join: ServiceJoin
    }

    static let url = Flag.text("url", meta: "URL", help: "the page to render (publicly reachable, 15 to 2048 characters)").notFromDefaultsFile()
        .prompt("Page URL")
    static let maxDuration = Flag.integer("max-duration", OpenTokMediaLimits.renderMaxDuration, meta: "SECONDS",
                                          help: "stop after this long (service default 7200)").notFromDefaultsFile()
    static let name = Flag.text("name", meta: "NAME", help: "name of the published stream (1 to 200 characters)").notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "start", summary: "Load a web page and publish it into a routed session as a stream",
        description: "mediactl makes the publisher token the composer joins with, unless you give your own\n(--token-file, or MEDIACTL_CLIENT_TOKEN).",
        examples: ["mediactl render start --session-id $SESSION --url https://example.com/scoreboard --resolution 1280x720 --name Scoreboard"],
        flags: [VideoFlags.sessionID, url, maxDuration, VideoFlags.resolution, name, OwnClientToken.file] + VideoConnection.flags,
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        var render = RenderOptions(sessionID: "", token: "", url: try inv.required(url))
        render.maxDuration = try inv.value(maxDuration)
        render.resolution = try inv.value(VideoFlags.resolution)
        render.name = try inv.value(name)
        render.sessionID = try inv.required(VideoFlags.sessionID)
        let join = try ServiceJoin.parse(inv, sessionID: render.sessionID, role: .publisher)
        do throws(MediaError) { try render.validate() } catch {
            throw .usage((error.message.contains("stream name") ? "--name: " : "--url: ") + error.message)
        }
        return Options(render: render, join: join)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        var render = o.render
        let (client, token) = try o.join.client(ctx)
        render.token = token
        let started = try client.startRender(render)
        ctx.io.progress("Started render \(started.id) of \(render.url) in session \(render.sessionID)")
        ctx.renderVideo(started, noun: "render")
    }
}
