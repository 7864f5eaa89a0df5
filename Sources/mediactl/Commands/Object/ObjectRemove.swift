// `mediactl object rm OBJECT`: delete an object (asks first on a terminal; --yes without one).
import MediaKit

enum ObjectRemove {
    static let command = CommandSpec.verb(
        "rm", summary: "Delete an object",
        flags: ObjectFlags.common + [CommonFlags.yes], positionals: [ObjectCommands.objectName.spec],
        parse: { inv throws(MediaError) in
            (name: try inv.required(ObjectCommands.objectName), location: try ObjectCommands.Location.parse(inv), yes: try inv.value(CommonFlags.yes))
        },
        run: { o, ctx throws(MediaError) in
            let bucket = o.location.bucket
            try ctx.io.confirm("delete object \(o.name) from bucket \(bucket)", yes: o.yes)
            let (client, _, ns) = try ObjectCommands.connect(ctx, o.location)
            try client.deleteObject(namespace: ns, bucket: bucket, object: o.name)
            ctx.emit(json: .object([("name", .string(o.name)), ("bucket", .string(bucket)), ("deleted", true)]), ids: [o.name]) {
                ctx.io.progress("Deleted \(ns)/\(bucket)/\(o.name)")
            }
        })
}
