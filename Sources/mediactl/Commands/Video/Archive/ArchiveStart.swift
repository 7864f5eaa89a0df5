// `mediactl archive start`: start recording a session. The flags become MediaKit's `ArchiveOptions` here, checked
// once by MediaKit (`ArchiveOptions.validate`; its messages worded for the flags), and `startArchive` sends them.
import MediaKit

enum ArchiveStart {
    struct Options {
        var archive: ArchiveOptions
        var connection: VideoConnectionOptions
    }

    static let name = Flag.text("name", meta: "NAME", help: "archive name").notFromDefaultsFile()
    /// Read with `inv.chosen`: vonage-video leaves an unchosen output mode out of the body.
    static let outputMode = Flag.choice("output-mode", OpenTokOutputMode.self, meta: "MODE",
                                        help: "composed: one mixed video; individual: one file per stream").defaulting(to: .composed)
    static let multiArchiveTag = Flag.text("multi-archive-tag", meta: "TAG", help: "allows several archives of one session at once (one per tag)")
        .notFromDefaultsFile()
    static let quantizationParameter = Flag.integer("quantization-parameter", OpenTokLimits.quantizationParameter, meta: "QP",
                                                    help: "video quality (lower is better and larger)").notFromDefaultsFile()
    static let transcription = Switch("transcription", help: "also transcribe the audio")
    static let transcriptionLanguage = Flag.text("transcription-language", meta: "CODE", help: "primary language of the transcription, e.g. en-US")
        .notFromDefaultsFile()
    static let transcriptionSummary = Switch("transcription-summary", help: "add a summary to the transcription")
    static let layout = LayoutFlags.optional

    static let command = CommandSpec.verb(
        "start", summary: "Start recording a session",
        description: "The session must use the routed media mode. Resolution, layout and bitrate apply to composed output only.",
        examples: ["mediactl archive start --session-id $SESSION --name 'Daily standup' --resolution 1280x720",
                   "mediactl archive start --session-id $SESSION --output-mode individual --stream-mode manual --output id"],
        flags: [VideoFlags.sessionID, name, VideoFlags.noAudio, VideoFlags.noVideo, outputMode, VideoFlags.resolution]
            + layout.declarations
            + [VideoFlags.streamMode, multiArchiveTag, VideoFlags.maxBitrate, quantizationParameter, transcription, transcriptionLanguage,
               transcriptionSummary]
            + VideoConnection.flags,
        parse: parse, run: run)

    /// MediaKit's archive rules in the flags' words.
    static let wording = LayoutFlags.wording.adding([
        ("an archive needs audio or video: not both turned off", "--no-audio and --no-video together leave nothing to record"),
        ("a resolution cannot be set for individual output mode (each stream keeps its own)",
         "--resolution cannot be combined with --output-mode individual: each stream keeps its own size"),
        ("a layout applies to composed archives only, not individual output mode", "--layout applies to composed archives only, not --output-mode individual"),
        ("transcription settings need transcription turned on", "--transcription-language and --transcription-summary need --transcription"),
    ])

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        var archive = ArchiveOptions(sessionID: try inv.required(VideoFlags.sessionID))
        archive.name = try inv.value(name)
        // Left nil unless turned off: vonage-video sends only the options chosen.
        if try inv.value(VideoFlags.noAudio) { archive.hasAudio = false }
        if try inv.value(VideoFlags.noVideo) { archive.hasVideo = false }
        archive.outputMode = try inv.chosen(outputMode)
        archive.resolution = try inv.value(VideoFlags.resolution)
        let layoutGiven = try layout.read(inv, required: false)
        archive.streamMode = try inv.chosen(VideoFlags.streamMode)
        archive.multiArchiveTag = try inv.value(multiArchiveTag)
        archive.maxBitrate = try inv.value(VideoFlags.maxBitrate)
        archive.quantizationParameter = try inv.value(quantizationParameter)
        archive.hasTranscription = try inv.value(transcription)
        archive.transcriptionLanguage = try inv.value(transcriptionLanguage)
        archive.transcriptionSummary = try inv.value(transcriptionSummary) ? true : nil
        let connection = try VideoConnectionOptions.parse(inv)
        archive.layout = try LayoutFlags.layout(layoutGiven, inv)
        try wording.check { () throws(MediaError) in try archive.validate() }
        return Options(archive: archive, connection: connection)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let archive = try ctx.openTokClient(o.connection).startArchive(o.archive)
        ctx.io.progress("Started archive \(archive.id) of session \(o.archive.sessionID)")
        ctx.renderVideo(archive, noun: "archive")
    }
}
