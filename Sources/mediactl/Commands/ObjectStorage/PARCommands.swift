// `mediactl par`: pre-authenticated requests, the way to hand a rendition (or a bucket) to someone without
// credentials: create (prints the link, once), get, list, delete.
import FoundationEssentials
import MediaKit

enum PARCommands {
    static let group = CommandSpec(
        name: "par", summary: "Pre-authenticated requests: links to an object or bucket that need no credentials",
        description: "The link is printed once, by `par create`, to stdout only (never in --debug logs): treat it as a password.\n"
            + "get and list show a PAR without it; delete revokes it.",
        subcommands: [PARCreate.command, get, list, delete])

    static let id = Positional<String>.text("ID", help: "the pre-authenticated request's id (from `par create` or `par list`)")

    static func checkedID(_ inv: Invocation) throws(MediaError) -> String {
        let id = try inv.required(Self.id)
        guard !id.isEmpty, id.count <= 1024, !id.contains(where: { $0.isNewline || $0 == "\0" }) else {
            throw .usage("ID: expected a pre-authenticated request id, got '\(id.prefix(80))'")
        }
        return id
    }

    static func text(_ par: PreauthenticatedRequest) -> String {
        var lines = ["pre-authenticated request: \(par.id)"]
        if let n = par.name { lines.append(StorageFlags.field("name", n)) }
        if let a = par.accessType { lines.append(StorageFlags.field("access", a)) }
        lines.append(StorageFlags.field("object", par.objectName ?? "(the whole bucket)"))
        if let l = par.bucketListingAction { lines.append(StorageFlags.field("listing", l)) }
        if let e = par.timeExpires { lines.append(StorageFlags.field("expires", e)) }
        if let c = par.timeCreated { lines.append(StorageFlags.field("created", c)) }
        return lines.joined(separator: "\n")
    }

    static let columns = ["NAME", "ACCESS", "OBJECT", "EXPIRES", "ID"]
    static func row(_ p: PreauthenticatedRequest) -> [String] { [p.name ?? "-", p.accessType ?? "-", p.objectName ?? "*", p.timeExpires ?? "-", p.id] }

    static let get = CommandSpec.verb(
        "get", summary: "Show a pre-authenticated request (without its link)",
        flags: StorageFlags.inBucket, positionals: [id.spec],
        parse: { inv throws(MediaError) in (id: try checkedID(inv), target: try StorageFlags.Target.parse(inv)) },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            let par = try client.getPreauthenticatedRequest(namespace: ns, bucket: o.target.bucket, id: o.id)
            ctx.emit(json: par.json, ids: [par.id], table: { (columns.map { TableColumn($0) }, [row(par)]) }) { ctx.io.out(text(par)) }
        })

    static let prefix = Flag.text("object-prefix", meta: "PREFIX", help: "only requests for objects whose names start with this")
        .notFromDefaultsFile()

    static let list = CommandSpec.verb(
        "list", summary: "List a bucket's pre-authenticated requests",
        examples: ["mediactl par list --bucket media-out --all --output table"],
        flags: StorageFlags.inBucket + [prefix] + StorageFlags.paging,
        parse: { inv throws(MediaError) in
            (target: try StorageFlags.Target.parse(inv), prefix: try inv.value(prefix), paging: try StorageFlags.Paging.parse(inv))
        },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            let (pars, next) = try o.paging.fetch { (page) throws(MediaError) in
                try client.listPreauthenticatedRequests(namespace: ns, bucket: o.target.bucket, objectNamePrefix: o.prefix,
                                                        limit: o.paging.limit, page: page)
            }
            StorageFlags.emit(ctx, pars, next: next, json: \.json, id: \.id, columns: columns, row: row,
                              empty: "no pre-authenticated requests in \(o.target.bucket)",
                              line: { "\($0.id)  \($0.accessType ?? "-")  \($0.timeExpires ?? "-")  \($0.name ?? "-")" })
        })

    static let delete = CommandSpec.verb(
        "delete", summary: "Revoke a pre-authenticated request (its link stops working)",
        flags: StorageFlags.inBucket + [CommonFlags.yes], positionals: [id.spec],
        parse: { inv throws(MediaError) in
            (id: try checkedID(inv), target: try StorageFlags.Target.parse(inv), yes: try inv.value(CommonFlags.yes))
        },
        run: { o, ctx throws(MediaError) in
            try ctx.io.confirm("revoke pre-authenticated request \(o.id) of bucket \(o.target.bucket)", yes: o.yes)
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            try client.deletePreauthenticatedRequest(namespace: ns, bucket: o.target.bucket, id: o.id)
            ctx.emit(json: .object([("id", .string(o.id)), ("bucket", .string(o.target.bucket)), ("deleted", true)]), ids: [o.id]) {
                ctx.io.progress("revoked pre-authenticated request \(o.id)")
            }
        })
}

