// `mediactl ingest`: register an HLS master playlist as an asset, ingest it into a channel and wait (the lab's `ingest`).
import MediaKit

enum Ingest {
    struct Options {
        var channelID: String
        var bucket: String
        var object: String
        var namespace: String
        var compartmentID: String
        var name: String
        var wait: Bool
        var timeout: Double
        var retryToken: String
    }

    static let bucket = Flag.text("bucket", meta: "BUCKET", help: "bucket holding the playlist")
        .env("MEDIACTL_PLAYLIST_BUCKET").prompt("Provide Bucket Name where the playlist is located")
    static let object = Flag.text("object", meta: "OBJECT", help: "master playlist object name").notFromDefaultsFile().prompt("Enter Playlist Name")
    static let name = Flag.text("name", meta: "NAME", help: "asset display name").defaulting(to: "test_sdk")
    static let noWait = Switch("no-wait", help: "start the ingest and return")
    static let timeout = CommonFlags.timeout(default: 1200)

    static let command = CommandSpec.verb(
        "ingest", summary: "Register an HLS master playlist as an asset, ingest it into a channel and wait (the lab's `ingest`)",
        description: "Polls the ingest job with backoff (about 1 s at first, up to 10 s); stops on SUCCEEDED (exit 0),\nFAILED, CANCELED or REJECTED (exit 9, with the job's reason) or at --timeout (exit 8).",
        examples: ["mediactl ingest --channel-id $CH --namespace ns --bucket out --object sdk_test/clip.mp4/run1-master.m3u8"],
        flags: [CommonFlags.channel, bucket, object, CommonFlags.namespace, CommonFlags.compartment, name, noWait, timeout, CommonFlags.retryToken],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        // The lab's order of questions.
        Options(channelID: try inv.required(CommonFlags.channel), bucket: try inv.required(bucket), object: try inv.required(object),
                namespace: try inv.required(CommonFlags.namespace), compartmentID: try inv.required(CommonFlags.compartment),
                name: try inv.value(name), wait: !(try inv.value(noWait)), timeout: try inv.value(timeout), retryToken: try inv.retryToken())
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let token = o.retryToken
        var created: [(String, String)] = []
        let asset = try ctx.creating(&created, retryToken: token) { () throws(MediaError) in
            try client.withRetryToken(token).createPlaylistAsset(compartmentID: o.compartmentID, displayName: o.name, namespace: o.namespace,
                                                                 bucket: o.bucket, object: o.object)
        }
        created.append(("asset", asset.id))
        ctx.io.progress("Created media asset \(asset.id)")
        let jobID = try ctx.creating(&created, retryToken: token) { () throws(MediaError) in
            try client.withRetryToken(token + "-ingest").ingest(channelID: o.channelID, assetID: asset.id, compartmentID: o.compartmentID)
        }
        ctx.io.progress("Ingesting into channel \(o.channelID): job \(jobID)")
        var job: Resource?
        if o.wait {
            job = try ctx.waitForJob(client, id: jobID, timeout: o.timeout, label: "ingest job")
            ctx.io.progress("Ingest completed.")
        }
        var doc: JSONValue = ["mediaAsset": asset.json, "ingestJobId": .string(jobID)]
        if let job { doc.set("ingestJob", job.json) }
        ctx.emit(json: doc, ids: [asset.id]) {
            ctx.io.out("media asset: \(asset.id)")
            ctx.io.out("ingest job:  \(jobID) \(job?.lifecycleState ?? "started")")
        }
    }
}
