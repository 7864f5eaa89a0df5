// `mediactl publish VIDEO`: the whole lab in one command (upload → workflow job → asset → channel → ingest →
// playback URL), resumable: each finished step is recorded and a rerun starts after the last one.
import FoundationEssentials
import Glibc
import MediaKit

enum PublishCommand {
    static let command = CommandSpec(
        name: "publish", summary: "Upload a video, transcode it with a workflow job, ingest it into a channel and print the playback URL",
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
        flags: [
            FlagSpec(name: "bucket", meta: "BUCKET", help: "bucket for the source video", env: "MEDIACTL_SOURCE_BUCKET",
                     prompt: "Source bucket"),
            FlagSpec(name: "object", meta: "OBJECT", help: "object name of the source video (default: VIDEO's file name)", fromDefaultsFile: false),
            FlagSpec(name: "destination-bucket", meta: "BUCKET", help: "bucket for the transcoded outputs (default: --bucket)",
                     env: "MEDIACTL_DESTINATION_BUCKET"),
            ObjectCommands.namespace, ObjectCommands.endpoint,
            FlagSpec(name: "part-size", kind: .integer(1...51_200), meta: "MIB", help: "multipart part size in MiB; larger files go multipart",
                     env: "MEDIACTL_PART_SIZE", defaultValue: "128"),
            FlagSpec(name: "parallel", kind: .integer(1...64), meta: "N", help: "parts uploaded at once", env: "MEDIACTL_PARALLEL", defaultValue: "3"),
            CommonFlags.compartment.spec,
            FlagSpec(name: "output-prefix", meta: "PREFIX", help: "prefix of the output files (default: VIDEO's name without extension)",
                     fromDefaultsFile: false),
            FlagSpec(name: "workflow-id", kind: .ocid(ResourceKind.workflow.ocidTypes), meta: "OCID",
                     help: "workflow to run (default: the lab's, created once and reused)", env: "MEDIACTL_WORKFLOW_ID"),
            FlagSpec(name: "channel-id", kind: .ocid(ResourceKind.channel.ocidTypes), meta: "OCID",
                     help: "distribution channel to ingest into", env: "MEDIACTL_CHANNEL_ID"),
            FlagSpec(name: "packaging-config-id", kind: .ocid(ResourceKind.packagingConfig.ocidTypes), meta: "OCID",
                     help: "packaging config for the playback URL (default: the channel's first active one)", env: "MEDIACTL_PACKAGING_CONFIG_ID"),
            FlagSpec(name: "create-channel", kind: .bool, help: "build a channel, CDN config and HLS packaging config (instead of --channel-id)",
                     fromDefaultsFile: false),
            FlagSpec(name: "segment-seconds", kind: .integer(1...300), meta: "SECONDS", help: "segment length of a created packaging config",
                     defaultValue: "6"),
            FlagSpec(name: "expires-in", kind: .integer(60...31_536_000), meta: "SECONDS", help: "session token lifetime (default: the service's)"),
            FlagSpec(name: "restart", kind: .bool, help: "ignore what an earlier run recorded; do every step again", fromDefaultsFile: false),
            CommonFlags.timeout(default: 3600).spec,
        ],
        positionals: [PositionalSpec(name: "video", help: "local video file to upload (omit with --object to use one already in the bucket)",
                                     kind: .file, required: false)],
        action: { inv throws(MediaError) in try run(inv) })

