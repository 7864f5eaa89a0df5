// `mediactl asset create`: register a media asset of any type with every field CreateMediaAssetDetails has
// (the object it lives in, its parent and master assets, the workflow and job that made it, a segment range,
// metadata and asset tags).
import MediaKit

enum AssetCreate {
    struct Options {
        var compartmentID: String
        var fields: MediaAssetFields
        var wait = StateWait(states: [], timeout: 0)
        var retryToken: String
    }

    /// CreateMediaAssetDetails.type.
    enum AssetType: String, CaseIterable, Sendable {
        case audio = "AUDIO", video = "VIDEO", playlist = "PLAYLIST", image = "IMAGE", captionFile = "CAPTION_FILE", unknown = "UNKNOWN"
    }

    static let type = Flag.choice("type", AssetType.self, meta: "TYPE", help: "what the asset is").required().notFromDefaultsFile()
    static let name = Flag.text("name", meta: "NAME", help: "display name").notFromDefaultsFile()
    static let bucket = Flag.text("bucket", meta: "BUCKET", help: "bucket holding the asset's object (with --object)").completingIDs("bucket").notFromDefaultsFile()
    static let object = Flag.text("object", meta: "OBJECT", help: "the asset's object name (with --bucket and --namespace)").notFromDefaultsFile()
    static let namespace = CommonFlags.namespace.help("Object Storage namespace of --bucket")
    static let objectEtag = Flag.text("object-etag", meta: "ETAG", help: "the object's etag (the version registered)").notFromDefaultsFile()
    static let parentAsset = Flag.ocid("parent-asset-id", types: ResourceKind.asset.ocidTypes, help: "the asset this one derives from")
        .notFromDefaultsFile()
    static let masterAsset = Flag.ocid("master-asset-id", types: ResourceKind.asset.ocidTypes, help: "the master asset of this one")
        .notFromDefaultsFile()
    static let sourceWorkflow = Flag.ocid("source-workflow-id", types: ResourceKind.workflow.ocidTypes, help: "the workflow that made it")
        .notFromDefaultsFile()
    static let sourceWorkflowVersion = Flag.integer("source-workflow-version", 1...Int(Int32.max), help: "that workflow's version")
        .notFromDefaultsFile()
    static let job = Flag.ocid("job-id", types: ResourceKind.job.ocidTypes, help: "the media workflow job that made it").notFromDefaultsFile()
    static let segmentStart = Flag.integer("segment-start", 0...Int(Int32.max), meta: "INDEX", help: "first segment index of the range")
        .notFromDefaultsFile()
    static let segmentEnd = Flag.integer("segment-end", 0...Int(Int32.max), meta: "INDEX", help: "last segment index of the range")
        .notFromDefaultsFile()
    static let metadata = Flag.text("metadata", meta: "TEXT", help: "a metadata entry (often JSON text); repeatable").repeatable().notFromDefaultsFile()
    static let assetTag = Flag.text("asset-tag", meta: "[USER:|SYSTEM:]VALUE", help: "a media asset tag (USER unless prefixed); repeatable")
        .repeatable().notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "create", summary: "Register a media asset of any type",
        description: "An object-backed asset names --bucket, --object and --namespace together. Segment ranges need both ends.",
        examples: ["mediactl asset create --type VIDEO --bucket media-in --object clip.mp4 --namespace ns --name clip",
                   "mediactl asset create --type IMAGE --parent-asset-id $VIDEO --bucket out --object thumbs/1.jpg --asset-tag thumbnail"],
        flags: [CommonFlags.compartment, type, name, bucket, object, namespace, objectEtag, parentAsset, masterAsset, sourceWorkflow,
                sourceWorkflowVersion, job, segmentStart, segmentEnd, metadata, assetTag, CommonFlags.retryToken] + TagFlags.both
            + [ResourceFlags.waitForState(.asset), ResourceFlags.maxWaitSeconds],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let compartment = try inv.required(CommonFlags.compartment)
        var f = MediaAssetFields(displayName: try inv.value(name), type: try inv.required(type).rawValue)
        let bucketName = try inv.value(bucket), objectName = try inv.value(object)
        switch (bucketName, objectName) {
        case let (b?, o?): f.object = ObjectLocation(namespace: try inv.required(namespace), bucket: b, object: o)
        case (nil, nil): if inv.isGiven(namespace) && !inv.auditing { throw .usage("--namespace needs --bucket and --object") }
        case (_?, nil): throw .usage("--bucket needs --object (the asset's object name)")
        case (nil, _?): throw .usage("--object needs --bucket (the bucket holding it)")
        }
        f.objectEtag = try inv.value(objectEtag)
        if f.objectEtag != nil && f.object == nil { throw .usage("--object-etag needs --bucket and --object") }
        f.parentMediaAssetID = try inv.value(parentAsset)
        f.masterMediaAssetID = try inv.value(masterAsset)
        f.sourceMediaWorkflowID = try inv.value(sourceWorkflow)
        f.sourceMediaWorkflowVersion = try inv.value(sourceWorkflowVersion)
        f.mediaWorkflowJobID = try inv.value(job)
        f.segmentRangeStartIndex = try inv.value(segmentStart)
        f.segmentRangeEndIndex = try inv.value(segmentEnd)
        switch (f.segmentRangeStartIndex, f.segmentRangeEndIndex) {
        case let (s?, e?) where e < s && !inv.auditing: throw .usage("--segment-end: \(e) is before --segment-start \(s)")
        case (_?, nil): throw .usage("--segment-start needs --segment-end")
        case (nil, _?): throw .usage("--segment-end needs --segment-start")
        default: break
        }
        let entries = try inv.values(metadata)
        if !entries.isEmpty { f.metadata = entries }
        let tags = try inv.values(assetTag)
        if !tags.isEmpty {
            var parsed: [MediaAssetTag] = []
            for t in tags { parsed.append(try Self.assetTag(t)) }
            f.mediaAssetTags = parsed
        }
        f.tags = try inv.tags()
        return Options(compartmentID: compartment, fields: f, wait: try inv.stateWait(.asset), retryToken: try inv.retryToken())
    }

    /// `VALUE`, `USER:VALUE` or `SYSTEM:VALUE`.
    static func assetTag(_ text: String) throws(MediaError) -> MediaAssetTag {
        for type in ["USER", "SYSTEM"] where text.hasPrefix(type + ":") {
            let value = String(text.dropFirst(type.count + 1))
            guard !value.isEmpty else { throw .usage("--asset-tag: '\(text)' has no value after \(type):") }
            return MediaAssetTag(type: type, value: value)
        }
        guard !text.isEmpty else { throw .usage("--asset-tag: expected a value") }
        return MediaAssetTag(type: "USER", value: text)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let asset = try ctx.creating(retryToken: o.retryToken) { () throws(MediaError) in
            try client.withRetryToken(o.retryToken).createAsset(compartmentID: o.compartmentID, o.fields)
        }
        ctx.io.progress("Created media asset \(asset.id)")
        try ctx.finish(client, kind: .asset, asset, o.wait)
    }
}
