// `publish` as a domain flow: after the source video is in Object Storage, the workflow and a job of it that
// SUCCEEDED, the master playlist registered as an asset, a channel and packaging config, the ingest, and a
// playback URL. Each finished step is recorded (PublishRecord) so a rerun resumes after it; creates carry retry
// tokens derived from the publication and step. Progress goes to a callback: MediaKit never prints.
import FoundationEssentials

/// What publish reports as it goes, worded for people (the CLI prints them to stderr).
public enum PublishEvent: Sendable, Equatable {
    /// Step `number` of `PublishPlan.totalSteps` finished or started: `[n/6] text`.
    case step(Int, String)
    /// A line of progress (a resumed wait, a created workflow, a skipped task).
    case progress(String)
    /// A note on a failure: what was created before it.
    case note(String)
}

/// What to publish and where.
public struct PublishPlan: Sendable {
    public static let totalSteps = 6

    public enum Channel: Sendable {
        /// An existing channel; its first ACTIVE HLS packaging config (else its first ACTIVE one) unless one is named.
        case existing(id: String, packagingConfigID: String?)
        /// A channel built for this publication: an Edge CDN config and an HLS packaging config of `segmentSeconds`.
        case create(segmentSeconds: Int)
    }

    public var source: ObjectLocation
    public var destinationBucket: String
    public var compartmentID: String
    public var outputPrefix: String
    /// A workflow to run; nil runs the lab's, created once and reused.
    public var workflowID: String?
    public var channel: Channel
    /// The session token's expiry; nil takes the service's default.
    public var tokenExpires: Date?

    public init(source: ObjectLocation, destinationBucket: String, compartmentID: String, outputPrefix: String, workflowID: String?,
                channel: Channel, tokenExpires: Date?) {
        self.source = source
        self.destinationBucket = destinationBucket
        self.compartmentID = compartmentID
        self.outputPrefix = outputPrefix
        self.workflowID = workflowID
        self.channel = channel
        self.tokenExpires = tokenExpires
    }

    /// The record's key at `endpoint`.
    public func key(endpoint: String) -> PublishRecord.Key {
        PublishRecord.Key(endpoint: endpoint, namespace: source.namespace, sourceBucket: source.bucket, sourceObject: source.object,
                          destinationBucket: destinationBucket, outputPrefix: outputPrefix, compartmentID: compartmentID)
    }
}

/// What a publication produced.
public struct PublishResult: Sendable, Equatable {
    public var playbackURL: String
    public var source: ObjectLocation
    public var workflowID: String
    public var jobID: String
    public var playlist: ObjectLocation
    public var mediaAssetID: String
    public var channelID: String
    public var packagingConfigID: String
    public var ingestJobID: String

    /// The `--output json` document, keys in this order.
    public var json: JSONValue {
        .object([
            ("playbackUrl", .string(playbackURL)),
            ("source", ["namespace": .string(source.namespace), "bucket": .string(source.bucket), "object": .string(source.object)]),
            ("workflowId", .string(workflowID)), ("jobId", .string(jobID)),
            ("playlist", ["namespace": .string(playlist.namespace), "bucket": .string(playlist.bucket), "object": .string(playlist.object)]),
            ("mediaAssetId", .string(mediaAssetID)), ("channelId", .string(channelID)), ("packagingConfigId", .string(packagingConfigID)),
            ("ingestJobId", .string(ingestJobID)),
        ])
    }
}

public struct Publisher {
    public typealias JobWait = (_ client: MediaServicesClient, _ id: String, _ label: String) throws(MediaError) -> Resource
    public typealias StreamFactory = (_ domainName: String) throws(MediaError) -> MediaStreamClient

    let client: MediaServicesClient
    let journal: PublishJournal
    let key: PublishRecord.Key
    /// What earlier runs (and this one so far) finished.
    public private(set) var record: PublishRecord
    let report: (PublishEvent) -> Void

    /// Loads the record of `key` (or forgets it first, for `restart`) and gives it a run id of its own, so the retry
    /// tokens are new after a restart but the same for every rerun of this record.
    public init(client: MediaServicesClient, journal: PublishJournal, key: PublishRecord.Key, restart: Bool,
                randomID: () -> String = { Digest.randomBytes(16).hexLowercase },
                report: @escaping (PublishEvent) -> Void) throws(MediaError) {
        self.client = client
        self.journal = journal
        self.key = key
        self.report = report
        if restart { journal.remove(key) }
        record = try journal.load(key)
        if record.string("run", "id") == nil { try save("run", ["id": .string(randomID())]) }
    }

    /// Records a finished step at once (temporary file and rename).
    public mutating func save(_ step: String, _ value: JSONValue) throws(MediaError) {
        record.set(step, value)
        try journal.save(record, for: key)
    }

    /// Step 1's record of the uploaded file, if it made one.
    public var uploadStamp: UploadStamp? { UploadStamp(record["upload"]) }