    static func run(_ inv: Invocation) throws(MediaError) {
        // Everything the flags say is checked before anything is sent.
        let video = try inv.optionalPositional(0).map(inv.expand)
        var objectName = try inv.string("object")
        if let video {
            guard try ObjectCommands.localFileSize(video, label: "VIDEO") > 0 else { throw .usage("VIDEO \(video): the file is empty") }
            if objectName == nil { objectName = lastPathComponent(of: video) }
        }
        guard let objectName else { throw .usage("publish needs VIDEO (a local file) or --object (a video already in --bucket)") }
        let createChannel = try inv.bool("create-channel")
        let givenChannel = try inv.string("channel-id")
        if createChannel && givenChannel != nil { throw .usage("--create-channel and --channel-id cannot be combined: pick one") }
        if !createChannel && givenChannel == nil { throw .usage("publish needs --channel-id (an existing channel) or --create-channel") }
        if createChannel, try inv.string("packaging-config-id") != nil {
            throw .usage("--packaging-config-id names a config of an existing channel; it cannot be combined with --create-channel")
        }
        let bucket = try inv.required("bucket")
        let destination = try inv.string("destination-bucket") ?? bucket
        if let problem = ObjectStorageClient.bucketNameProblem(bucket) { throw .usage("--bucket: \(problem)") }
        if let problem = ObjectStorageClient.bucketNameProblem(destination) { throw .usage("--destination-bucket: \(problem)") }
        if let problem = ObjectStorageClient.objectNameProblem(objectName) { throw .usage("--object '\(objectName.prefix(80))': \(problem)") }
        let compartment = try inv.required("compartment-id")
        let prefix = try inv.string("output-prefix") ?? defaultPrefix(objectName)
        try checkPrefix(prefix)
        let timeout = try inv.double("timeout") ?? 3600
        let segmentSeconds = try inv.int("segment-seconds") ?? 6
        let givenWorkflow = try inv.string("workflow-id")
        let givenPackaging = try inv.string("packaging-config-id")
        let expires = try inv.int("expires-in").map { inv.clock.now().addingTimeInterval(Double($0)) }

        var upload = UploadOptions()
        upload.partSize = Int64(try inv.int("part-size") ?? 128) * UploadOptions.mebibyte
        upload.multipartThreshold = upload.partSize
        upload.parallel = try inv.int("parallel") ?? 3
        if let video { _ = try ObjectCommands.checkedPlan(inv, file: video, options: upload) }

        let (client, connection) = try inv.mediaServices()
        let (objects, makeClient) = try inv.objectStorage()
        let namespace = try ObjectCommands.namespace(inv, objects)

        let channel: PublishPlan.Channel = givenChannel.map { .existing(id: $0, packagingConfigID: givenPackaging) } ?? .create(segmentSeconds: segmentSeconds)
        let plan = PublishPlan(source: ObjectLocation(namespace: namespace, bucket: bucket, object: objectName), destinationBucket: destination,
                               compartmentID: compartment, outputPrefix: prefix, workflowID: givenWorkflow, channel: channel, tokenExpires: expires)
        let journal = PublishJournal(stateDirectory: StatePaths.directory(environment: inv.environment, home: inv.home))
        let io = inv.io
        let report: (PublishEvent) -> Void = { event in
            switch event {
            case let .step(n, text): io.progress("[\(n)/\(PublishPlan.totalSteps)] \(text)")
            case let .progress(text): io.progress(text)
            case let .note(text): io.note(text)
            }
        }
        let restart = try inv.bool("restart")
        var publisher = try inv.call { () throws(MediaError) in
            try Publisher(client: client, journal: journal, key: plan.key(endpoint: connection.endpoint.description), restart: restart, report: report)
        }

        // 1. The source video in the bucket.
        if let video {
            let uploaded = try uploadIfNeeded(inv, objects: objects, makeClient: makeClient, file: video, namespace: namespace,
                                              bucket: bucket, object: objectName, options: upload, record: publisher.record["upload"])
            switch uploaded {
            case let .skipped(reason): report(.step(1, "upload: \(reason)"))
            case let .done(summary):
                report(.step(1, "uploaded \(video) to \(bucket)/\(objectName)"))
                try inv.call { () throws(MediaError) in try publisher.save("upload", summary) }
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
        let result = try inv.call { () throws(MediaError) in
            try publisher.run(plan, waitForJob: { (client, id, label) throws(MediaError) in
                try inv.waitForJob(client, id: id, timeout: timeout, label: label)
            }, stream: { (domain) throws(MediaError) in
                try inv.mediaStream(domainName: domain)
            })
        }

        switch inv.outputFormat {
        case "json": inv.io.out(result.json.prettyText)
        case "id": inv.io.out(result.mediaAssetID)
        default: inv.io.out(result.playbackURL)
        }
    }

    // MARK: - Steps

    enum UploadOutcome {
        case skipped(String)
        case done(JSONValue)
    }

    /// Uploads unless the object already holds this file: same size and MD5 as recorded by the last upload, or
    /// (with no record) the same size and content-md5 as the file.
    static func uploadIfNeeded(_ inv: Invocation, objects: ObjectStorageClient, makeClient: @escaping ObjectUploader.ClientFactory,
                               file: String, namespace: String, bucket: String, object: String, options: UploadOptions,
                               record: JSONValue?) throws(MediaError) -> UploadOutcome {
        let local: (size: Int64, mtime: String)
        do throws(MediaError) { local = try ObjectUploader.fileInfo(file) } catch { throw .usage("VIDEO \(file): \(error.message)") }
        let remote: ObjectHead?
        do { remote = try objects.headObject(namespace: namespace, bucket: bucket, object: object) }
        catch let error where error.isNotFound { remote = nil }
        catch { throw error }
        if let remote, remote.size == local.size {
            if let record, record["size"]?.stringValue == String(local.size), record["mtime"]?.stringValue == local.mtime,
               record["etag"]?.stringValue == remote.etag {
                return .skipped("\(bucket)/\(object) already uploaded (same size, modification time and ETag as the last upload)")
            }
            if let md5 = remote.md5,
               md5 == (try inv.call { () throws(MediaError) in try ObjectUploader.md5(FileRegion(path: file, length: local.size)) }).base64EncodedString() {
                return .skipped("\(bucket)/\(object) already holds this file (same size and MD5)")
            }
        }
        let (result, _) = try ObjectCommands.upload(inv, makeClient: makeClient, endpoint: objects.endpoint.description, file: file, size: local.size,
                                               namespace: namespace, bucket: bucket, name: object, options: options)
        return .done(["size": .string(String(local.size)), "mtime": .string(local.mtime), "etag": .string(result.etag)])
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
