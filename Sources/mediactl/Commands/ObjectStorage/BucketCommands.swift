// `mediactl bucket`: list, create, show, check, change and delete Object Storage buckets (ListBuckets, CreateBucket,
// GetBucket, HeadBucket, UpdateBucket, DeleteBucket; wire forms of oci 2.189.0 object_storage_client.py).
import MediaKit

enum BucketCommands {
    static let group = CommandSpec(
        name: "bucket", summary: "Object Storage buckets: list, create, get, head, update, delete",
        description: "The namespace is asked of the service (GetNamespace) unless --namespace or MEDIACTL_NAMESPACE gives it.",
        subcommands: [BucketList.command, BucketCreate.command, BucketGet.command, BucketHead.command, BucketUpdate.command,
                      BucketDelete.command])

    static let name = Positional<String>.text("NAME", help: "bucket name", prompt: "Bucket name").completingIDs("bucket")

    static func checkedName(_ inv: Invocation) throws(MediaError) -> String {
        let name = try inv.required(Self.name)
        if let problem = ObjectStorageClient.bucketNameProblem(name) { throw .usage("NAME: \(problem)") }
        return name
    }

    /// A bucket for people: its name and the fields that matter for media.
    static func text(_ json: JSONValue) -> String {
        let bucket = BucketSummary(json: json)
        var lines = ["bucket: \(bucket.name.isEmpty ? "?" : bucket.name)"]
        for (label, value) in [("namespace", bucket.namespace), ("compartment", bucket.compartmentID), ("tier", bucket.storageTier),
                               ("access", bucket.publicAccessType), ("versioning", bucket.versioning), ("created", bucket.timeCreated),
                               ("etag", bucket.etag)] {
            if let value { lines.append(StorageFlags.field(label, value)) }
        }
        return lines.joined(separator: "\n")
    }
}

enum BucketList {
    enum Field: String, CaseIterable, Sendable { case tags }

    struct Options {
        var target: StorageFlags.Target
        var compartmentID: String
        var paging: StorageFlags.Paging
        var fields: [String]?
    }

    static let fields = Flag.choice("fields", Field.self, meta: "FIELD", help: "also return these fields (ListBuckets fields)").repeatable()

    static let command = CommandSpec.verb(
        "list", summary: "List the buckets of a compartment",
        examples: ["mediactl bucket list --compartment-id $C --all --output table"],
        flags: StorageFlags.inNamespace + [CommonFlags.compartment, fields] + StorageFlags.paging,
        parse: { inv throws(MediaError) in
            let chosen = try inv.values(fields).map(\.rawValue)
            return Options(target: try StorageFlags.Target.parse(inv, bucket: false), compartmentID: try inv.required(CommonFlags.compartment),
                           paging: try StorageFlags.Paging.parse(inv), fields: chosen.isEmpty ? nil : chosen)
        },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            let (buckets, next) = try o.paging.fetch { (page) throws(MediaError) in
                try client.listBuckets(namespace: ns, compartmentID: o.compartmentID, limit: o.paging.limit, page: page, fields: o.fields)
            }
            StorageFlags.emit(ctx, buckets, next: next, json: \.json, id: \.name, columns: ["NAME", "CREATED", "CREATED BY", "ETAG"],
                              row: { [$0.name, $0.timeCreated ?? "-", $0.createdBy ?? "-", $0.etag ?? "-"] },
                              empty: "no buckets found", line: { "\($0.name)  \($0.timeCreated ?? "-")" })
        })
}

enum BucketCreate {
    enum StorageTier: String, CaseIterable, Sendable { case standard = "Standard", archive = "Archive" }
    enum PublicAccess: String, CaseIterable, Sendable {
        case none = "NoPublicAccess", objectRead = "ObjectRead", objectReadWithoutList = "ObjectReadWithoutList"
    }
    enum Versioning: String, CaseIterable, Sendable { case enabled = "Enabled", disabled = "Disabled" }
    enum AutoTiering: String, CaseIterable, Sendable { case disabled = "Disabled", infrequentAccess = "InfrequentAccess" }

    struct Options {
        var target: StorageFlags.Target
        var name: String
        var compartmentID: String
        var settings: BucketSettings
    }

