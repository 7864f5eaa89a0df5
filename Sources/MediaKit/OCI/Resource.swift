// Resource objects as the API returned them (kept whole for --output json), with typed views of the fields
// the CLI shows: lifecycle states that keep unknown values, job tasks and outputs, asset types, channel domains.
import FoundationEssentials

/// A resource object as the API returned it, with the fields the CLI prints read out of it.
public struct Resource: Sendable, Equatable {
    public let json: JSONValue
    /// The `etag` header of the answer that carried it (get, create, update), for `ifMatch` later.
    public let etag: String?

    public init(json: JSONValue) { self.init(json: json, etag: nil) }

    public init(json: JSONValue, etag: String?) {
        self.json = json
        self.etag = etag
    }

    public var id: String { json["id"]?.stringValue ?? "" }
    public var displayName: String? { json["displayName"]?.stringValue }
    public var lifecycleState: String? { json["lifecycleState"]?.stringValue }
    /// MediaWorkflow, configurations and CDN configs spell it `lifecyleDetails` on the wire (G8).
    public var lifecycleDetails: String? { json["lifecycleDetails"]?.stringValue ?? json["lifecyleDetails"]?.stringValue }
    public var domainName: String? { json["domainName"]?.stringValue }

    // MARK: typed views

    /// The lifecycle state as a value; nil when the object has none.
    public var state: LifecycleState? { lifecycleState.map(LifecycleState.init(rawValue:)) }
    public var compartmentID: String? { json["compartmentId"]?.stringValue }
    public var timeCreated: String? { json["timeCreated"]?.stringValue }
    public var timeUpdated: String? { json["timeUpdated"]?.stringValue }
    /// A job's workflow (`mediaWorkflowId`), or an asset's job (`mediaWorkflowJobId`'s workflow is `sourceMediaWorkflowId`).
    public var workflowID: String? { json["mediaWorkflowId"]?.stringValue }
    /// A workflow's version (bumps on every update), or an attachment's.
    public var version: Int? { json["version"]?.intValue }
    /// CDN and packaging configs: the channel they belong to.
    public var distributionChannelID: String? { json["distributionChannelId"]?.stringValue }
    /// A media asset's `type` (AUDIO, VIDEO, PLAYLIST, …, or a value newer than this client).
    public var assetType: String? { json["type"]?.stringValue }
    /// Where a media asset's bytes are.
    public var assetObject: ObjectLocation? { ObjectLocation(json) }
    /// A job's `taskLifecycleState` entries, in the order received.
    public var tasks: [JobTask] { (json["taskLifecycleState"]?.arrayValue ?? []).compactMap(JobTask.init) }
    /// A job's `outputs`, in the order received.
    public var outputs: [JobOutput] { (json["outputs"]?.arrayValue ?? []).compactMap(JobOutput.init) }
    /// The HLS master playlist among a job's outputs: the PLAYLIST output whose object name ends in `-master.m3u8`,
    /// else the first PLAYLIST output.
    public var masterPlaylist: JobOutput? {
        let playlists = outputs.filter { $0.assetType == "PLAYLIST" }
        return playlists.first { $0.objectName?.hasSuffix("-master.m3u8") == true } ?? playlists.first
    }
    /// The tasks a job skipped (their `enableParameterReference` switched them off).
    public var skippedTasks: [JobTask] { tasks.filter { $0.state == .skipped } }
    /// The system workflow's or task declaration's `name` (they have no id).
    public var name: String? { json["name"]?.stringValue }
    /// A task declaration's `isCurrent`.
    public var isCurrent: Bool? { json["isCurrent"]?.boolValue }
    /// A CDN config's `isEnabled`, and its `config.type` (EDGE, AKAMAI_MANUAL).
    public var isEnabled: Bool? { json["isEnabled"]?.boolValue }
    public var cdnType: String? { json["config"]?["type"]?.stringValue }
    /// A packaging config's `streamPackagingFormat` (HLS, DASH) and `encryption.algorithm` (NONE, AES128).
    public var packagingFormat: String? { json["streamPackagingFormat"]?.stringValue }
    public var encryptionAlgorithm: String? { json["encryption"]?["algorithm"]?.stringValue }
    /// The resource's locks.
    public var locks: [ResourceLock] {
        (json["locks"]?.arrayValue ?? []).compactMap { l in
            guard let t = l["type"]?.stringValue, let kind = ResourceLock.Kind(rawValue: t) else { return nil }
            return ResourceLock(type: kind, compartmentID: l["compartmentId"]?.stringValue,
                                relatedResourceID: l["relatedResourceId"]?.stringValue, message: l["message"]?.stringValue)
        }
    }
}

public struct Page: Sendable {
    public let items: [Resource]
    public let nextPage: String?

    public init(items: [Resource], nextPage: String?) {
        self.items = items
        self.nextPage = nextPage
    }
}

/// A lifecycle state; values newer than this client are kept as `.other` (the SDK would call them
/// UNKNOWN_ENUM_VALUE and lose them; protocols.md §6.1).
public enum LifecycleState: Sendable, Hashable, CustomStringConvertible {
    case accepted, inProgress, waiting, rejected, failed, succeeded, canceling, canceled
    case creating, updating, active, needsAttention, deleting, deleted
    /// A task's state when its `enableParameterReference` switched it off.
    case skipped
    case other(String)

