// `mediactl ingest`: register an HLS master playlist as an asset, ingest it into a channel and wait (the lab's `ingest`).
import MediaKit

enum Ingest {
    struct Options {
        var channelID: String
        var source: Source
        var compartmentID: String
        var wait: Bool
        var timeout: Double
        var retryToken: String
    }

    /// What is ingested: a master playlist registered as a new PLAYLIST asset first, or an asset that exists.
    enum Source {
        case playlist(bucket: String, object: String, namespace: String, name: String)
        case asset(String)
    }

    static let bucket = Flag.text("bucket", meta: "BUCKET", help: "bucket holding the playlist").completingIDs("bucket")
        .env("MEDIACTL_PLAYLIST_BUCKET").prompt("Provide Bucket Name where the playlist is located")
    static let object = Flag.text("object", meta: "OBJECT", help: "master playlist object name").notFromDefaultsFile().prompt("Enter Playlist Name")
    static let name = Flag.text("name", meta: "NAME", help: "asset display name").defaulting(to: "test_sdk")
    static let noWait = Switch("no-wait", help: "start the ingest and return")
    static let timeout = CommonFlags.timeout(default: 1200)
    static let assetID = Flag.ocid("asset-id", types: ResourceKind.asset.ocidTypes,
                                   help: "ingest this existing asset instead of registering --bucket/--object as a new one").notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "ingest", summary: "Register an HLS master playlist as an asset, ingest it into a channel and wait (the lab's `ingest`)",
        description: "Polls the ingest job with backoff (about 1 s at first, up to 10 s); stops on SUCCEEDED (exit 0),\nFAILED, CANCELED or REJECTED (exit 9, with the job's reason) or at --timeout (exit 8).\n"
            + "Without --bucket and --object (by flag, environment or defaults file), the master playlist of the last job "
            + "mediactl saw succeed (`job run --wait`, `job wait`, `job get`) is the default: on a terminal the prompts offer it "
            + "as [default] (Enter takes it); without one it is used, and stderr says so.\n"
            + "Ctrl-C during the wait leaves the ingest job running (exit 130, naming the job and `mediactl job get`).",
        examples: ["mediactl ingest --channel-id $CH --namespace ns --bucket out --object sdk_test/clip.mp4/run1-master.m3u8",
                   "mediactl ingest --channel-id $CH --asset-id $ASSET --no-wait"],
        flags: [CommonFlags.channel, bucket, object, CommonFlags.namespace, CommonFlags.compartment, name, assetID, noWait, timeout,
                CommonFlags.retryToken],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        // The lab's order of questions.
        let channel = try inv.required(CommonFlags.channel)
        let source: Source
        if let existing = try inv.value(assetID), !inv.auditing {
            let playlistFlags: [any FlagDeclaration] = [bucket, object, CommonFlags.namespace, name]
            if let first = playlistFlags.first(where: { inv.isGiven($0) }) {
                throw .usage("--\(first.spec.name) cannot be combined with --asset-id (the asset already names its object)")
            }
            source = .asset(existing)
        } else {
            // The lab's order: bucket, object, namespace; each offers the last job's master playlist when there is one.
            let last = try lastPlaylist(inv)
            let chosenBucket = try inv.required(bucket, suggested: last?.bucket)
            let chosenObject = try inv.required(object, suggested: last?.object)
            let namespace = try inv.required(CommonFlags.namespace, suggested: last?.namespace)
            if let last, !inv.io.canPrompt, chosenBucket == last.bucket, chosenObject == last.object {
                inv.io.progress("using the last job's master playlist \(namespace)/\(chosenBucket)/\(chosenObject)")
            }
            source = .playlist(bucket: chosenBucket, object: chosenObject, namespace: namespace, name: try inv.value(name))
        }
        return Options(channelID: channel, source: source, compartmentID: try inv.required(CommonFlags.compartment),
                       wait: !(try inv.value(noWait)), timeout: try inv.value(timeout), retryToken: try inv.retryToken())
    }

    /// The master playlist of the last job seen to succeed (`NAMESPACE/BUCKET/OBJECT` in the recent ids): the default when
    /// neither --bucket nor --object has a value, and --namespace, if it has one, is the playlist's.
    static func lastPlaylist(_ inv: Invocation) throws(MediaError) -> ObjectLocation? {
        guard !inv.auditing, try inv.value(bucket) == nil, try inv.value(object) == nil else { return nil }
        let recent = RecentIDs(environment: inv.environment, home: inv.home)
        guard let last = recent.newest(of: [CommandContext.masterPlaylistKind]).flatMap(ObjectLocation.init(path:)) else { return nil }
        if let given = try inv.value(CommonFlags.namespace), given != last.namespace {
            inv.io.progress("not offering the last job's master playlist \(last.path): it is in namespace \(last.namespace), not \(given)")
            return nil
        }
        return last
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let token = o.retryToken
        var created: [(String, String)] = []
        var asset: Resource?
        let assetID: String
        switch o.source {
        case let .asset(id): assetID = id
        case let .playlist(bucket, object, namespace, name):
            let new = try ctx.creating(&created, retryToken: token) { () throws(MediaError) in
                try client.withRetryToken(token).createPlaylistAsset(compartmentID: o.compartmentID, displayName: name, namespace: namespace,
                                                                     bucket: bucket, object: object)
            }
            created.append(("asset", new.id))
            ctx.io.progress("Created media asset \(new.id)")
            asset = new
            assetID = new.id
        }
        let jobID = try ctx.creating(&created, retryToken: token) { () throws(MediaError) in
            try client.withRetryToken(token + "-ingest").ingest(channelID: o.channelID, assetID: assetID, compartmentID: o.compartmentID)
        }
        ctx.io.progress("Ingesting into channel \(o.channelID): job \(jobID)")
        var job: Resource?
        if o.wait {
            job = try ctx.waitForJob(client, id: jobID, timeout: o.timeout, label: "ingest job")
            ctx.io.progress("Ingest completed.")
        }
        // A new asset is shown whole; an existing one by its id.
        var doc: JSONValue = asset.map { ["mediaAsset": $0.json] } ?? ["mediaAssetId": .string(assetID)]
        doc.set("ingestJobId", .string(jobID))
        if let job { doc.set("ingestJob", job.json) }
        ctx.emit(json: doc, ids: [assetID]) {
            ctx.io.out("media asset: \(assetID)")
            ctx.io.out("ingest job:  \(jobID) \(job?.lifecycleState ?? "started")")
        }
    }
}
