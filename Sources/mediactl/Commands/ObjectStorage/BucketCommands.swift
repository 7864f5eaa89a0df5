// `mediactl bucket`: list, create, show and delete Object Storage buckets (ListBuckets, CreateBucket, GetBucket,
// DeleteBucket; wire forms of oci 2.189.0 object_storage_client.py).
import MediaKit

enum BucketCommands {
    static let group = CommandSpec(
        name: "bucket", summary: "Object Storage buckets: list, create, get, delete",
        description: "The namespace is asked of the service (GetNamespace) unless --namespace or MEDIACTL_NAMESPACE gives it.",
        subcommands: [BucketList.command, BucketCreate.command, BucketGet.command, BucketDelete.command])

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
