// `mediactl publish VIDEO`: the whole lab in one command (upload → workflow job → asset → channel → ingest →
// playback URL), resumable: each finished step is recorded and a rerun starts after the last one.
import FoundationEssentials
import MediaKit

enum PublishCommand {
    struct Options {
        /// The local file to upload (expanded), or nil to use --object already in the bucket.
        var video: String?
        var objectName: String
        var bucket: String
        var destinationBucket: String
        /// nil: GetNamespace.
        var namespace: String?
        /// nil: the region's Object Storage endpoint.
        var objectStorageEndpoint: String?
        var upload: UploadOptions
        var compartmentID: String
        var outputPrefix: String
        var workflowID: String?
        /// nil with `createChannel`.
        var channelID: String?
        var packagingConfigID: String?
        var createChannel: Bool
        var segmentSeconds: Int
        /// Session token lifetime in seconds from the start; nil leaves it to the service.
        var expiresIn: Int?
        var restart: Bool
        var timeout: Double
    }

    static let video = Positional<String>(spec: PositionalSpec(name: "video", help: "local video file to upload (omit with --object to use one already in the bucket)",
                                                               kind: .file, required: false), decode: { $0 })
    static let bucket = Flag.text("bucket", meta: "BUCKET", help: "bucket for the source video").completingIDs("bucket").env("MEDIACTL_SOURCE_BUCKET").prompt("Source bucket")
    static let object = Flag.text("object", meta: "OBJECT", help: "object name of the source video (default: VIDEO's file name)").notFromDefaultsFile()
    static let destinationBucket = Flag.text("destination-bucket", meta: "BUCKET", help: "bucket for the transcoded outputs (default: --bucket)").completingIDs("bucket")
        .env("MEDIACTL_DESTINATION_BUCKET")
    static let outputPrefix = Flag.text("output-prefix", meta: "PREFIX", help: "prefix of the output files (default: VIDEO's name without extension)")
        .notFromDefaultsFile()
    static let workflowID = Flag.ocid("workflow-id", types: ResourceKind.workflow.ocidTypes, help: "workflow to run (default: the lab's, created once and reused)")
        .env("MEDIACTL_WORKFLOW_ID")
    static let channelID = Flag.ocid("channel-id", types: ResourceKind.channel.ocidTypes, help: "distribution channel to ingest into")
        .env("MEDIACTL_CHANNEL_ID")
    static let packagingConfigID = Flag.ocid("packaging-config-id", types: ResourceKind.packagingConfig.ocidTypes,
                                             help: "packaging config for the playback URL (default: the channel's first active one)")
        .env("MEDIACTL_PACKAGING_CONFIG_ID")
    static let createChannel = Switch("create-channel", help: "build a channel, CDN config and HLS packaging config (instead of --channel-id)")
    static let segmentSeconds = Flag.integer("segment-seconds", 1...300, meta: "SECONDS", help: "segment length of a created packaging config")
        .defaulting(to: 6)
    static let expiresIn = Flag.integer("expires-in", 60...31_536_000, meta: "SECONDS", help: "session token lifetime (default: the service's)")
    static let restart = Switch("restart", help: "ignore what an earlier run recorded; do every step again")
    static let timeout = CommonFlags.timeout(default: 3600)

    static let command = CommandSpec.verb(
        "publish", summary: "Upload a video, transcode it with a workflow job, ingest it into a channel and print the playback URL",
        description: """
        The lab in one command: uploads VIDEO (or uses --object already in --bucket), runs the lab's workflow (or
        --workflow-id) on it and waits, registers the master playlist the job wrote as a media asset, ingests it into
        --channel-id (or a channel it builds with --create-channel) and waits, then prints a playback URL with a
        session token. Each step that succeeds is recorded under $XDG_STATE_HOME/mediactl/publish/; running the
        same command again resumes after the last finished step (an upload that was cut off resumes its missing
        parts). --restart forgets the record and does every step again.
        """,
        examples: ["mediactl publish clip.mp4 --bucket media-in --destination-bucket media-out --create-channel",
                   "mediactl publish --object clip.mp4 --bucket media-in --channel-id $CH --packaging-config-id $PKG --output json"],
        flags: [bucket, object, destinationBucket, ObjectFlags.namespace, ObjectFlags.endpoint, ObjectFlags.partSize, ObjectFlags.parallel,
                CommonFlags.compartment, outputPrefix,
                workflowID, channelID, packagingConfigID, createChannel, segmentSeconds, expiresIn, restart, timeout],
        positionals: [video.spec],
        parse: parse, run: run)

