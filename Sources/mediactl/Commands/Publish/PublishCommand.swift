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

        let key = PublishRecord.Key(endpoint: connection.endpoint.description, namespace: namespace, sourceBucket: bucket,
                                    sourceObject: objectName, destinationBucket: destination, outputPrefix: prefix, compartmentID: compartment)
        let journal = PublishJournal(stateDirectory: StatePaths.directory(environment: inv.environment, home: inv.home))
        if try inv.bool("restart") { journal.remove(key) }
        var record = try inv.call { () throws(MediaError) in try journal.load(key) }
        func save(_ step: String, _ value: JSONValue) throws(MediaError) {
            record.set(step, value)
            try inv.call { () throws(MediaError) in try journal.save(record, for: key) }
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
        func say(_ n: Int, _ text: String) { inv.io.progress("[\(n)/\(total)] \(text)") }

        // 1. The source video in the bucket.
        if let video {
            let uploaded = try uploadIfNeeded(inv, objects: objects, makeClient: makeClient, file: video, namespace: namespace,
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
        else if let known = record.string("workflow", "id"), try activeOrGone(inv, client, .workflow, known) { workflowID = known }
        else {
            let creator = once("workflow", record.string("workflow", "id") ?? "")
            let wf = try inv.call { () throws(MediaError) in
                try creator.createWorkflow(compartmentID: compartment, displayName: "mediactl-publish", definition: LabWorkflow.definition)
            }
            workflowID = wf.id
            try save("workflow", ["id": .string(wf.id)])
            inv.io.progress("Created media workflow \(wf.id)")
        }
        var job: Resource?
        if let known = record.string("job", "id"), record.string("job", "workflowId") == workflowID {
            job = try reusableJob(inv, client, id: known, timeout: timeout, label: "transcode job")
        }
        if job == nil {
            let parameters = LabWorkflow.jobParameters(sourceBucket: bucket, destinationBucket: destination, namespace: namespace,
                                                       compartmentID: compartment, sourceVideo: objectName, outputPrefix: prefix)
            let creator = once("job", workflowID, record.string("job", "id") ?? "")
            let created = try inv.call { () throws(MediaError) in
                try creator.createJob(workflowID: workflowID, compartmentID: compartment, displayName: "publish-\(prefix)", parameters: parameters)
            }
            try save("job", ["id": .string(created.id), "workflowId": .string(workflowID)])
            say(2, "transcoding: job \(created.id)")
            job = try inv.waitForJob(client, id: created.id, timeout: timeout, label: "transcode job")
        } else {
            say(2, "transcode: job \(job!.id) already SUCCEEDED")
        }
        for skipped in skippedTasks(job!) { inv.io.progress("    task \(skipped.key) was skipped: \(skipped.details)") }

        // 3. The master playlist the job wrote, registered as an asset.
        let playlist = masterPlaylist(of: job!, namespace: namespace, bucket: destination, objectName: objectName, prefix: prefix)
        let assetID: String
        if let known = record.string("asset", "id"), record.string("asset", "jobId") == job!.id,
           try activeOrGone(inv, client, .asset, known) {
            assetID = known
            say(3, "asset: \(known) already registered")
        } else {
            let creator = once("asset", job!.id, record.string("asset", "id") ?? "")
            let asset = try inv.call { () throws(MediaError) in
                try creator.createPlaylistAsset(compartmentID: compartment, displayName: "\(prefix)-master", namespace: playlist.namespace,
                                               bucket: playlist.bucket, object: playlist.object)
            }
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
                let configs = try inv.call { () throws(MediaError) in
                    try client.listAll(.packagingConfig, filters: [("distributionChannelId", givenChannel), ("lifecycleState", "ACTIVE")])
                }
                guard let first = configs.first(where: { $0.json["streamPackagingFormat"]?.stringValue == "HLS" }) ?? configs.first else {
                    throw .usage("--channel-id \(givenChannel) has no active packaging config; pass --packaging-config-id or create one")
                }
                packagingID = first.id
            }
            say(4, "channel: \(channelID), packaging config \(packagingID)")
        } else if let known = record.string("channel", "id"), let pkg = record.string("channel", "packagingConfigId"),
                  try activeOrGone(inv, client, .channel, known), try activeOrGone(inv, client, .packagingConfig, pkg) {
            channelID = known
            packagingID = pkg
            say(4, "channel: \(known) already built")
        } else {
            var created: [(String, String)] = []
            let previous = record.string("channel", "id") ?? ""
            let (c1, c2, c3) = (once("channel", previous), once("cdn-config", previous), once("packaging-config", previous))
            let channel = try inv.creating(&created) { () throws(MediaError) in try c1.createChannel(compartmentID: compartment, displayName: "publish-\(prefix)") }
            created.append(("channel", channel.id))
            let cdn = try inv.creating(&created) { () throws(MediaError) in try c2.createEdgeCdnConfig(channelID: channel.id, displayName: "publish-\(prefix)") }
            created.append(("CDN config", cdn.id))
            let packaging = try inv.creating(&created) { () throws(MediaError) in
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
            ingestJob = try reusableJob(inv, client, id: known, timeout: timeout, label: "ingest job")
            if ingestJob != nil { say(5, "ingest: job \(known) already SUCCEEDED") }
        }
        if ingestJob == nil {
            let creator = once("ingest", assetID, channelID, record.string("ingest", "jobId") ?? "")
            let jobID = try inv.call { () throws(MediaError) in try creator.ingest(channelID: channelID, assetID: assetID, compartmentID: compartment) }
            try save("ingest", ["jobId": .string(jobID), "assetId": .string(assetID), "channelId": .string(channelID)])
            say(5, "ingesting into \(channelID): job \(jobID)")
            ingestJob = try inv.waitForJob(client, id: jobID, timeout: timeout, label: "ingest job")
        }

        // 6. A session token and the URL a player opens.
        let channel = try inv.call { () throws(MediaError) in try client.get(.channel, id: channelID) }
        guard let domain = channel.domainName, !domain.isEmpty else {
            throw .operationFailed("channel \(channelID) has no domainName yet; run publish again in a minute")
        }
        let stream = try inv.mediaStream(domainName: domain, connection: connection)
        let token = try inv.call { () throws(MediaError) in
            try stream.generateSessionToken(packagingConfigID: packagingID, assetIDs: [assetID], expires: expires)
        }
        let url = stream.playbackURL(assetID: assetID, packagingConfigID: packagingID, token: token)
        say(6, "playback URL ready")

        switch inv.outputFormat {
        case "json":
            inv.io.out(JSONValue.object([
                ("playbackUrl", .string(url)),
                ("source", ["namespace": .string(namespace), "bucket": .string(bucket), "object": .string(objectName)]),
                ("workflowId", .string(workflowID)), ("jobId", .string(job!.id)),
                ("playlist", ["namespace": .string(playlist.namespace), "bucket": .string(playlist.bucket), "object": .string(playlist.object)]),
                ("mediaAssetId", .string(assetID)), ("channelId", .string(channelID)), ("packagingConfigId", .string(packagingID)),
                ("ingestJobId", .string(ingestJob!.id)),
            ]).prettyText)
        case "id": inv.io.out(assetID)
        default: inv.io.out(url)
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

    /// True when the resource exists and is usable; false when it is gone (deleted, or DELETED/FAILED), so
    /// the step runs again. Other errors (auth, network) stop publish.
    static func activeOrGone(_ inv: Invocation, _ client: MediaServicesClient, _ kind: ResourceKind, _ id: String) throws(MediaError) -> Bool {
        do {
            let r = try client.get(kind, id: id)
            return !["DELETED", "DELETING", "FAILED"].contains(r.lifecycleState ?? "")
        } catch where error.isNotFound { return false }
        catch { throw error }
    }

    /// A recorded job: SUCCEEDED is reused, a running one is waited for, one that failed or vanished is nil (start a new one).
    static func reusableJob(_ inv: Invocation, _ client: MediaServicesClient, id: String, timeout: Double, label: String) throws(MediaError) -> Resource? {
        let job: Resource
        do { job = try client.get(.job, id: id) } catch where error.isNotFound { return nil } catch { throw error }
        switch job.lifecycleState ?? "" {
        case "SUCCEEDED": return job
        case "FAILED", "CANCELED", "REJECTED", "CANCELING":
            inv.io.progress("the recorded \(label) \(id) ended \(job.lifecycleState!); starting a new one")
            return nil
        default:
            inv.io.progress("resuming: waiting for the \(label) \(id) started by an earlier run")
            return try inv.waitForJob(client, id: id, timeout: timeout, label: label)
        }
    }

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