    static let storageTier = Flag.choice("storage-tier", StorageTier.self, meta: "TIER", help: "the bucket's tier (service default: Standard)")
    static let publicAccess = Flag.choice("public-access-type", PublicAccess.self, meta: "TYPE",
                                          help: "anonymous access (service default: NoPublicAccess)")
    static let versioning = Flag.choice("versioning", Versioning.self, meta: "STATE", help: "keep object versions (service default: Disabled)")
    static let autoTiering = Flag.choice("auto-tiering", AutoTiering.self, meta: "STATE", help: "move rarely read objects to Infrequent Access")
    static let objectEvents = Switch("object-events", help: "emit events for object changes (objectEventsEnabled)")
    static let kmsKey = Flag.ocid("kms-key-id", types: ["key"], help: "encrypt with this Vault key instead of an Oracle-managed one")
        .notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "create", summary: "Create a bucket",
        examples: ["mediactl bucket create media-out --compartment-id $C --versioning Enabled --freeform-tags '{\"team\": \"media\"}'",
                   "mediactl bucket create archive --compartment-id $C --storage-tier Archive --defined-tags @tags.json --output json"],
        flags: StorageFlags.inNamespace + [CommonFlags.compartment, storageTier, publicAccess, versioning, autoTiering, objectEvents, kmsKey]
            + TagFlags.both,
        positionals: [BucketCommands.name.spec],
        parse: { inv throws(MediaError) in
            let name = try BucketCommands.checkedName(inv)
            var settings = BucketSettings()
            settings.storageTier = try inv.value(storageTier)?.rawValue
            settings.publicAccessType = try inv.value(publicAccess)?.rawValue
            settings.versioning = try inv.value(versioning)?.rawValue
            settings.autoTiering = try inv.value(autoTiering)?.rawValue
            let events = try inv.value(objectEvents)
            settings.objectEventsEnabled = inv.isGiven(objectEvents) ? events : nil
            settings.kmsKeyID = try inv.value(kmsKey)
            settings.tags = try inv.tags()
            return Options(target: try StorageFlags.Target.parse(inv, bucket: false), name: name,
                           compartmentID: try inv.required(CommonFlags.compartment), settings: settings)
        },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            let bucket = try client.createBucket(namespace: ns, name: o.name, compartmentID: o.compartmentID, settings: o.settings)
            ctx.io.progress("Created bucket \(ns)/\(o.name)")
            ctx.emit(json: bucket, ids: [o.name]) { ctx.io.out(BucketCommands.text(bucket)) }
        })
}

enum BucketGet {
    static let command = CommandSpec.verb(
        "get", summary: "Show a bucket", examples: ["mediactl bucket get media-in --output json"],
        flags: StorageFlags.inNamespace, positionals: [BucketCommands.name.spec],
        parse: { inv throws(MediaError) in
            (name: try BucketCommands.checkedName(inv), target: try StorageFlags.Target.parse(inv, bucket: false))
        },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            let bucket = try client.getBucket(namespace: ns, name: o.name)
            ctx.emit(json: bucket, ids: [o.name]) { ctx.io.out(BucketCommands.text(bucket)) }
        })
}

enum BucketHead {
    static let ifMatch = ResourceFlags.ifMatch.help("succeed only if the bucket's etag is still this (else exit 6)")
    static let command = CommandSpec.verb(
        "head", summary: "Check that a bucket exists (exit 0) or not (exit 5), and show its etag",
        examples: ["mediactl bucket head media-in --output id", "mediactl bucket head media-in --if-match $ETAG"],
        flags: StorageFlags.inNamespace + [ifMatch], positionals: [BucketCommands.name.spec],
        parse: { inv throws(MediaError) in
            let etag: String? = try inv.value(ifMatch)
            return (name: try BucketCommands.checkedName(inv), target: try StorageFlags.Target.parse(inv, bucket: false), ifMatch: etag)
        },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            let etag: String?
            do throws(MediaError) { etag = try client.headBucket(namespace: ns, name: o.name, ifMatch: o.ifMatch) } catch {
                // A HEAD answer has no body: say in words what its status means.
                switch error {
                case var .notFound(failure):
                    failure.message = "bucket \(ns)/\(o.name) does not exist (or you may not see it)"
                    throw .notFound(failure)
                case var .conflict(failure) where failure.status == 412:
                    failure.message = "the etag of bucket \(ns)/\(o.name) is no longer \(o.ifMatch ?? "")"
                    throw .conflict(failure)
                default: throw error
                }
            }
            var json: JSONValue = ["namespace": .string(ns), "name": .string(o.name)]
            if let etag { json.set("etag", .string(etag)) }
            ctx.emit(json: json, ids: [o.name]) { ctx.io.out("bucket \(ns)/\(o.name) exists" + (etag.map { " (etag \($0))" } ?? "")) }
        })
}

