// `mediactl broadcast …`: live streaming of an OpenTok session to HLS and RTMP. start is broadcasts' own; the other
// verbs are shared with archives (Recording/RecordingVerbs.swift). The start flags become MediaKit's
// `BroadcastOptions` here, checked once by MediaKit (its messages worded for the flags), and `startBroadcast` sends them.
import MediaKit

enum BroadcastCommands {
    static let group = CommandSpec(
        name: "broadcast", summary: "OpenTok live streaming: broadcast a session to HLS and RTMP, stop, list, layout, streams",
        subcommands: [BroadcastStart.command, RecordingVerbs.stop(.broadcast), RecordingVerbs.get(.broadcast), RecordingVerbs.list(.broadcast),
                      RecordingVerbs.layout(.broadcast), RecordingVerbs.addStream(.broadcast), RecordingVerbs.removeStream(.broadcast)])
}

enum BroadcastStart {
    struct Options {
        var broadcast: BroadcastOptions
        var connection: VideoConnectionOptions
    }

    static let hls = Switch("hls", help: "stream over HLS")
    static let hlsLowLatency = Switch("hls-low-latency", help: "low-latency HLS")
    static let hlsDVR = Switch("hls-dvr", help: "HLS with rewind (DVR)")
    static let rtmp = Flag.text("rtmp", meta: "[ID=]URL", help: "an RTMP target; up to 5").repeatable().notFromDefaultsFile()
    static let maxDuration = Flag.integer("max-duration", OpenTokLimits.broadcastMaxDuration, meta: "SECONDS",
                                          help: "stop after this long (service default 14400)").notFromDefaultsFile()
    static let multiBroadcastTag = Flag.text("multi-broadcast-tag", meta: "TAG", help: "allows several broadcasts of one session at once (one per tag)")
        .notFromDefaultsFile()
    static let layout = LayoutFlags.optional

    static let command = CommandSpec.verb(
        "start", summary: "Start broadcasting a session to HLS and/or up to five RTMP servers",
        description: "An RTMP target is [ID=]rtmp://HOST/APP/STREAM_NAME: the last path segment is the stream name (key).\n--hls-low-latency and --hls-dvr imply --hls and cannot be combined.",
        examples: ["mediactl broadcast start --session-id $SESSION --hls --max-duration 3600",
                   "mediactl broadcast start --session-id $SESSION --rtmp yt=rtmp://a.rtmp.youtube.com/live2/KEY --resolution 1280x720 --layout bestFit"],
        flags: [VideoFlags.sessionID, hls, hlsLowLatency, hlsDVR, rtmp]
            + layout.declarations
            + [maxDuration, VideoFlags.maxBitrate, VideoFlags.resolution, VideoFlags.streamMode, VideoFlags.noAudio, VideoFlags.noVideo, multiBroadcastTag]
            + VideoConnection.flags,
        parse: parse, run: run)

    static func wording(targets: Int) -> FlagWording {
        LayoutFlags.wording.adding([
            ("a broadcast needs an output: HLS, or at least one RTMP target", "a broadcast needs an output: give --hls and/or --rtmp [ID=]URL"),
            ("a broadcast can have at most \(OpenTokLimits.maxRTMPTargets) RTMP targets, got \(targets)",
             "--rtmp given \(targets) times: a broadcast can have at most \(OpenTokLimits.maxRTMPTargets) RTMP targets"),
            ("HLS low latency and DVR cannot both be on", "--hls-low-latency and --hls-dvr cannot be combined"),
            ("a broadcast needs audio or video: not both turned off", "--no-audio and --no-video together leave nothing to broadcast"),
        ])
    }

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        var broadcast = BroadcastOptions(sessionID: try inv.required(VideoFlags.sessionID))
        let lowLatency = try inv.value(hlsLowLatency), dvr = try inv.value(hlsDVR)
        if try inv.value(hls) || lowLatency || dvr { broadcast.hls = HLSOptions(lowLatency: lowLatency ? true : nil, dvr: dvr ? true : nil) }
        let targets = try inv.values(rtmp)
        let layoutGiven = try layout.read(inv, required: false)
        broadcast.maxDuration = try inv.value(maxDuration)
        broadcast.maxBitrate = try inv.value(VideoFlags.maxBitrate)
        broadcast.resolution = try inv.value(VideoFlags.resolution)
        broadcast.streamMode = try inv.chosen(VideoFlags.streamMode)
        if try inv.value(VideoFlags.noAudio) { broadcast.hasAudio = false }
        if try inv.value(VideoFlags.noVideo) { broadcast.hasVideo = false }
        broadcast.multiBroadcastTag = try inv.value(multiBroadcastTag)
        let connection = try VideoConnectionOptions.parse(inv)
        broadcast.rtmp = try targets.map { (text: String) throws(MediaError) -> RTMPTarget in try rtmpTarget(text) }
        broadcast.layout = try LayoutFlags.layout(layoutGiven, inv)
        try wording(targets: broadcast.rtmp.count).check { () throws(MediaError) in try broadcast.validate() }
        return Options(broadcast: broadcast, connection: connection)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let broadcast = try ctx.openTokClient(o.connection).startBroadcast(o.broadcast)
        ctx.io.progress("Started broadcast \(broadcast.id) of session \(o.broadcast.sessionID)")
        ctx.renderVideo(broadcast, noun: "broadcast")
    }

    /// `[ID=]rtmp://HOST/APP/STREAM_NAME` → id, server URL (up to the last `/`) and stream name (after it). The flag's
    /// syntax, so its messages quote the text given; MediaKit checks the targets' rules.
    static func rtmpTarget(_ text: String) throws(MediaError) -> RTMPTarget {
        guard let scheme = text.firstRange(of: "://") else { throw .usage("--rtmp \(text): expected [ID=]rtmp://HOST/APP/STREAM_NAME") }
        var id: String?
        var url = text
        if let eq = text[..<scheme.lowerBound].firstIndex(of: "=") {
            id = String(text[..<eq])
            url = String(text[text.index(after: eq)...])
            if id?.isEmpty == true { throw .usage("--rtmp \(text): the ID before '=' is empty") }
        }
        let lower = url.lowercased()
        guard lower.hasPrefix("rtmp://") || lower.hasPrefix("rtmps://") else {
            throw .usage("--rtmp \(text): the URL must start with rtmp:// or rtmps://")
        }
        let afterScheme = url.index(url.startIndex, offsetBy: lower.hasPrefix("rtmp://") ? 7 : 8)
        guard let slash = url[afterScheme...].firstIndex(of: "/"), let last = url.lastIndex(of: "/"), last > slash,
              url.index(after: last) < url.endIndex else {
            throw .usage("--rtmp \(text): expected [ID=]rtmp://HOST/APP/STREAM_NAME (the last path segment is the stream name)")
        }
        return RTMPTarget(id: id, serverURL: String(url[..<last]), streamName: String(url[url.index(after: last)...]))
    }
}