    /// Everything the flags say is checked before anything is sent, and what can be checked without the required
    /// values before they are asked for. (The table audit reads every flag as a sample, which breaks the
    /// combination rules and names no real file: it skips those checks.)
    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let checking = !inv.auditing
        let video = try inv.value(video).map(inv.expand)
        var objectName = try inv.value(object)
        if let video, checking {
            guard try ObjectCommands.localFileSize(video, label: "VIDEO") > 0 else { throw .usage("VIDEO \(video): the file is empty") }
            if objectName == nil { objectName = lastPathComponent(of: video) }
        }
        guard let objectName else { throw .usage("publish needs VIDEO (a local file) or --object (a video already in --bucket)") }
        let createChannel = try inv.value(createChannel)
        let givenChannel = try inv.value(channelID)
        if checking && createChannel && givenChannel != nil { throw .usage("--create-channel and --channel-id cannot be combined: pick one") }
        if !createChannel && givenChannel == nil { throw .usage("publish needs --channel-id (an existing channel) or --create-channel") }
        let givenPackaging = try inv.value(packagingConfigID)
        if checking && createChannel && givenPackaging != nil {
            throw .usage("--packaging-config-id names a config of an existing channel; it cannot be combined with --create-channel")
        }
        let bucket = try inv.required(bucket)
        let destination = try inv.value(destinationBucket) ?? bucket
        if let problem = ObjectStorageClient.bucketNameProblem(bucket) { throw .usage("--bucket: \(problem)") }
        if let problem = ObjectStorageClient.bucketNameProblem(destination) { throw .usage("--destination-bucket: \(problem)") }
        if let problem = ObjectStorageClient.objectNameProblem(objectName) { throw .usage("--object '\(objectName.prefix(80))': \(problem)") }
        let compartment = try inv.required(CommonFlags.compartment)
        let prefix = try inv.value(outputPrefix) ?? defaultPrefix(objectName)
        try checkPrefix(prefix)

        var upload = UploadOptions()
        upload.partSize = Int64(try inv.value(ObjectFlags.partSize)) * UploadOptions.mebibyte
        upload.multipartThreshold = upload.partSize
        upload.parallel = try inv.value(ObjectFlags.parallel)
        if let video, checking { _ = try ObjectCommands.checkedPlan(file: video, options: upload) }
        return Options(video: video, objectName: objectName, bucket: bucket, destinationBucket: destination, namespace: try inv.value(ObjectFlags.namespace),
                       objectStorageEndpoint: try inv.value(ObjectFlags.endpoint),
                       upload: upload, compartmentID: compartment, outputPrefix: prefix, workflowID: try inv.value(workflowID),
                       channelID: givenChannel, packagingConfigID: givenPackaging, createChannel: createChannel,
                       segmentSeconds: try inv.value(segmentSeconds), expiresIn: try inv.value(expiresIn), restart: try inv.value(restart),
                       timeout: try inv.value(timeout))
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        // The code below reads these names (as it did before the typed options).
        let (video, objectName, bucket, destination) = (o.video, o.objectName, o.bucket, o.destinationBucket)
        let (compartment, prefix, timeout, upload) = (o.compartmentID, o.outputPrefix, o.timeout, o.upload)
        let (givenWorkflow, givenChannel, givenPackaging, segmentSeconds) = (o.workflowID, o.channelID, o.packagingConfigID, o.segmentSeconds)
        let expires = o.expiresIn.map { ctx.clock.now().addingTimeInterval(Double($0)) }

        let (client, connection) = try ctx.mediaServices()
        let (objects, makeClient) = try ctx.objectStorage(endpoint: o.objectStorageEndpoint, parallel: upload.parallel)
        let namespace = if let given = o.namespace { given } else { try objects.namespace() }

        let channel: PublishPlan.Channel = givenChannel.map { .existing(id: $0, packagingConfigID: givenPackaging) } ?? .create(segmentSeconds: segmentSeconds)
        let plan = PublishPlan(source: ObjectLocation(namespace: namespace, bucket: bucket, object: objectName), destinationBucket: destination,
                               compartmentID: compartment, outputPrefix: prefix, workflowID: givenWorkflow, channel: channel, tokenExpires: expires)
        let journal = PublishJournal(stateDirectory: StatePaths.directory(environment: ctx.environment, home: ctx.home))
        let io = ctx.io
        let report: (PublishEvent) -> Void = { event in
            switch event {
            case let .step(n, text): io.progress("[\(n)/\(PublishPlan.totalSteps)] \(text)")
            case let .progress(text): io.progress(text)
            case let .note(text): io.note(text)
            }
        }
        var publisher = try Publisher(client: client, journal: journal, key: plan.key(endpoint: connection.endpoint.description), restart: o.restart,
                                      report: report)

