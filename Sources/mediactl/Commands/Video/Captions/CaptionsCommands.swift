// `mediactl captions …`: live captions of a routed session's audio. The service joins with a moderator token
// mediactl makes, or the user's own (ServiceJoin).
import MediaKit

enum CaptionsCommands {
    static let group = CommandSpec(
        name: "captions", summary: "Live captions of a routed session's audio: start, stop", subcommands: [CaptionsStart.command, stop])

    static let id = VideoFlags.idArgument("captions")

    static let stop = CommandSpec.verb(
        "stop", summary: "Stop live captions", flags: VideoConnection.flags, positionals: [id.spec],
        parse: RecordingVerbs.oneRecording(id),
        run: { o, ctx throws(MediaError) in
            try ctx.openTokClient(o.connection).stopCaptions(o.id)
            ctx.renderDone("Stopped captions \(o.id)", id: o.id, record: [("captionsId", .string(o.id)), ("stopped", true)])
        })
}

enum CaptionsStart {
    struct Options {
        /// Everything but the token, which is made (or read) in run.
        var captions: CaptionsOptions
        var join: ServiceJoin
    }

    enum PartialCaptions: String, CaseIterable, Sendable { case on = "true", off = "false" }

    static let languageCode = VideoFlags.oneOf("language-code", OpenTokMediaLimits.captionLanguages, meta: "CODE",
                                               help: "language spoken (service default en-US)").notFromDefaultsFile()
    static let maxDuration = Flag.integer("max-duration", OpenTokMediaLimits.captionsMaxDuration, meta: "SECONDS",
                                          help: "stop after this long (service default 14400)").notFromDefaultsFile()
    static let partialCaptions = Flag.choice("partial-captions", PartialCaptions.self, meta: "BOOL",
                                             help: "send captions while a phrase is still being spoken (service default true)").notFromDefaultsFile()
    static let statusCallbackURL = Flag.text("status-callback-url", meta: "URL", help: "where the service posts status changes").notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "start", summary: "Start live captions in a session and print the captions ID",
        description: "mediactl makes the moderator token the captions service joins with, unless you give your own\n(--token-file, or MEDIACTL_CLIENT_TOKEN). One captioning per session (409 otherwise).",
        examples: ["CAPTIONS=$(mediactl captions start --session-id $SESSION --language-code en-GB --output id)"],
        flags: [VideoFlags.sessionID, languageCode, maxDuration, partialCaptions, statusCallbackURL, OwnClientToken.file] + VideoConnection.flags,
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        var captions = CaptionsOptions(sessionID: "", token: "")
        captions.languageCode = try inv.value(languageCode)
        captions.maxDuration = try inv.value(maxDuration)
        captions.partialCaptions = try inv.value(partialCaptions).map { $0 == .on }
        captions.statusCallbackURL = try inv.value(statusCallbackURL)
        captions.sessionID = try inv.required(VideoFlags.sessionID)
        let join = try ServiceJoin.parse(inv, sessionID: captions.sessionID, role: .moderator)
        // The language and duration are the flags' own choices and ranges; what MediaKit can still refuse is the URL.
        do throws(MediaError) { try captions.validate() } catch { throw .usage("--status-callback-url: \(error.message)") }
        return Options(captions: captions, join: join)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        var captions = o.captions
        let (client, token) = try o.join.client(ctx)
        captions.token = token
        let started = try client.startCaptions(captions)
        let id = started.captionsID ?? started.id
        ctx.io.progress("Started captions \(id) in session \(captions.sessionID)")
        ctx.emit(json: started.json, ids: [id]) { ctx.io.out(id) }
    }
}
