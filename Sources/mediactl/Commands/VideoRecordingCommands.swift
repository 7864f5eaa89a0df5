// `mediactl archive …` and `mediactl broadcast …`: recording and live streaming of OpenTok sessions.
// The two share stop/get/list/layout/add-stream/remove-stream, built once here for both nouns.
import FoundationEssentials
import MediaKit

enum VideoRecordingCommands {
    typealias Noun = OpenTokRecording

    // MARK: archive

    static let archiveGroup = CommandSpec(
        name: "archive", summary: "OpenTok archives: record a session, stop, list, download URL, layout, streams",
        subcommands: [archiveStart, stop(.archive), get(.archive), list(.archive), archiveDelete, layout(.archive),
                      addStream(.archive), removeStream(.archive)])

    static let archiveStart = CommandSpec(
        name: "start", summary: "Start recording a session",
        description: "Composed output mixes every stream into one video (resolution, layout, bitrate apply);\nindividual output keeps one file per stream. The session must use the routed media mode.",
        examples: ["mediactl archive start --session-id $SESSION --name 'Daily standup' --resolution 1280x720",
                   "mediactl archive start --session-id $SESSION --output-mode individual --stream-mode manual --output id"],
        flags: [VideoFlags.sessionID,
                FlagSpec(name: "name", meta: "NAME", help: "archive name", fromDefaultsFile: false),
                VideoFlags.noAudio, VideoFlags.noVideo,
                FlagSpec(name: "output-mode", kind: .choice(OpenTokOutputMode.allCases.map(\.rawValue)), meta: "MODE",
                         help: "composed: one mixed video; individual: one file per stream", defaultValue: "composed"),
                VideoFlags.resolution]
            + VideoFlags.layout(required: false)
            + [VideoFlags.streamMode,
               FlagSpec(name: "multi-archive-tag", meta: "TAG", help: "allows several archives of one session at once (one per tag)", fromDefaultsFile: false),
               VideoFlags.maxBitrate,
               FlagSpec(name: "quantization-parameter", kind: .integer(OpenTokLimits.quantizationParameter), meta: "QP",
                        help: "video quality (lower is better and larger)", fromDefaultsFile: false),
               FlagSpec(name: "transcription", kind: .bool, help: "also transcribe the audio", fromDefaultsFile: false),
               FlagSpec(name: "transcription-language", meta: "CODE", help: "primary language of the transcription, e.g. en-US", fromDefaultsFile: false),
               FlagSpec(name: "transcription-summary", kind: .bool, help: "add a summary to the transcription", fromDefaultsFile: false)]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            var options = ArchiveOptions(sessionID: "")
            options.name = try inv.string("name")
            if try inv.bool("no-audio") { options.hasAudio = false }
            if try inv.bool("no-video") { options.hasVideo = false }
            options.outputMode = try inv.chosen("output-mode").flatMap(OpenTokOutputMode.init(rawValue:))
            options.resolution = try inv.string("resolution").flatMap(OpenTokResolution.init(rawValue:))
            options.streamMode = try inv.chosen("stream-mode").flatMap(OpenTokStreamMode.init(rawValue:))
            options.multiArchiveTag = try inv.string("multi-archive-tag")
            options.maxBitrate = try inv.int("max-bitrate")
            options.quantizationParameter = try inv.int("quantization-parameter")
            options.hasTranscription = try inv.bool("transcription")
            options.transcriptionLanguage = try inv.string("transcription-language")
            options.transcriptionSummary = try inv.bool("transcription-summary") ? true : nil
            if options.hasAudio == false && options.hasVideo == false { throw .usage("--no-audio and --no-video together leave nothing to record") }
            if options.outputMode == .individual {
                if options.resolution != nil { throw .usage("--resolution cannot be combined with --output-mode individual: each stream keeps its own size") }
                if try inv.string("layout") != nil { throw .usage("--layout applies to composed archives only, not --output-mode individual") }
            }
            if !options.hasTranscription && (options.transcriptionLanguage != nil || options.transcriptionSummary != nil) {
                throw .usage("--transcription-language and --transcription-summary need --transcription")
            }
            options.layout = try inv.openTokLayout(required: false)
            options.sessionID = try inv.required("session-id")
            try inv.checked { () throws(MediaError) in try options.validate() }
            let client = try inv.openTokClient()
            let archive = try inv.call { () throws(MediaError) in try client.startArchive(options) }
            inv.io.progress("Started archive \(archive.id) of session \(options.sessionID)")
            inv.renderVideo(archive, noun: "archive")
        })

    static let archiveDelete = CommandSpec(
        name: "delete", summary: "Delete an archive (only available or uploaded ones)",
        flags: [CommonFlags.yes.spec] + VideoFlags.connection,
        positionals: [VideoFlags.idArgument("archive")],
        action: { inv throws(MediaError) in
            let id = try inv.positional(0)
            try inv.confirm("delete archive \(id)")
            let client = try inv.openTokClient()
            try inv.call { () throws(MediaError) in try client.deleteArchive(id) }
            inv.renderDone("Deleted archive \(id)", id: id, record: [("id", .string(id)), ("deleted", true)])
        })

    // MARK: broadcast

    static let broadcastGroup = CommandSpec(
        name: "broadcast", summary: "OpenTok live streaming: broadcast a session to HLS and RTMP, stop, list, layout, streams",
        subcommands: [broadcastStart, stop(.broadcast), get(.broadcast), list(.broadcast), layout(.broadcast),
                      addStream(.broadcast), removeStream(.broadcast)])

    static let broadcastStart = CommandSpec(
        name: "start", summary: "Start broadcasting a session to HLS and/or up to five RTMP servers",
        description: "An RTMP target is [ID=]rtmp://HOST/APP/STREAM_NAME: the last path segment is the stream name (key).\n--hls-low-latency and --hls-dvr imply --hls and cannot be combined.",
        examples: ["mediactl broadcast start --session-id $SESSION --hls --max-duration 3600",
                   "mediactl broadcast start --session-id $SESSION --rtmp yt=rtmp://a.rtmp.youtube.com/live2/KEY --resolution 1280x720 --layout bestFit"],
        flags: [VideoFlags.sessionID,
                FlagSpec(name: "hls", kind: .bool, help: "stream over HLS", fromDefaultsFile: false),
                FlagSpec(name: "hls-low-latency", kind: .bool, help: "low-latency HLS", fromDefaultsFile: false),
                FlagSpec(name: "hls-dvr", kind: .bool, help: "HLS with rewind (DVR)", fromDefaultsFile: false),
                FlagSpec(name: "rtmp", meta: "[ID=]URL", help: "an RTMP target; up to 5", repeatable: true, fromDefaultsFile: false)]
            + VideoFlags.layout(required: false)
            + [FlagSpec(name: "max-duration", kind: .integer(OpenTokLimits.broadcastMaxDuration), meta: "SECONDS",
                        help: "stop after this long (service default 14400)", fromDefaultsFile: false),
               VideoFlags.maxBitrate, VideoFlags.resolution, VideoFlags.streamMode, VideoFlags.noAudio, VideoFlags.noVideo,
               FlagSpec(name: "multi-broadcast-tag", meta: "TAG", help: "allows several broadcasts of one session at once (one per tag)", fromDefaultsFile: false)]
            + VideoFlags.connection,
        action: { inv throws(MediaError) in
            var options = BroadcastOptions(sessionID: "")
            let lowLatency = try inv.bool("hls-low-latency"), dvr = try inv.bool("hls-dvr")
            if lowLatency && dvr { throw .usage("--hls-low-latency and --hls-dvr cannot be combined") }
            if try inv.bool("hls") || lowLatency || dvr {
                options.hls = HLSOptions(lowLatency: lowLatency ? true : nil, dvr: dvr ? true : nil)
            }
            options.rtmp = try inv.strings("rtmp").map { (text: String) throws(MediaError) -> RTMPTarget in try rtmpTarget(text) }
            if options.rtmp.count > OpenTokLimits.maxRTMPTargets {
                throw .usage("--rtmp given \(options.rtmp.count) times: a broadcast can have at most \(OpenTokLimits.maxRTMPTargets) RTMP targets")
            }
            if options.hls == nil && options.rtmp.isEmpty { throw .usage("a broadcast needs an output: give --hls and/or --rtmp [ID=]URL") }
            options.maxDuration = try inv.int("max-duration")
            options.maxBitrate = try inv.int("max-bitrate")
            options.resolution = try inv.string("resolution").flatMap(OpenTokResolution.init(rawValue:))
            options.streamMode = try inv.chosen("stream-mode").flatMap(OpenTokStreamMode.init(rawValue:))
            if try inv.bool("no-audio") { options.hasAudio = false }
            if try inv.bool("no-video") { options.hasVideo = false }
            if options.hasAudio == false && options.hasVideo == false { throw .usage("--no-audio and --no-video together leave nothing to broadcast") }
            options.multiBroadcastTag = try inv.string("multi-broadcast-tag")
            options.layout = try inv.openTokLayout(required: false)
            options.sessionID = try inv.required("session-id")
            try inv.checked { () throws(MediaError) in try options.validate() }
            let client = try inv.openTokClient()
            let broadcast = try inv.call { () throws(MediaError) in try client.startBroadcast(options) }
            inv.io.progress("Started broadcast \(broadcast.id) of session \(options.sessionID)")
            inv.renderVideo(broadcast, noun: "broadcast")
        })

    /// `[ID=]rtmp://HOST/APP/STREAM_NAME` → id, server URL (up to the last `/`) and stream name (after it).
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

    // MARK: verbs shared by both nouns

    static func stop(_ noun: Noun) -> CommandSpec {
        CommandSpec(name: "stop", summary: "Stop a running \(noun.rawValue)",
                    examples: ["mediactl \(noun.rawValue) stop $\(noun.rawValue.uppercased())_ID"],
                    flags: VideoFlags.connection, positionals: [VideoFlags.idArgument(noun.rawValue)],
                    action: { inv throws(MediaError) in
                        let id = try inv.positional(0)
                        let client = try inv.openTokClient()
                        let object = try inv.call { () throws(MediaError) in try client.stop(noun, id: id) }
                        inv.io.progress("Stopped \(noun.rawValue) \(id) (\(object.status ?? "?"))")
                        inv.renderVideo(object, noun: noun.rawValue)
                    })
    }

    static func get(_ noun: Noun) -> CommandSpec {
        CommandSpec(name: "get", summary: "Show one \(noun.rawValue)\(noun == .archive ? " (with its download URL once available)" : "")",
                    examples: ["mediactl \(noun.rawValue) get $\(noun.rawValue.uppercased())_ID --output json"],
                    flags: VideoFlags.connection, positionals: [VideoFlags.idArgument(noun.rawValue)],
                    action: { inv throws(MediaError) in
                        let id = try inv.positional(0)
                        let client = try inv.openTokClient()
                        inv.renderVideo(try inv.call { () throws(MediaError) in try client.get(noun, id: id) }, noun: noun.rawValue)
                    })
    }

    static func list(_ noun: Noun) -> CommandSpec {
        CommandSpec(name: "list", summary: "List \(noun.rawValue)s, newest first",
                    description: noun == .broadcast ? "Uses GET /v2/project/{apiKey}/broadcast from the REST reference (the Python SDK 3.15 has no list call)." : "",
                    examples: ["mediactl \(noun.rawValue) list --session-id $SESSION --all --output json"],
                    flags: [VideoFlags.sessionFilter,
                            FlagSpec(name: "offset", kind: .integer(0...1_000_000_000), meta: "N", help: "skip the N newest", fromDefaultsFile: false),
                            FlagSpec(name: "count", kind: .integer(1...OpenTokClient.maxPageSize), meta: "N", help: "at most N (service default 50)"),
                            FlagSpec(name: "all", kind: .bool, help: "every \(noun.rawValue), in pages of \(OpenTokClient.maxPageSize)", fromDefaultsFile: false)]
                        + VideoFlags.connection,
                    action: { inv throws(MediaError) in
                        let session = try inv.string("session-id")
                        let offset = try inv.int("offset"), count = try inv.int("count")
                        let all = try inv.bool("all")
                        if all && (offset != nil || inv.line.values["count"] != nil) { throw .usage("--all cannot be combined with --offset or --count") }
                        let client = try inv.openTokClient()
                        if all {
                            let items = try inv.call { () throws(MediaError) in try client.listAll(noun, sessionID: session) }
                            inv.renderVideo(page: items, count: items.count, offset: 0, noun: noun.rawValue, columns: VideoText.recordingColumns)
                        } else {
                            let page = try inv.call { () throws(MediaError) in try client.list(noun, offset: offset, count: count, sessionID: session) }
                            inv.renderVideo(page: page.items, count: page.count, offset: offset ?? 0, noun: noun.rawValue, columns: VideoText.recordingColumns)
                        }
                    })
    }

    static func layout(_ noun: Noun) -> CommandSpec {
        CommandSpec(name: "layout", summary: "Change the layout of a running composed \(noun.rawValue)",
                    examples: ["mediactl \(noun.rawValue) layout $ID --layout bestFit --screenshare-type horizontalPresentation",
                               "mediactl \(noun.rawValue) layout $ID --layout custom --stylesheet-file layout.css"],
                    flags: VideoFlags.layout(required: true) + VideoFlags.connection, positionals: [VideoFlags.idArgument(noun.rawValue)],
                    action: { inv throws(MediaError) in
                        let id = try inv.positional(0)
                        guard let layout = try inv.openTokLayout(required: true) else { throw .usage("missing --layout") }
                        let client = try inv.openTokClient()
                        try inv.call { () throws(MediaError) in try client.setLayout(noun, id: id, layout: layout) }
                        inv.renderDone("Set the layout of \(noun.rawValue) \(id) to \(layout.type.rawValue)", id: id,
                                       record: [("id", .string(id)), ("layout", layout.json)])
                    })
    }

    static func addStream(_ noun: Noun) -> CommandSpec {
        CommandSpec(name: "add-stream", summary: "Add a stream to \(noun.article) started with --stream-mode manual",
                    examples: ["mediactl \(noun.rawValue) add-stream $ID --stream-id $STREAM --no-video"],
                    flags: [VideoFlags.streamID, VideoFlags.noAudio, VideoFlags.noVideo] + VideoFlags.connection,
                    positionals: [VideoFlags.idArgument(noun.rawValue)],
                    action: { inv throws(MediaError) in
                        let id = try inv.positional(0)
                        let hasAudio = !(try inv.bool("no-audio")), hasVideo = !(try inv.bool("no-video"))
                        if !hasAudio && !hasVideo { throw .usage("--no-audio and --no-video together would add nothing") }
                        let stream = try inv.required("stream-id")
                        let client = try inv.openTokClient()
                        try inv.call { () throws(MediaError) in try client.addStream(noun, id: id, streamID: stream,
                                                                                    hasAudio: hasAudio ? nil : false, hasVideo: hasVideo ? nil : false) }
                        inv.renderDone("Added stream \(stream) to \(noun.rawValue) \(id)", id: stream,
                                       record: [("id", .string(id)), ("addedStream", .string(stream)), ("hasAudio", .bool(hasAudio)), ("hasVideo", .bool(hasVideo))])
                    })
    }

    static func removeStream(_ noun: Noun) -> CommandSpec {
        CommandSpec(name: "remove-stream", summary: "Remove a stream from \(noun.article) started with --stream-mode manual",
                    flags: [VideoFlags.streamID] + VideoFlags.connection, positionals: [VideoFlags.idArgument(noun.rawValue)],
                    action: { inv throws(MediaError) in
                        let id = try inv.positional(0)
                        let stream = try inv.required("stream-id")
                        let client = try inv.openTokClient()
                        try inv.call { () throws(MediaError) in try client.removeStream(noun, id: id, streamID: stream) }
                        inv.renderDone("Removed stream \(stream) from \(noun.rawValue) \(id)", id: stream,
                                       record: [("id", .string(id)), ("removedStream", .string(stream))])
                    })
    }
}

extension OpenTokRecording {
    /// For summaries: "an archive", "a broadcast".
    var article: String { self == .archive ? "an archive" : "a broadcast" }
}