    /// Records step 1's upload.
    public mutating func saveUpload(_ stamp: UploadStamp) throws(MediaError) { try save("upload", stamp.json) }

    func say(_ n: Int, _ text: String) { report(.step(n, text)) }

    /// A client whose creates carry a retry token derived from this publication, the step and `seed` (the resource a
    /// step replaces, if any): a rerun after a crash between a create and its record gets the first resource back.
    func once(_ step: String, _ seed: String...) -> MediaServicesClient {
        let text = ([record.string("run", "id") ?? "", step] + seed).joined(separator: "\u{0}")
        return client.withRetryToken("mediactl-publish-" + Digest.sha256(Data(text.utf8)).hexLowercase.prefix(40))
    }

    /// Steps 2 to 6; step 1 (the source in Object Storage) is the caller's, recorded with `save("upload", …)`.
    public mutating func run(_ plan: PublishPlan, waitForJob: JobWait, stream: StreamFactory) throws(MediaError) -> PublishResult {
        let compartment = plan.compartmentID
        let prefix = plan.outputPrefix

        // 2. The workflow, and a job of it that SUCCEEDED.
        let workflowID: String
        if let given = plan.workflowID { workflowID = given }
        else if let known = record.string("workflow", "id"), try activeOrGone(.workflow, known) { workflowID = known }
        else {
            let creator = once("workflow", record.string("workflow", "id") ?? "")
            let wf = try creator.createWorkflow(compartmentID: compartment, displayName: "mediactl-publish", definition: LabWorkflow.definition)
            workflowID = wf.id
            try save("workflow", ["id": .string(wf.id)])
            report(.progress("Created media workflow \(wf.id)"))
        }
        var reused: Resource?
        if let known = record.string("job", "id"), record.string("job", "workflowId") == workflowID {
            reused = try reusableJob(id: known, label: "transcode job", waitForJob: waitForJob)
        }
        let job: Resource
        if let reused {
            job = reused
            say(2, "transcode: job \(job.id) already SUCCEEDED")
        } else {
            let parameters = LabWorkflow.jobParameters(sourceBucket: plan.source.bucket, destinationBucket: plan.destinationBucket,
                                                       namespace: plan.source.namespace, compartmentID: compartment,
                                                       sourceVideo: plan.source.object, outputPrefix: prefix)
            let creator = once("job", workflowID, record.string("job", "id") ?? "")
            let created = try creator.createJob(workflowID: workflowID, compartmentID: compartment, displayName: "publish-\(prefix)", parameters: parameters)
            try save("job", ["id": .string(created.id), "workflowId": .string(workflowID)])
            say(2, "transcoding: job \(created.id)")
            job = try waitForJob(client, created.id, "transcode job")
        }
        for task in job.skippedTasks {
            guard let key = task.key else { continue }
            report(.progress("    task \(key) was skipped: \(task.details ?? "skipped")"))
        }

        // 3. The master playlist the job wrote, registered as an asset.
        let playlist = Self.masterPlaylist(of: job, plan: plan)
        let assetID: String
        if let known = record.string("asset", "id"), record.string("asset", "jobId") == job.id, try activeOrGone(.asset, known) {
            assetID = known
            say(3, "asset: \(known) already registered")
        } else {
            let creator = once("asset", job.id, record.string("asset", "id") ?? "")
            let asset = try creator.createPlaylistAsset(compartmentID: compartment, displayName: "\(prefix)-master", namespace: playlist.namespace,
                                                       bucket: playlist.bucket, object: playlist.object)
            assetID = asset.id
            try save("asset", ["id": .string(asset.id), "jobId": .string(job.id), "object": .string(playlist.object)])
            say(3, "registered \(playlist.bucket)/\(playlist.object) as asset \(asset.id)")
        }

        // 4. The channel and its packaging config.
        let channelID: String
        let packagingID: String
        switch plan.channel {
        case let .existing(givenChannel, givenPackaging):
            channelID = givenChannel
            if let givenPackaging { packagingID = givenPackaging }
            else {
                let configs = try client.listAll(.packagingConfig, filters: [("distributionChannelId", givenChannel), ("lifecycleState", "ACTIVE")])
                guard let first = configs.first(where: { $0.packagingFormat == "HLS" }) ?? configs.first else {
                    throw .usage("--channel-id \(givenChannel) has no active packaging config; pass --packaging-config-id or create one")
                }
                packagingID = first.id
            }
            say(4, "channel: \(channelID), packaging config \(packagingID)")
        case let .create(segmentSeconds):
            if let known = record.string("channel", "id"), let pkg = record.string("channel", "packagingConfigId"),
               try activeOrGone(.channel, known), try activeOrGone(.packagingConfig, pkg) {
                channelID = known
                packagingID = pkg
                say(4, "channel: \(known) already built")
            } else {
                let previous = record.string("channel", "id") ?? ""
                let (c1, c2, c3) = (once("channel", previous), once("cdn-config", previous), once("packaging-config", previous))
                var created: [(String, String)] = []
                let built: (channel: Resource, cdn: Resource, packaging: Resource)
                do {
                    let channel = try c1.createChannel(compartmentID: compartment, displayName: "publish-\(prefix)")
                    created.append(("channel", channel.id))
                    let cdn = try c2.createEdgeCdnConfig(channelID: channel.id, displayName: "publish-\(prefix)")
                    created.append(("CDN config", cdn.id))
                    let packaging = try c3.createPackagingConfig(channelID: channel.id, displayName: "publish-\(prefix)", format: "HLS",
                                                                 segmentSeconds: segmentSeconds, encryption: .none)
                    built = (channel, cdn, packaging)
                } catch {
                    // Says what already exists, so a failed run leaves nothing unnamed.
                    if !created.isEmpty { report(.note("created before the failure: \(created.map { "\($0.0) \($0.1)" }.joined(separator: ", "))")) }
                    throw error
                }
                channelID = built.channel.id
                packagingID = built.packaging.id
                try save("channel", ["id": .string(channelID), "cdnConfigId": .string(built.cdn.id), "packagingConfigId": .string(packagingID)])
                say(4, "built channel \(channelID) (CDN config \(built.cdn.id), packaging config \(packagingID))")
            }
        }

        // 5. Ingest, and wait for it.
        var ingestJob: Resource?
        if let known = record.string("ingest", "jobId"), record.string("ingest", "assetId") == assetID,
           record.string("ingest", "channelId") == channelID {
            ingestJob = try reusableJob(id: known, label: "ingest job", waitForJob: waitForJob)
            if ingestJob != nil { say(5, "ingest: job \(known) already SUCCEEDED") }
        }
        let ingestJobID: String
        if let ingestJob { ingestJobID = ingestJob.id }
        else {
            let creator = once("ingest", assetID, channelID, record.string("ingest", "jobId") ?? "")
            let jobID = try creator.ingest(channelID: channelID, assetID: assetID, compartmentID: compartment)
            try save("ingest", ["jobId": .string(jobID), "assetId": .string(assetID), "channelId": .string(channelID)])
            say(5, "ingesting into \(channelID): job \(jobID)")
            ingestJobID = try waitForJob(client, jobID, "ingest job").id
        }

        // 6. A session token and the URL a player opens.
        let channel = try client.get(.channel, id: channelID)
        guard let domain = channel.domainName, !domain.isEmpty else {
            throw .operationFailed("channel \(channelID) has no domainName yet; run publish again in a minute")
        }
        let streamClient = try stream(domain)
        let token = try streamClient.generateSessionToken(packagingConfigID: packagingID, assetIDs: [assetID], expires: plan.tokenExpires)
        let url = streamClient.playbackURL(assetID: assetID, packagingConfigID: packagingID, token: token)
        say(6, "playback URL ready")
        return PublishResult(playbackURL: url, source: plan.source, workflowID: workflowID, jobID: job.id, playlist: playlist,
                             mediaAssetID: assetID, channelID: channelID, packagingConfigID: packagingID, ingestJobID: ingestJobID)
    }

