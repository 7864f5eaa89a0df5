// `mediactl object rename SOURCE NEW`: rename an object within its bucket (RenameObject).
import MediaKit

enum ObjectRename {
    struct Options {
        var target: StorageFlags.Target
        var source: String
        var newName: String
        var ifMatch: String?
        var noOverwrite: Bool
    }

    static let source = Positional<String>.text("SOURCE", help: "the object's name now")
    static let newName = Positional<String>.text("NEW", help: "its new name")
    static let ifMatch = ResourceFlags.ifMatch.help("rename only if the object's etag is still this (else exit 6)")
    static let noOverwrite = Switch("no-overwrite", help: "refuse (exit 6) if an object named NEW exists, instead of replacing it")

    static let command = CommandSpec.verb(
        "rename", summary: "Rename an object within its bucket",
        examples: ["mediactl object rename in/clip.mp4 done/clip.mp4 --bucket media-in"],
        flags: StorageFlags.inBucket + [ifMatch, noOverwrite], positionals: [source.spec, newName.spec],
        parse: { inv throws(MediaError) in
            let o = Options(target: try StorageFlags.Target.parse(inv), source: try inv.required(source), newName: try inv.required(newName),
                            ifMatch: try inv.value(ifMatch), noOverwrite: try inv.value(noOverwrite))
            if let problem = ObjectStorageClient.objectNameProblem(o.source) { throw .usage("SOURCE '\(o.source.prefix(80))': \(problem)") }
            if let problem = ObjectStorageClient.objectNameProblem(o.newName) { throw .usage("NEW '\(o.newName.prefix(80))': \(problem)") }
            if o.source == o.newName { throw .usage("NEW: the same name as SOURCE ('\(o.source.prefix(80))')") }
            return o
        },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            // `*` as the new name's if-none-match: the service refuses when any object has that name.
            try client.renameObject(namespace: ns, bucket: o.target.bucket, from: o.source, to: o.newName, sourceIfMatch: o.ifMatch,
                                    newIfNoneMatch: o.noOverwrite ? "*" : nil)
            let json: JSONValue = .object([("namespace", .string(ns)), ("bucket", .string(o.target.bucket)), ("sourceName", .string(o.source)),
                                           ("newName", .string(o.newName))])
            ctx.emit(json: json, ids: [o.newName]) { ctx.io.out("renamed \(ns)/\(o.target.bucket)/\(o.source) to \(o.newName)") }
        })
}
