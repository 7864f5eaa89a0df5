// `mediactl publish VIDEO`: the whole lab in one command (upload → workflow job → asset → channel → ingest →
// playback URL), resumable: each finished step is recorded and a rerun starts after the last one.
import FoundationEssentials
import Glibc
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
    static let bucket = Flag.text("bucket", meta: "BUCKET", help: "bucket for the source video").env("MEDIACTL_SOURCE_BUCKET").prompt("Source bucket")
    static let object = Flag.text("object", meta: "OBJECT", help: "object name of the source video (default: VIDEO's file name)").notFromDefaultsFile()
    static let destinationBucket = Flag.text("destination-bucket", meta: "BUCKET", help: "bucket for the transcoded outputs (default: --bucket)")
        .env("MEDIACTL_DESTINATION_BUCKET")
    // TODO(integrator): the same declarations as `object`'s --namespace and --objectstorage-endpoint; use theirs once typed.
    static let namespace = Flag.text("namespace", meta: "NAME", help: "Object Storage namespace (default: GetNamespace)").env("MEDIACTL_NAMESPACE")
    static let objectStorageEndpoint = Flag.text("objectstorage-endpoint", meta: "URL",
                                                 help: "Object Storage endpoint, e.g. a local emulator (default: derived from the region)")
        .env("MEDIACTL_OBJECTSTORAGE_ENDPOINT")
    static let partSize = Flag.integer("part-size", 1...51_200, meta: "MIB", help: "multipart part size in MiB; larger files go multipart")
        .env("MEDIACTL_PART_SIZE").defaulting(to: 128)
    static let parallel = Flag.integer("parallel", 1...64, help: "parts uploaded at once").env("MEDIACTL_PARALLEL").defaulting(to: 3)
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
        flags: [bucket, object, destinationBucket, namespace, objectStorageEndpoint, partSize, parallel, CommonFlags.compartment, outputPrefix,
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
        upload.partSize = Int64(try inv.value(partSize)) * UploadOptions.mebibyte
        upload.multipartThreshold = upload.partSize
        upload.parallel = try inv.value(parallel)
        if let video, checking { _ = try ObjectCommands.checkedPlan(inv, file: video, options: upload) }

        // The endpoint is read where the Object Storage client is built (ctx.objectStorage()); read here for the table's audit.
        _ = try inv.value(objectStorageEndpoint)
        return Options(video: video, objectName: objectName, bucket: bucket, destinationBucket: destination, namespace: try inv.value(namespace),
                       upload: upload, compartmentID: compartment, outputPrefix: prefix, workflowID: try inv.value(workflowID),
                       channelID: givenChannel, packagingConfigID: givenPackaging, createChannel: createChannel,
                       segmentSeconds: try inv.value(segmentSeconds), expiresIn: try inv.value(expiresIn), restart: try inv.value(restart),
                       timeout: try inv.value(timeout))
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        // The steps below read these names (their code is as it was before the typed options).
        let (video, objectName, bucket, destination) = (o.video, o.objectName, o.bucket, o.destinationBucket)
        let (compartment, prefix, timeout, upload) = (o.compartmentID, o.outputPrefix, o.timeout, o.upload)
        let (givenWorkflow, givenChannel, givenPackaging, segmentSeconds) = (o.workflowID, o.channelID, o.packagingConfigID, o.segmentSeconds)
        let expires = o.expiresIn.map { ctx.clock.now().addingTimeInterval(Double($0)) }

        let (client, connection) = try ctx.mediaServices()
        let (objects, makeClient) = try ctx.objectStorage()
        let namespace = if let given = o.namespace { given } else { try objects.namespace() }

        let key = PublishRecord.Key(endpoint: connection.endpoint.description, namespace: namespace, sourceBucket: bucket,
                                    sourceObject: objectName, destinationBucket: destination, outputPrefix: prefix, compartmentID: compartment)
        let journal = PublishJournal(stateDirectory: StatePaths.directory(environment: ctx.environment, home: ctx.home))
        if o.restart { journal.remove(key) }
        var record = try journal.load(key)
        func save(_ step: String, _ value: JSONValue) throws(MediaError) {
            record.set(step, value)
            try journal.save(record, for: key)
        }
        // A new record gets its own run id at once, so the retry tokens below are new after --restart but the
        // same for every rerun of this record.
        if record.string("run", "id") == nil { try save("run", ["id": .string(Digest.randomBytes(16).hexLowercase)]) }
        let runID = record.string("run", "id") ?? ""
        // Creates carry a retry token derived from this publication and step (and the resource a step replaces, if
        // any): a rerun after a crash between a create and its record gets the first resource back, not a second one.
        func once(_ step: String, _ seed: String...) -> MediaServicesClient {
            let text = ([runID, step] + seed).joined(separator: "\u{0}")
            return client.withRetryToken("mediactl-publish-" + Digest.sha256(Data(text.utf8)).hexLowercase.prefix(40))
        }
        let total = 6
        func say(_ n: Int, _ text: String) { ctx.io.progress("[\(n)/\(total)] \(text)") }

        // 1. The source video in the bucket.
        if let video {
            let uploaded = try uploadIfNeeded(ctx, objects: objects, makeClient: makeClient, file: video, namespace: namespace,
                                              bucket: bucket, object: objectName, options: upload, record: record["upload"])
            switch uploaded {
            case let .skipped(reason): say(1, "upload: \(reason)")
            case let .done(summary):
                say(1, "uploaded \(video) to \(bucket)/\(objectName)")
                try save("upload", summary)
            }
        } else {
            do throws(MediaError) { _ = try objects.headObject(namespace: namespace, bucket: bucket, object: objectName) } catch {
                guard case let .notFound(failure) = error else { throw error }
                var named = failure
                named.message = "--object \(objectName): no such object in bucket \(bucket) (namespace \(namespace))"
                throw .notFound(named)
            }
            say(1, "using \(bucket)/\(objectName), already in Object Storage")
        }

        // 2. The workflow, and a job of it that SUCCEEDED.
        let workflowID: String
        if let given = givenWorkflow { workflowID = given }
        else if let known = record.string("workflow", "id"), try activeOrGone(client, .workflow, known) { workflowID = known }
        else {
            let creator = once("workflow", record.string("workflow", "id") ?? "")
            let wf = try creator.createWorkflow(compartmentID: compartment, displayName: "mediactl-publish", definition: LabWorkflow.definition)
            workflowID = wf.id
            try save("workflow", ["id": .string(wf.id)])
            ctx.io.progress("Created media workflow \(wf.id)")
        }
        var job: Resource?
        if let known = record.string("job", "id"), record.string("job", "workflowId") == workflowID {
            job = try reusableJob(ctx, client, id: known, timeout: timeout, label: "transcode job")
        }
        if job == nil {
            let parameters = LabWorkflow.jobParameters(sourceBucket: bucket, destinationBucket: destination, namespace: namespace,
                                                       compartmentID: compartment, sourceVideo: objectName, outputPrefix: prefix)
            let creator = once("job", workflowID, record.string("job", "id") ?? "")
            let created = try creator.createJob(workflowID: workflowID, compartmentID: compartment, displayName: "publish-\(prefix)", parameters: parameters)
            try save("job", ["id": .string(created.id), "workflowId": .string(workflowID)])
            say(2, "transcoding: job \(created.id)")
            job = try ctx.waitForJob(client, id: created.id, timeout: timeout, label: "transcode job")
        } else {
            say(2, "transcode: job \(job!.id) already SUCCEEDED")
        }
        for skipped in skippedTasks(job!) { ctx.io.progress("    task \(skipped.key) was skipped: \(skipped.details)") }

        // 3. The master playlist the job wrote, registered as an asset.
        let playlist = masterPlaylist(of: job!, namespace: namespace, bucket: destination, objectName: objectName, prefix: prefix)
        let assetID: String
        if let known = record.string("asset", "id"), record.string("asset", "jobId") == job!.id,
           try activeOrGone(client, .asset, known) {
            assetID = known
            say(3, "asset: \(known) already registered")
        } else {
            let creator = once("asset", job!.id, record.string("asset", "id") ?? "")
            let asset = try creator.createPlaylistAsset(compartmentID: compartment, displayName: "\(prefix)-master", namespace: playlist.namespace,
                                                        bucket: playlist.bucket, object: playlist.object)
            assetID = asset.id
            try save("asset", ["id": .string(asset.id), "jobId": .string(job!.id), "object": .string(playlist.object)])
            say(3, "registered \(playlist.bucket)/\(playlist.object) as asset \(asset.id)")
        }

        // 4. The channel and its packaging config.
        let channelID: String
        let packagingID: String
        if let givenChannel {
            channelID = givenChannel
            if let given = givenPackaging { packagingID = given }
            else {
                let configs = try client.listAll(.packagingConfig, filters: [("distributionChannelId", givenChannel), ("lifecycleState", "ACTIVE")])
                guard let first = configs.first(where: isHLS) ?? configs.first else {
                    throw .usage("--channel-id \(givenChannel) has no active packaging config; pass --packaging-config-id or create one")
                }
                packagingID = first.id
            }
            say(4, "channel: \(channelID), packaging config \(packagingID)")
        } else if let known = record.string("channel", "id"), let pkg = record.string("channel", "packagingConfigId"),
                  try activeOrGone(client, .channel, known), try activeOrGone(client, .packagingConfig, pkg) {
            channelID = known
            packagingID = pkg
            say(4, "channel: \(known) already built")
        } else {
            var created: [(String, String)] = []
            let previous = record.string("channel", "id") ?? ""
            let (c1, c2, c3) = (once("channel", previous), once("cdn-config", previous), once("packaging-config", previous))
            let channel = try ctx.creating(&created) { () throws(MediaError) in try c1.createChannel(compartmentID: compartment, displayName: "publish-\(prefix)") }
            created.append(("channel", channel.id))
            let cdn = try ctx.creating(&created) { () throws(MediaError) in try c2.createEdgeCdnConfig(channelID: channel.id, displayName: "publish-\(prefix)") }
            created.append(("CDN config", cdn.id))
            let packaging = try ctx.creating(&created) { () throws(MediaError) in
                try c3.createPackagingConfig(channelID: channel.id, displayName: "publish-\(prefix)", format: "HLS",
                                                 segmentSeconds: segmentSeconds, encryption: .none)
            }
            channelID = channel.id
            packagingID = packaging.id
            try save("channel", ["id": .string(channel.id), "cdnConfigId": .string(cdn.id), "packagingConfigId": .string(packaging.id)])
            say(4, "built channel \(channel.id) (CDN config \(cdn.id), packaging config \(packaging.id))")
        }

        // 5. Ingest, and wait for it.
        var ingestJob: Resource?
        if let known = record.string("ingest", "jobId"), record.string("ingest", "assetId") == assetID,
           record.string("ingest", "channelId") == channelID {
            ingestJob = try reusableJob(ctx, client, id: known, timeout: timeout, label: "ingest job")
            if ingestJob != nil { say(5, "ingest: job \(known) already SUCCEEDED") }
        }
        if ingestJob == nil {
            let creator = once("ingest", assetID, channelID, record.string("ingest", "jobId") ?? "")
            let jobID = try creator.ingest(channelID: channelID, assetID: assetID, compartmentID: compartment)
            try save("ingest", ["jobId": .string(jobID), "assetId": .string(assetID), "channelId": .string(channelID)])
            say(5, "ingesting into \(channelID): job \(jobID)")
            ingestJob = try ctx.waitForJob(client, id: jobID, timeout: timeout, label: "ingest job")
        }

        // 6. A session token and the URL a player opens.
        let channel = try client.get(.channel, id: channelID)
        guard let domain = channel.domainName, !domain.isEmpty else {
            throw .operationFailed("channel \(channelID) has no domainName yet; run publish again in a minute")
        }
        let stream = try ctx.mediaStream(domainName: domain)
        let token = try stream.generateSessionToken(packagingConfigID: packagingID, assetIDs: [assetID], expires: expires)
        let url = stream.playbackURL(assetID: assetID, packagingConfigID: packagingID, token: token)
        say(6, "playback URL ready")

        ctx.emit(json: .object([
            ("playbackUrl", .string(url)),
            ("source", ["namespace": .string(namespace), "bucket": .string(bucket), "object": .string(objectName)]),
            ("workflowId", .string(workflowID)), ("jobId", .string(job!.id)),
            ("playlist", ["namespace": .string(playlist.namespace), "bucket": .string(playlist.bucket), "object": .string(playlist.object)]),
            ("mediaAssetId", .string(assetID)), ("channelId", .string(channelID)), ("packagingConfigId", .string(packagingID)),
            ("ingestJobId", .string(ingestJob!.id)),
        ]), ids: [assetID]) { ctx.io.out(url) }
    }

    // MARK: - Steps

    enum UploadOutcome {
        case skipped(String)
        case done(JSONValue)
    }

    /// Uploads unless the object already holds this file: same size and MD5 as recorded by the last upload, or
    /// (with no record) the same size and content-md5 as the file.
    static func uploadIfNeeded(_ ctx: CommandContext, objects: ObjectStorageClient, makeClient: @escaping ObjectUploader.ClientFactory,
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
               md5 == (try ObjectUploader.md5(FileRegion(path: file, length: local.size))).base64EncodedString() {
                return .skipped("\(bucket)/\(object) already holds this file (same size and MD5)")
            }
        }
        let (result, _) = try ObjectCommands.upload(ctx.invocation, makeClient: makeClient, endpoint: objects.endpoint.description, file: file, size: local.size,
                                               namespace: namespace, bucket: bucket, name: object, options: options)
        return .done(["size": .string(String(local.size)), "mtime": .string(local.mtime), "etag": .string(result.etag)])
    }

    /// True when the resource exists and is usable; false when it is gone (deleted, or DELETED/FAILED), so
    /// the step runs again. Other errors (auth, network) stop publish.
    static func activeOrGone(_ client: MediaServicesClient, _ kind: ResourceKind, _ id: String) throws(MediaError) -> Bool {
        do {
            let r = try client.get(kind, id: id)
            return !["DELETED", "DELETING", "FAILED"].contains(r.lifecycleState ?? "")
        } catch where error.isNotFound { return false }
        catch { throw error }
    }

    /// A recorded job: SUCCEEDED is reused, a running one is waited for, one that failed or vanished is nil (start a new one).
    static func reusableJob(_ ctx: CommandContext, _ client: MediaServicesClient, id: String, timeout: Double, label: String) throws(MediaError) -> Resource? {
        let job: Resource
        do { job = try client.get(.job, id: id) } catch where error.isNotFound { return nil } catch { throw error }
        switch job.lifecycleState ?? "" {
        case "SUCCEEDED": return job
        case "FAILED", "CANCELED", "REJECTED", "CANCELING":
            ctx.io.progress("the recorded \(label) \(id) ended \(job.lifecycleState!); starting a new one")
            return nil
        default:
            ctx.io.progress("resuming: waiting for the \(label) \(id) started by an earlier run")
            return try ctx.waitForJob(client, id: id, timeout: timeout, label: label)
        }
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

    // MARK: - Wire fields
    // TEMPORARY: the only places publish names fields of the service's JSON; the integrator switches them to
    // MediaKit's typed Resource views (job tasks, job outputs, packaging format).

    static func isHLS(_ packagingConfig: Resource) -> Bool { packagingConfig.json["streamPackagingFormat"]?.stringValue == "HLS" }

    struct SkippedTask { let key: String; let details: String }

    static func skippedTasks(_ job: Resource) -> [SkippedTask] {
        (job.json["taskLifecycleState"]?.arrayValue ?? []).compactMap { task in
            guard task["lifecycleState"]?.stringValue == "SKIPPED", let key = task["key"]?.stringValue else { return nil }
            return SkippedTask(key: key, details: task["lifecycleDetails"]?.stringValue ?? "skipped")
        }
    }

    struct PlaylistLocation: Equatable { let namespace: String; let bucket: String; let object: String }

    /// The job's PLAYLIST output (the master playlist); without one, where the lab's workflow writes it.
    static func masterPlaylist(of job: Resource, namespace: String, bucket: String, objectName: String, prefix: String) -> PlaylistLocation {
        let outputs = job.json["outputs"]?.arrayValue ?? []
        let playlists = outputs.filter { $0["assetType"]?.stringValue == "PLAYLIST" }
        let master = playlists.first { $0["objectName"]?.stringValue?.hasSuffix("-master.m3u8") == true } ?? playlists.first
        if let master, let object = master["objectName"]?.stringValue {
            return PlaylistLocation(namespace: master["namespaceName"]?.stringValue ?? namespace,
                                    bucket: master["bucketName"]?.stringValue ?? bucket, object: object)
        }
        return PlaylistLocation(namespace: namespace, bucket: bucket, object: "sdk_test/\(objectName)/\(prefix)-master.m3u8")
    }
}

extension MediaError {
    /// A 404: the resource or object is not there (as opposed to a failure to find out).
    var isNotFound: Bool { if case .notFound = self { return true }; return false }
}