    // MARK: - Steps

    /// The job's PLAYLIST output (the master playlist); without one, where the lab's workflow writes it.
    public static func masterPlaylist(of job: Resource, plan: PublishPlan) -> ObjectLocation {
        if let master = job.masterPlaylist, let object = master.objectName {
            return ObjectLocation(namespace: master.namespace ?? plan.source.namespace, bucket: master.bucket ?? plan.destinationBucket, object: object)
        }
        return ObjectLocation(namespace: plan.source.namespace, bucket: plan.destinationBucket,
                              object: "sdk_test/\(plan.source.object)/\(plan.outputPrefix)-master.m3u8")
    }

    /// True when the resource exists and is usable; false when it is gone (deleted, or DELETED/FAILED), so
    /// the step runs again. Other errors (auth, network) stop publish.
    func activeOrGone(_ kind: ResourceKind, _ id: String) throws(MediaError) -> Bool {
        do {
            let r = try client.get(kind, id: id)
            return ![LifecycleState.deleted, .deleting, .failed].contains(r.state ?? .other(""))
        } catch {
            if case .notFound = error { return false }
            throw error
        }
    }

    /// A recorded job: SUCCEEDED is reused, a running one is waited for, one that failed or vanished is nil (start a new one).
    func reusableJob(id: String, label: String, waitForJob: JobWait) throws(MediaError) -> Resource? {
        let job: Resource
        do { job = try client.get(.job, id: id) } catch {
            if case .notFound = error { return nil }
            throw error
        }
        switch job.state {
        case .succeeded: return job
        case .failed, .canceled, .rejected, .canceling:
            report(.progress("the recorded \(label) \(id) ended \(job.lifecycleState ?? ""); starting a new one"))
            return nil
        default:
            report(.progress("resuming: waiting for the \(label) \(id) started by an earlier run"))
            return try waitForJob(client, id, label)
        }
    }
}
