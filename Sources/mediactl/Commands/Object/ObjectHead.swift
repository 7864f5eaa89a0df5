// `mediactl object head OBJECT`: an object's size, MD5, etag, type and metadata.
import MediaKit

enum ObjectHeadVerb {
    static let command = CommandSpec.verb(
        "head", summary: "Show an object's size, MD5, etag, type and metadata",
        flags: ObjectFlags.common, positionals: [ObjectCommands.objectName.spec],
        parse: { inv throws(MediaError) in (name: try inv.required(ObjectCommands.objectName), location: try ObjectCommands.Location.parse(inv)) },
        run: { o, ctx throws(MediaError) in
            let (client, _, ns) = try ObjectCommands.connect(ctx, o.location)
            let head = try client.headObject(namespace: ns, bucket: o.location.bucket, object: o.name)
            var json = head.json
            json.set("name", .string(o.name))
            ctx.emit(json: json, ids: [o.name]) {
                ctx.io.out("\(o.name)\n  size:    \(head.size)\n  md5:     \(head.md5 ?? head.multipartMD5 ?? "-")\n  etag:    \(head.etag ?? "-")\n"
                           + "  type:    \(head.contentType ?? "-")\n  changed: \(head.lastModified ?? "-")")
            }
        })
}