        // 1. The source video in the bucket.
        if let video {
            let uploaded = try uploadIfNeeded(ctx, objects: objects, makeClient: makeClient, file: video, namespace: namespace,
                                              bucket: bucket, object: objectName, options: upload, stamp: publisher.uploadStamp)
            switch uploaded {
            case let .skipped(reason): report(.step(1, "upload: \(reason)"))
            case let .done(stamp):
                report(.step(1, "uploaded \(video) to \(bucket)/\(objectName)"))
                try publisher.saveUpload(stamp)
            }
        } else {
            do throws(MediaError) { _ = try objects.headObject(namespace: namespace, bucket: bucket, object: objectName) } catch {
                guard case let .notFound(failure) = error else { throw error }
                var named = failure
                named.message = "--object \(objectName): no such object in bucket \(bucket) (namespace \(namespace))"
                throw .notFound(named)
            }
            report(.step(1, "using \(bucket)/\(objectName), already in Object Storage"))
        }

        // 2 to 6: workflow job, asset, channel, ingest, playback URL.
        let result = try publisher.run(plan, waitForJob: { (client, id, label) throws(MediaError) in
            do throws(MediaError) { return try ctx.waitForJob(client, id: id, timeout: timeout, label: label) } catch {
                // The record keeps the job: the same command picks it up again rather than starting another.
                guard case let .cancelled(message) = error else { throw error }
                throw .cancelled("\(message); rerun the same `mediactl publish` to resume with it")
            }
        }, stream: { (domain) throws(MediaError) in
            try ctx.mediaStream(domainName: domain)
        })

        ctx.emit(json: result.json, ids: [result.mediaAssetID]) { ctx.io.out(result.playbackURL) }
    }

    // MARK: - Steps

    enum UploadOutcome {
        case skipped(String)
        case done(UploadStamp)
    }

    /// Uploads unless the object already holds this file: same size and MD5 as recorded by the last upload, or
    /// (with no record) the same size and content-md5 as the file.
    static func uploadIfNeeded(_ ctx: CommandContext, objects: ObjectStorageClient, makeClient: @escaping ObjectUploader.ClientFactory,
                               file: String, namespace: String, bucket: String, object: String, options: UploadOptions,
                               stamp: UploadStamp?) throws(MediaError) -> UploadOutcome {
        let local: (size: Int64, mtime: String)
        do throws(MediaError) { local = try ObjectUploader.fileInfo(file) } catch { throw .usage("VIDEO \(file): \(error.message)") }
        let remote: ObjectHead?
        do { remote = try objects.headObject(namespace: namespace, bucket: bucket, object: object) }
        catch let error where error.isNotFound { remote = nil }
        catch { throw error }
        if let remote, remote.size == local.size {
            if stamp == UploadStamp(size: local.size, mtime: local.mtime, etag: remote.etag ?? "") {
                return .skipped("\(bucket)/\(object) already uploaded (same size, modification time and ETag as the last upload)")
            }
            if let md5 = remote.md5,
               md5 == (try ObjectUploader.md5(FileRegion(path: file, length: local.size))).base64EncodedString() {
                return .skipped("\(bucket)/\(object) already holds this file (same size and MD5)")
            }
        }
        let (result, _) = try ObjectCommands.upload(ctx, makeClient: makeClient, endpoint: objects.endpoint.description, file: file, size: local.size,
                                               namespace: namespace, bucket: bucket, name: object, options: options)
        return .done(UploadStamp(size: local.size, mtime: local.mtime, etag: result.etag))
    }

    /// `clip.final.mp4` → `clip.final`; characters outside [A-Za-z0-9._-] become `-`.
    static func defaultPrefix(_ objectName: String) -> String {
        let base = objectName.split(separator: "/").last.map(String.init) ?? objectName
        let stem = base.contains(".") ? String(base[..<base.lastIndex(of: ".")!]) : base
        let cleaned = String(stem.map { $0.isASCII && ($0.isLetter || $0.isNumber || "._-".contains($0)) ? $0 : "-" })
        return cleaned.isEmpty ? "video" : cleaned
    }

    static func checkPrefix(_ prefix: String) throws(MediaError) {
        guard !prefix.isEmpty, prefix.count <= 200, !prefix.contains("/"),
              !prefix.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
            throw .usage("--output-prefix: expected 1 to 200 characters without '/' or control characters")
        }
    }
}

extension MediaError {
    /// A 404: the resource or object is not there (as opposed to a failure to find out).
    var isNotFound: Bool { if case .notFound = self { return true }; return false }
}