enum PARCreate {
    struct Options {
        var target: StorageFlags.Target
        var name: String
        var object: String?
        var accessType: PARAccessType
        var expires: Date
        var listObjects: Bool
    }

    static let object = Flag.text("object", meta: "NAME", help: "the object the link opens (default: the whole bucket, with an AnyObject* access type)")
        .notFromDefaultsFile()
    static let accessType = Flag.choice("access-type", PARAccessType.self, meta: "TYPE",
                                        help: "what the link allows (default: ObjectRead with --object, else AnyObjectRead)")
    static let expires = Flag.text("expires", meta: "WHEN", help: "when the link stops working: an RFC 3339 time, or a duration from now such as 7d, 12h")
        .notFromDefaultsFile().required()
    static let name = Flag.text("name", meta: "NAME", help: "a name for the request (default: the object's, or the bucket's, with -share)")
        .notFromDefaultsFile()
    static let listObjects = Switch("list-objects", help: "a bucket link may also list the objects (bucketListingAction ListObjects)")

    static let command = CommandSpec.verb(
        "create", summary: "Create a pre-authenticated request and print its link (shown once)",
        description: "Prints the full link (the endpoint and the service's accessUri) to stdout: anyone holding it can read (or write)\n"
            + "what --access-type allows until --expires, without credentials. It is never written to --debug logs.",
        examples: ["mediactl par create --bucket media-out --object out/clip.m3u8 --expires 7d",
                   "mediactl par create --bucket media-out --access-type AnyObjectRead --list-objects --expires 2030-01-31T00:00:00Z --output json"],
        flags: StorageFlags.inBucket + [object, accessType, expires, name, listObjects],
        parse: { inv throws(MediaError) in
            // Every flag read first, then checked (the table audit reads them all with sample values).
            let target = try StorageFlags.Target.parse(inv)
            let objectName = try inv.value(object)
            let chosenType = try inv.value(accessType)
            let expiresText = try inv.required(expires)
            let chosenName = try inv.value(name)
            let listing = try inv.value(listObjects)
            if let objectName, let problem = ObjectStorageClient.objectNameProblem(objectName) { throw .usage("--object: \(problem)") }
            let type = chosenType ?? (objectName == nil ? .anyObjectRead : .objectRead)
            let forObject = [PARAccessType.objectRead, .objectWrite, .objectReadWrite].contains(type)
            if forObject && objectName == nil { throw .usage("--access-type \(type.rawValue): names one object; give --object") }
            if !forObject && objectName != nil {
                throw .usage("--access-type \(type.rawValue): covers the whole bucket; drop --object or use an Object* type")
            }
            if listing && forObject { throw .usage("--list-objects: only for a bucket link (an AnyObject* access type)") }
            let when = try ExpiryTime.parse(expiresText, now: inv.clock.now(), flag: expires.spec.name)
            let defaultName = (objectName.map { lastPathComponent(of: $0) } ?? target.bucket) + "-share"
            return Options(target: target, name: chosenName ?? defaultName, object: objectName, accessType: type,
                           expires: when, listObjects: listing)
        },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            let par = try client.createPreauthenticatedRequest(namespace: ns, bucket: o.target.bucket, name: o.name, accessType: o.accessType,
                                                               expires: o.expires, objectName: o.object,
                                                               bucketListingAction: o.listObjects ? "ListObjects" : nil)
            guard let uri = par.accessURI, !uri.isEmpty else { throw .network("CreatePreauthenticatedRequest: the answer has no accessUri") }
            let url = client.accessURL(accessURI: uri, namespace: ns)
            var json = par.json
            json.set("accessUrl", .string(url))
            ctx.emit(json: json, ids: [par.id], table: {
                ([TableColumn("NAME"), TableColumn("EXPIRES"), TableColumn("URL")], [[par.name ?? "-", par.timeExpires ?? "-", url]])
            }) {
                ctx.io.out(url)
                ctx.io.progress("\(o.accessType.rawValue) link to \(o.object ?? "bucket " + o.target.bucket), expires \(par.timeExpires ?? "?"); id \(par.id)")
            }
        })
}