    static let named: [(String, LifecycleState)] = [
        ("ACCEPTED", .accepted), ("IN_PROGRESS", .inProgress), ("WAITING", .waiting), ("REJECTED", .rejected),
        ("FAILED", .failed), ("SUCCEEDED", .succeeded), ("CANCELING", .canceling), ("CANCELED", .canceled),
        ("CREATING", .creating), ("UPDATING", .updating), ("ACTIVE", .active), ("NEEDS_ATTENTION", .needsAttention),
        ("DELETING", .deleting), ("DELETED", .deleted), ("SKIPPED", .skipped),
    ]

    public init(rawValue: String) {
        self = Self.named.first { $0.0 == rawValue }?.1 ?? .other(rawValue)
    }

    public var rawValue: String {
        if case let .other(text) = self { return text }
        return Self.named.first { $0.1 == self }?.0 ?? ""
    }

    public var description: String { rawValue }

    /// The states a kind's list accepts as `lifecycleState` (the SDK's allowed values), in the SDK's order.
    public static func allKnown(for kind: ResourceKind) -> [LifecycleState] {
        switch kind {
        case .job: [.accepted, .inProgress, .waiting, .rejected, .failed, .succeeded, .canceling, .canceled]
        case .asset: [.creating, .updating, .active, .deleting, .deleted, .failed]
        case .workflow, .channel, .cdnConfig, .packagingConfig: [.active, .needsAttention, .deleted]
        case .configuration: configurationStates
        }
    }

    /// The states a workflow-configuration list accepts (the SDK's list allows NEEDS_ATTENTION too; the model shows ACTIVE, DELETED).
    public static let configurationStates: [LifecycleState] = [.active, .needsAttention, .deleted]

    /// The states of a media asset's distribution-channel attachment.
    public static let attachmentStates: [LifecycleState] = [.creating, .active, .needsAttention, .updating]

    /// The states a job (or one of its tasks) can end in, or a resource rests in: nothing changes without a new request.
    public var isTerminal: Bool {
        switch self {
        case .succeeded, .failed, .rejected, .canceled, .skipped, .active, .needsAttention, .deleted: true
        default: false
        }
    }

    /// The terminal states that mean it worked: a job or task SUCCEEDED (or was SKIPPED by design), a resource is ACTIVE.
    public var isSuccess: Bool {
        switch self {
        case .succeeded, .skipped, .active: true
        default: false
        }
    }
}

/// One entry of a job's `taskLifecycleState`.
public struct JobTask: Sendable, Equatable {
    /// The task's key in the workflow (nil if the service left it out).
    public var key: String?
    /// Nil when the entry has no state.
    public var state: LifecycleState?
    /// `lifecycleDetails` as received (it may be empty).
    public var details: String?

    init?(_ json: JSONValue) {
        guard json.isObject else { return nil }
        key = json["key"]?.stringValue
        state = json["lifecycleState"]?.stringValue.map(LifecycleState.init(rawValue:))
        details = json["lifecycleDetails"]?.stringValue
    }
}

/// An Object Storage object named by namespace, bucket and object name.
public struct ObjectLocation: Sendable, Equatable {
    public var namespace: String
    public var bucket: String
    public var object: String

    public init(namespace: String, bucket: String, object: String) {
        self.namespace = namespace
        self.bucket = bucket
        self.object = object
    }

    /// `NAMESPACE/BUCKET/OBJECT`, as messages and the cache of printed ids write it.
    public var path: String { "\(namespace)/\(bucket)/\(object)" }

    /// From `path`'s form; nil unless all three parts are there (an object name may hold slashes; the others cannot).
    public init?(path: String) {
        let parts = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 3, !parts.contains(where: \.isEmpty) else { return nil }
        self.init(namespace: parts[0], bucket: parts[1], object: parts[2])
    }

    /// From `namespaceName`, `bucketName`, `objectName`; nil unless all three are strings.
    init?(_ json: JSONValue) {
        guard let n = json["namespaceName"]?.stringValue, let b = json["bucketName"]?.stringValue,
              let o = json["objectName"]?.stringValue else { return nil }
        self.init(namespace: n, bucket: b, object: o)
    }
}

/// One entry of a job's `outputs`.
public struct JobOutput: Sendable, Equatable {
    /// AUDIO, VIDEO, PLAYLIST, IMAGE, CAPTION_FILE, TRANSCRIPTION_JOB, …, or a newer value.
    public var assetType: String
    /// The media asset registered for it, if any.
    public var id: String?
    public var namespace: String?
    public var bucket: String?
    public var objectName: String?
    /// Where its bytes are, when the output names all three.
    public var object: ObjectLocation? { ObjectLocation(json) }
    let json: JSONValue

    init?(_ json: JSONValue) {
        guard json.isObject else { return nil }
        self.json = json
        assetType = json["assetType"]?.stringValue ?? ""
        id = json["id"]?.stringValue
        namespace = json["namespaceName"]?.stringValue
        bucket = json["bucketName"]?.stringValue
        objectName = json["objectName"]?.stringValue
    }
}
