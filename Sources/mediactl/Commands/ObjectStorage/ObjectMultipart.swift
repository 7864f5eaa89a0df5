// `mediactl object multipart list|abort`: the uploads a bucket holds open (begun, neither committed nor aborted),
// whose parts are stored and billed until one is aborted (ListMultipartUploads, AbortMultipartUpload).
import MediaKit

enum ObjectMultipart {
    static let group = CommandSpec(
        name: "multipart", summary: "Pending multipart uploads: list them, abort one",
        subcommands: [list, abort])

    static let list = CommandSpec.verb(
        "list", summary: "List a bucket's pending multipart uploads",
        examples: ["mediactl object multipart list --bucket media-in --all --output table"],
        flags: StorageFlags.inBucket + StorageFlags.paging,
        parse: { inv throws(MediaError) in (target: try StorageFlags.Target.parse(inv), paging: try StorageFlags.Paging.parse(inv)) },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            let (uploads, next) = try o.paging.fetch { (page) throws(MediaError) in
                try client.listMultipartUploads(namespace: ns, bucket: o.target.bucket, limit: o.paging.limit, page: page)
            }
            StorageFlags.emit(ctx, uploads, next: next, json: \.json, id: \.uploadID, columns: ["OBJECT", "UPLOAD ID", "CREATED", "TIER"],
                              row: { [$0.object, $0.uploadID, $0.timeCreated ?? "-", $0.storageTier ?? "-"] },
                              empty: "no pending multipart uploads in \(o.target.bucket)",
                              line: { "\($0.uploadID)  \($0.timeCreated ?? "-")  \($0.object)" })
        })

    struct AbortOptions {
        var target: StorageFlags.Target
        var object: String
        var uploadID: String
        var yes: Bool
    }

    static let object = Flag.text("object", meta: "NAME", help: "the object the upload was writing").notFromDefaultsFile().prompt("Object name")
    static let uploadID = Flag.text("upload-id", meta: "ID", help: "the upload (from `object multipart list`)").notFromDefaultsFile()
        .prompt("Upload ID")

    static let abort = CommandSpec.verb(
        "abort", summary: "Abort a pending multipart upload, discarding its parts",
        examples: ["mediactl object multipart abort --bucket media-in --object big.mov --upload-id 0b1c… --yes"],
        flags: StorageFlags.inBucket + [object, uploadID, CommonFlags.yes],
        parse: { inv throws(MediaError) in
            let name = try inv.required(object)
            if let problem = ObjectStorageClient.objectNameProblem(name) { throw .usage("--object '\(name.prefix(80))': \(problem)") }
            let id = try inv.required(uploadID)
            guard id.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else { throw .usage("--upload-id: expected printable ASCII without spaces") }
            return AbortOptions(target: try StorageFlags.Target.parse(inv), object: name, uploadID: id, yes: try inv.value(CommonFlags.yes))
        },
        run: { o, ctx throws(MediaError) in
            try ctx.io.confirm("abort the upload of \(o.object) to bucket \(o.target.bucket), discarding its parts", yes: o.yes)
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            try client.abortMultipartUpload(namespace: ns, bucket: o.target.bucket, object: o.object, uploadID: o.uploadID)
            let json: JSONValue = .object([("namespace", .string(ns)), ("bucket", .string(o.target.bucket)), ("object", .string(o.object)),
                                           ("uploadId", .string(o.uploadID)), ("aborted", true)])
            ctx.emit(json: json, ids: [o.uploadID]) { ctx.io.progress("aborted the upload \(o.uploadID) of \(ns)/\(o.target.bucket)/\(o.object)") }
        })
}