enum BucketUpdate {
    enum Versioning: String, CaseIterable, Sendable { case enabled = "Enabled", suspended = "Suspended" }

    struct Options {
        var name: String
        var target: StorageFlags.Target
        var update: MediaKit.BucketUpdate
        var ifMatch: String?
    }

    static let compartment = Flag.ocid("compartment-id", types: ["compartment", "tenancy"], help: "move the bucket to this compartment")
        .notFromDefaultsFile()
    static let versioning = Flag.choice("versioning", Versioning.self, meta: "STATE", help: "keep object versions, or stop keeping new ones")
    static let ifMatch = ResourceFlags.ifMatch.help("change only if the bucket's etag is still this (else exit 6, nothing changed)")
    static let changes: [any FlagDeclaration] = [compartment, BucketCreate.publicAccess, versioning, BucketCreate.autoTiering,
                                                 BucketCreate.objectEvents, BucketCreate.kmsKey] + TagFlags.both

    static let command = CommandSpec.verb(
        "update", summary: "Change a bucket's access, versioning, tiering, events, key, tags or compartment",
        description: "Only what is given is sent; the service keeps the rest. At least one change is needed.",
        examples: ["mediactl bucket update media-out --versioning Enabled --freeform-tags '{\"team\": \"media\"}'",
                   "mediactl bucket update media-out --public-access-type NoPublicAccess --if-match $ETAG"],
        flags: StorageFlags.inNamespace + changes + [ifMatch], positionals: [BucketCommands.name.spec],
        parse: { inv throws(MediaError) in
            let name = try BucketCommands.checkedName(inv)
            var update = MediaKit.BucketUpdate()
            update.compartmentID = try inv.value(compartment)
            update.settings.publicAccessType = try inv.value(BucketCreate.publicAccess)?.rawValue
            update.settings.versioning = try inv.value(versioning)?.rawValue
            update.settings.autoTiering = try inv.value(BucketCreate.autoTiering)?.rawValue
            let events = try inv.value(BucketCreate.objectEvents)
            update.settings.objectEventsEnabled = inv.isGiven(BucketCreate.objectEvents) ? events : nil
            update.settings.kmsKeyID = try inv.value(BucketCreate.kmsKey)
            update.settings.tags = try inv.tags()
            if update.isEmpty && !inv.auditing {
                throw .usage("nothing to change: give at least one of \(changes.map { "--\($0.spec.name)" }.joined(separator: ", "))")
            }
            return Options(name: name, target: try StorageFlags.Target.parse(inv, bucket: false), update: update, ifMatch: try inv.value(ifMatch))
        },
        run: { o, ctx throws(MediaError) in
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            let bucket = try client.updateBucket(namespace: ns, name: o.name, update: o.update, ifMatch: o.ifMatch)
            ctx.io.progress("Updated bucket \(ns)/\(o.name)")
            ctx.emit(json: bucket, ids: [o.name]) { ctx.io.out(BucketCommands.text(bucket)) }
        })
}

enum BucketDelete {
    struct Options {
        var name: String
        var target: StorageFlags.Target
        var ifMatch: String?
        var yes: Bool
    }

    static let ifMatch = ResourceFlags.ifMatch.help("delete only if the bucket's etag is still this (else exit 6, nothing deleted)")

    static let command = CommandSpec.verb(
        "delete", summary: "Delete an empty bucket", examples: ["mediactl bucket delete scratch --yes"],
        flags: StorageFlags.inNamespace + [ifMatch, CommonFlags.yes], positionals: [BucketCommands.name.spec],
        parse: { inv throws(MediaError) in
            Options(name: try BucketCommands.checkedName(inv), target: try StorageFlags.Target.parse(inv, bucket: false),
                    ifMatch: try inv.value(ifMatch), yes: try inv.value(CommonFlags.yes))
        },
        run: { o, ctx throws(MediaError) in
            try ctx.io.confirm("delete bucket \(o.name)", yes: o.yes)
            let (client, ns) = try StorageFlags.connect(ctx, o.target)
            try client.deleteBucket(namespace: ns, name: o.name, ifMatch: o.ifMatch)
            ctx.emit(json: .object([("namespace", .string(ns)), ("name", .string(o.name)), ("deleted", true)]), ids: [o.name]) {
                ctx.io.progress("Deleted bucket \(ns)/\(o.name)")
            }
        })
}
