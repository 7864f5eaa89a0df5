// `mediactl object copy SOURCE`: copy an object to another bucket, namespace or region (CopyObject). The service
// copies in the background: the answer is a work request id, which `--wait` polls (GetWorkRequest) to its end.
import MediaKit

enum ObjectCopy {
    struct Options {
        var target: StorageFlags.Target
        var source: String
        var destinationBucket: String
        var destinationName: String?
        var destinationNamespace: String?
        var destinationRegion: String?
        var ifMatch: String?
        var storageTier: String?
        var wait: Bool
        var timeout: Double
    }

    enum Tier: String, CaseIterable, Sendable { case standard = "Standard", infrequentAccess = "InfrequentAccess", archive = "Archive" }

    static let source = Positional<String>.text("SOURCE", help: "the object to copy")
    static let destinationBucket = Flag.text("destination-bucket", meta: "BUCKET", help: "the bucket to copy into").completingIDs("bucket").notFromDefaultsFile()
        .prompt("Destination bucket")
    static let destinationName = Flag.text("destination-name", meta: "OBJECT", help: "the copy's name (default: SOURCE)").notFromDefaultsFile()
    static let destinationNamespace = Flag.text("destination-namespace", meta: "NAME", help: "the copy's namespace (default: the source's)")
        .notFromDefaultsFile()
    static let destinationRegion = Flag.text("destination-region", meta: "REGION", help: "the copy's region (default: the profile's region)")
        .notFromDefaultsFile()
    static let ifMatch = ResourceFlags.ifMatch.help("copy only if the source's etag is still this")
    static let storageTier = Flag.choice("destination-storage-tier", Tier.self, meta: "TIER", help: "the copy's tier (default: the bucket's)")
    static let wait = Switch("wait", help: "wait until the copy's work request is COMPLETED (exit 9 if it FAILED)")
    static let timeout = CommonFlags.timeout(default: 3600)

    static let command = CommandSpec.verb(
        "copy", summary: "Copy an object to another bucket, namespace or region (asynchronous: prints the work request id)",
        description: "The service copies in the background and answers with a work request id; --wait polls it until it is\n"
            + "COMPLETED (exit 0), FAILED or CANCELED (exit 9), or --timeout passes (exit 8).",
        examples: ["mediactl object copy out/clip.m3u8 --bucket media-out --destination-bucket public --wait",
                   "mediactl object copy clip.mp4 --bucket media-in --destination-bucket dr --destination-region us-phoenix-1 --output id"],
        flags: StorageFlags.inBucket + [destinationBucket, destinationName, destinationNamespace, destinationRegion, ifMatch, storageTier,
                                        wait, timeout],
        positionals: [source.spec], parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let name = try inv.required(source)
        if let problem = ObjectStorageClient.objectNameProblem(name) { throw .usage("SOURCE '\(name.prefix(80))': \(problem)") }
        let target = try StorageFlags.Target.parse(inv)
        let bucket = try inv.required(destinationBucket)
        if let problem = ObjectStorageClient.bucketNameProblem(bucket) { throw .usage("--destination-bucket: \(problem)") }
        let newName = try inv.value(destinationName)
        if let newName, let problem = ObjectStorageClient.objectNameProblem(newName) { throw .usage("--destination-name: \(problem)") }
        return Options(target: target, source: name, destinationBucket: bucket, destinationName: newName,
                       destinationNamespace: try inv.value(destinationNamespace), destinationRegion: try inv.value(destinationRegion),
                       ifMatch: try inv.value(ifMatch), storageTier: try inv.value(storageTier)?.rawValue,
                       wait: try inv.value(wait), timeout: try inv.value(timeout))
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        var region = o.destinationRegion
        if region == nil { region = try ctx.connections().ociConnection().region?.identifier }
        guard let region else { throw .usage("--destination-region: needed (the profile names no region)") }
        let (client, ns) = try StorageFlags.connect(ctx, o.target)
        var copy = MediaKit.ObjectCopy(sourceObject: o.source, destinationRegion: region, destinationNamespace: o.destinationNamespace ?? ns,
                                       destinationBucket: o.destinationBucket, destinationObject: o.destinationName ?? o.source)
        copy.sourceIfMatchETag = o.ifMatch
        copy.destinationStorageTier = o.storageTier
        guard let id = try client.copyObject(namespace: ns, bucket: o.target.bucket, copy) else {
            throw .network("CopyObject: the answer has no opc-work-request-id")
        }
        let destination = "\(copy.destinationNamespace)/\(copy.destinationBucket)/\(copy.destinationObject)"
        guard o.wait else {
            ctx.emit(json: .object([("workRequestId", .string(id)), ("source", .string("\(ns)/\(o.target.bucket)/\(o.source)")), ("destination", .string(destination))]), ids: [id]) {
                ctx.io.out(id)
                ctx.io.progress("copy of \(o.source) to \(destination) accepted; `--wait` waits for it")
            }
            return
        }
        let done: ObjectStorageWorkRequest
        do throws(MediaError) { done = try waitForCopy(ctx, client, id: id, timeout: o.timeout) } catch {
            // Ctrl-C: the copy goes on; the destination object shows when it has landed (there is no work-request verb).
            guard case let .cancelled(message) = error else { throw error }
            let ours = try? ctx.connections().ociConnection().region?.identifier
            let regionFlag = region == ours ? "" : " --region \(region)"
            throw .cancelled("\(message); `mediactl object head \(copy.destinationObject) --bucket \(copy.destinationBucket) "
                             + "--namespace \(copy.destinationNamespace)\(regionFlag)` shows the copy once it has landed")
        }
        ctx.emit(json: done.json, ids: [id]) { ctx.io.out("copied \(ns)/\(o.target.bucket)/\(o.source) to \(destination) (work request \(id))") }
    }

    /// Polls with a spinner on a terminal, a line per status change otherwise.
    static func waitForCopy(_ ctx: CommandContext, _ client: ObjectStorageClient, id: String, timeout: Double) throws(MediaError) -> ObjectStorageWorkRequest {
        let spinner = Spinner(io: ctx.io)
        spinner.start("copy \(id): waiting")
        defer { spinner.stop() }
        var last = ""
        let io = ctx.io
        return try client.waitForWorkRequest(id: id, timeout: timeout, clock: ctx.clock) { request in
            let status = request.status ?? "?"
            let percent = request.percentComplete.map { " \(Int($0))%" } ?? ""
            if spinner.isActive { spinner.update("copy \(id): \(status)\(percent)") }
            else if status != last { io.progress("copy \(id): \(status)") }
            last = status
        }
    }
}
