// `mediactl object put FILE`: upload a file (one request, or parallel parts that a rerun resumes).
import MediaKit

enum ObjectPut {
    struct Options {
        var file: String
        var size: Int64
        var location: ObjectCommands.Location
        var name: String
        var upload: UploadOptions
    }

    static let file = Positional<String>(spec: PositionalSpec(name: "FILE", help: "file to upload", kind: .file), decode: { $0 })
    static let name = Flag.text("name", meta: "OBJECT", help: "object name (default: the file's name)").notFromDefaultsFile()
    static let noMultipart = Switch("no-multipart", help: "always one PutObject request, whatever the size")
    static let contentType = Flag.text("content-type", meta: "TYPE", help: "Content-Type stored with the object (default application/octet-stream)")
        .notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "put", summary: "Upload a file (one request, or parallel parts for large files; an interrupted upload resumes)",
        description: "Files larger than the part size go up as a multipart upload: --parallel parts at a time, each streamed from disk\n"
            + "with its MD5 checked by the service. The upload is recorded under $XDG_STATE_HOME/mediactl/uploads until it is committed:\n"
            + "running the same command again (same file, unchanged, its path spelled any way) sends only the parts the service does\n"
            + "not hold yet. While a multipart upload runs it holds its record: another put of the same object fails at once (exit 6)\n"
            + "naming that process; puts of different objects run side by side.",
        examples: ["mediactl object put clip.mp4 --bucket media-in",
                   "mediactl object put big.mov --bucket media-in --name in/big.mov --part-size 64 --parallel 4 --output json"],
        flags: ObjectFlags.common + [name, ObjectFlags.partSize, ObjectFlags.parallel, noMultipart, contentType],
        positionals: [file.spec],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let path = inv.expand(try inv.required(file))
        let size = inv.auditing ? 0 : try ObjectCommands.localFileSize(path)
        let location = try ObjectCommands.Location.parse(inv)
        let objectName = try inv.value(name) ?? lastPathComponent(of: path)
        if let problem = ObjectStorageClient.objectNameProblem(objectName) { throw .usage("--name '\(objectName.prefix(80))': \(problem)") }
        var upload = UploadOptions()
        upload.partSize = Int64(try inv.value(ObjectFlags.partSize)) * UploadOptions.mebibyte
        upload.multipartThreshold = upload.partSize
        upload.parallel = try inv.value(ObjectFlags.parallel)
        upload.singleRequest = try inv.value(noMultipart)
        upload.contentType = try inv.value(contentType)
        if !inv.auditing { _ = try ObjectCommands.checkedPlan(file: path, options: upload) }
        return Options(file: path, size: size, location: location, name: objectName, upload: upload)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, makeClient, ns) = try ObjectCommands.connect(ctx, o.location, parallel: o.upload.parallel)
        let (result, rate) = try ObjectCommands.upload(ctx, makeClient: makeClient, endpoint: client.endpoint.description, file: o.file,
                                                       size: o.size, namespace: ns, bucket: o.location.bucket, name: o.name, options: o.upload)
        var json: JSONValue = ["namespace": .string(ns), "bucket": .string(o.location.bucket), "name": .string(o.name)]
        if case let .object(members) = result.json { for (k, v) in members { json.set(k, v) } }
        ctx.emit(json: json, ids: [o.name]) {
            let how = result.parts > 1 ? "\(result.parts) parts\(result.resumed ? ", \(result.partsSent) sent now" : "")" : "one request"
            ctx.io.out("uploaded \(o.file) to \(ns)/\(o.location.bucket)/\(o.name): \(TransferMeter.bytes(result.size)) in \(how)\(rate), etag \(result.etag)")
        }
    }
}
