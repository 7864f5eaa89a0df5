// The declarative resource table: for every Media Services resource kind the emulator serves, its collection path,
// create fields with their types, updatable fields, lifecycle states, list scope, filters and sort keys, and whether it
// can be locked and moved. ResourceStore's generic create/get/list/update/delete/lock/move handlers read this table;
// what is particular to a kind (a workflow's tasks, a job's run, a config's channel) is a hook beside it.
import MediaKit

/// The kinds the emulator stores. MediaKit's ResourceKind is the client's six, and their rows take its collection paths and
/// OCID types, so client and emulator share one definition; the emulator also serves workflow configurations and the
/// asset ↔ channel attachments ingests make.
enum EmulatedKind: String, CaseIterable, Sendable {
    case workflow, workflowConfiguration = "workflow-configuration", job, channel
    case cdnConfig = "cdn-config", packagingConfig = "packaging-config", asset
    /// MediaAssetDistributionChannelAttachment: no collection of its own, served under `/mediaAssets/{id}/...`.
    case attachment = "asset-attachment"

    var spec: ResourceSpec { ResourceSpec.table[self]! }

    /// The kind served under `/20211101/{collection}`.
    init?(collection: String) {
        guard let kind = Self.allCases.first(where: { $0.spec.collection == "/" + collection }) else { return nil }
        self = kind
    }
}

/// Lifecycle states as the API spells them (protocols.md §6.5); each kind's table row lists the ones it can be in.
enum LifecycleState: String, Sendable {
    case accepted = "ACCEPTED", inProgress = "IN_PROGRESS", waiting = "WAITING", rejected = "REJECTED", failed = "FAILED"
    case succeeded = "SUCCEEDED", canceling = "CANCELING", canceled = "CANCELED"
    case creating = "CREATING", updating = "UPDATING", active = "ACTIVE", needsAttention = "NEEDS_ATTENTION"
    case deleting = "DELETING", deleted = "DELETED"

    var json: JSONValue { .string(rawValue) }

    static let job: [LifecycleState] = [.accepted, .inProgress, .waiting, .rejected, .failed, .succeeded, .canceling, .canceled]
}

/// A request field's wire type; `oneOf` is an enum of strings.
enum FieldType: Sendable {
    case string, int, bool, object, array, stringArray
    case oneOf([String])
}

struct FieldSpec: Sendable {
    let name: String
    let type: FieldType
    let required: Bool

    static func required(_ name: String, _ type: FieldType = .string) -> FieldSpec { FieldSpec(name: name, type: type, required: true) }
    static func optional(_ name: String, _ type: FieldType = .string) -> FieldSpec { FieldSpec(name: name, type: type, required: false) }
}

/// One list filter of a kind: the query parameter and the resource field it compares.
struct ListFilter: Sendable {
    let parameter: String
    let field: String
    /// Whether the index keeps a posting per value of this field. Only the filters lists are commonly narrowed by
    /// are: each indexed value costs a dictionary entry per distinct value, and the rest are checked on the walk.
    let indexed: Bool
}

struct ResourceSpec: Sendable {
    let kind: EmulatedKind
    /// `/mediaWorkflows`; nil for a kind served only under another's path.
    let collection: String?
    /// The OCID type segment the service issues (protocols.md §6.1a).
    let ocidType: String
    /// Create*Details' fields with their types, in the order the 400s name them.
    let createFields: [FieldSpec]
    /// Update*Details' fields: an update may set these and nothing else.
    let updatableFields: [FieldSpec]
    let states: [LifecycleState]
    let initialState: LifecycleState
    /// The field lists are scoped by, and whether the list call requires it (the SDK's list_* signature).
    let listScope: String
    let scopeRequired: Bool
    /// Filters beside the scope, as the SDK's list_* method names them.
    let listFilters: [ListFilter]
    /// `sortBy` value → the field it orders by; `timeCreated` is creation order and not listed.
    let sortFields: [String: String]
    /// add/removeLock (all seven API kinds) and changeCompartment (the SDK has it for five).
    let lockable: Bool
    let movable: Bool
    /// The wire name of the details field on the full model: three models misspell it `lifecyleDetails` (G8).
    let detailsField: String

    /// The fields the index keeps postings for: the scope, then the indexed filters.
    var indexedFields: [String] { [listScope] + listFilters.filter(\.indexed).map(\.field) }

    func state(_ text: String) -> LifecycleState? { LifecycleState(rawValue: text).flatMap { states.contains($0) ? $0 : nil } }
}

extension ResourceSpec {
    private static let tags: [FieldSpec] = [.optional("freeformTags", .object), .optional("definedTags", .object)]
    private static let createCommon: [FieldSpec] = tags + [.optional("locks", .array)]
    private static let common = [ListFilter(parameter: "lifecycleState", field: "lifecycleState", indexed: true),
                                 ListFilter(parameter: "displayName", field: "displayName", indexed: true),
                                 ListFilter(parameter: "id", field: "id", indexed: false)]
    /// The orders every list takes (timeCreated is creation order); kinds add their own.
    private static let commonSorts = ["displayName": "displayName", "lifecycleState": "lifecycleState", "timeUpdated": "timeUpdated",
                                      "compartmentId": "compartmentId"]
    private static let channelStates: [LifecycleState] = [.active, .needsAttention, .deleted]
    private static let assetTypes = ["AUDIO", "VIDEO", "PLAYLIST", "IMAGE", "CAPTION_FILE", "UNKNOWN"]

    static let table: [EmulatedKind: ResourceSpec] = Dictionary(uniqueKeysWithValues: rows.map { ($0.kind, $0) })

    private static let rows: [ResourceSpec] = [
        ResourceSpec(kind: .workflow, collection: ResourceKind.workflow.collectionPath, ocidType: ResourceKind.workflow.ocidTypes[0],
                     createFields: [.required("displayName"), .required("compartmentId"), .optional("tasks", .array),
                                    .optional("parameters", .object), .optional("mediaWorkflowConfigurationIds", .stringArray)] + createCommon,
                     updatableFields: [.optional("displayName"), .optional("tasks", .array), .optional("mediaWorkflowConfigurationIds", .stringArray),
                                       .optional("parameters", .object)] + tags,
                     states: channelStates, initialState: .active, listScope: "compartmentId", scopeRequired: false,
                     listFilters: common, sortFields: commonSorts, lockable: true, movable: true, detailsField: "lifecyleDetails"),
        ResourceSpec(kind: .workflowConfiguration, collection: "/mediaWorkflowConfigurations", ocidType: "mediaworkflowconfiguration",
                     createFields: [.required("displayName"), .required("compartmentId"), .required("parameters", .object)] + createCommon,
                     updatableFields: [.optional("displayName"), .optional("parameters", .object)] + tags,
                     states: [.active, .deleted], initialState: .active, listScope: "compartmentId", scopeRequired: false,
                     listFilters: common, sortFields: commonSorts, lockable: true, movable: true, detailsField: "lifecyleDetails"),
        ResourceSpec(kind: .job, collection: ResourceKind.job.collectionPath, ocidType: ResourceKind.job.ocidTypes[0],
                     createFields: [.required("workflowIdentifierType", .oneOf(["ID", "NAME"])), .required("compartmentId"),
                                    .optional("displayName"), .optional("mediaWorkflowConfigurationIds", .stringArray),
                                    .optional("parameters", .object), .optional("mediaWorkflowId"), .optional("mediaWorkflowName")] + createCommon,
                     updatableFields: [.optional("displayName")] + tags,
                     states: LifecycleState.job, initialState: .accepted, listScope: "compartmentId", scopeRequired: false,
                     listFilters: common + [ListFilter(parameter: "mediaWorkflowId", field: "mediaWorkflowId", indexed: true)],
                     sortFields: commonSorts.merging(["workflowId": "mediaWorkflowId"]) { a, _ in a },
                     lockable: true, movable: true, detailsField: "lifecycleDetails"),
        ResourceSpec(kind: .channel, collection: ResourceKind.channel.collectionPath, ocidType: ResourceKind.channel.ocidTypes[0],
                     createFields: [.required("displayName"), .required("compartmentId")] + createCommon,
                     updatableFields: [.optional("displayName")] + tags,
                     states: channelStates, initialState: .active, listScope: "compartmentId", scopeRequired: false,
                     listFilters: common, sortFields: commonSorts, lockable: true, movable: true, detailsField: "lifecycleDetails"),
        ResourceSpec(kind: .cdnConfig, collection: ResourceKind.cdnConfig.collectionPath, ocidType: ResourceKind.cdnConfig.ocidTypes[0],
                     createFields: [.required("displayName"), .required("distributionChannelId"), .required("config", .object),
                                    .optional("isEnabled", .bool)] + createCommon,
                     updatableFields: [.optional("displayName"), .optional("isEnabled", .bool), .optional("config", .object)] + tags,
                     states: channelStates, initialState: .active, listScope: "distributionChannelId", scopeRequired: true,
                     listFilters: common, sortFields: commonSorts, lockable: true, movable: false, detailsField: "lifecyleDetails"),
        ResourceSpec(kind: .packagingConfig, collection: ResourceKind.packagingConfig.collectionPath, ocidType: ResourceKind.packagingConfig.ocidTypes[0],
                     createFields: [.required("displayName"), .required("distributionChannelId"),
                                    .required("streamPackagingFormat", .oneOf(["HLS", "DASH"])), .required("segmentTimeInSeconds", .int),
                                    .optional("encryption", .object)] + createCommon,
                     updatableFields: [.optional("displayName")] + tags,
                     states: channelStates, initialState: .active, listScope: "distributionChannelId", scopeRequired: true,
                     listFilters: common + [ListFilter(parameter: "streamPackagingConfigId", field: "id", indexed: false)],
                     sortFields: commonSorts, lockable: true, movable: false, detailsField: "lifecycleDetails"),
        ResourceSpec(kind: .asset, collection: ResourceKind.asset.collectionPath, ocidType: ResourceKind.asset.ocidTypes[0],
                     createFields: [.required("compartmentId"), .required("type", .oneOf(assetTypes)), .optional("displayName"),
                                    .optional("bucketName"), .optional("namespaceName"), .optional("objectName"), .optional("objectEtag"),
                                    .optional("parentMediaAssetId"), .optional("masterMediaAssetId"), .optional("mediaWorkflowJobId"),
                                    .optional("sourceMediaWorkflowId"), .optional("sourceMediaWorkflowVersion", .int),
                                    .optional("segmentRangeStartIndex", .int), .optional("segmentRangeEndIndex", .int),
                                    .optional("metadata", .array), .optional("mediaAssetTags", .array)] + createCommon,
                     updatableFields: [.optional("displayName"), .optional("type", .oneOf(assetTypes)), .optional("parentMediaAssetId"),
                                       .optional("masterMediaAssetId"), .optional("metadata", .array), .optional("mediaAssetTags", .array)] + tags,
                     states: [.creating, .updating, .active, .deleting, .deleted, .failed], initialState: .active,
                     listScope: "compartmentId", scopeRequired: false,
                     listFilters: common + ["type", "bucketName", "objectName", "mediaWorkflowJobId", "parentMediaAssetId", "masterMediaAssetId",
                                            "sourceMediaWorkflowId", "sourceMediaWorkflowVersion"]
                        .map { ListFilter(parameter: $0, field: $0, indexed: false) },
                     sortFields: commonSorts.merging(["type": "type", "parentMediaAssetId": "parentMediaAssetId",
                                                      "masterMediaAssetId": "masterMediaAssetId"]) { a, _ in a },
                     lockable: true, movable: true, detailsField: "lifecycleDetails"),
        ResourceSpec(kind: .attachment, collection: nil, ocidType: "mediaassetattachment",
                     createFields: [], updatableFields: [],
                     states: [.creating, .active, .needsAttention, .updating], initialState: .active,
                     listScope: "mediaAssetId", scopeRequired: true,
                     listFilters: [ListFilter(parameter: "displayName", field: "displayName", indexed: false),
                                   ListFilter(parameter: "distributionChannelId", field: "distributionChannelId", indexed: false)],
                     sortFields: ["displayName": "displayName", "mediaAssetId": "mediaAssetId", "distributionChannelId": "distributionChannelId",
                                  "version": "version"], lockable: false, movable: false, detailsField: "lifecycleDetails"),
    ]
}

extension Fields {
    /// Checks every field of `specs` that is present (and that the required ones are) against its type.
    func check(_ specs: [FieldSpec]) throws(APIError) {
        for spec in specs {
            if spec.required, value(spec.name) == nil { throw .missing(prefix + spec.name) }
            switch spec.type {
            case .string: _ = spec.required ? try requiredString(spec.name) : try string(spec.name)
            case .int: _ = try int(spec.name)
            case .bool: _ = try bool(spec.name)
            case .array: _ = try array(spec.name)
            case .stringArray: _ = try stringArray(spec.name)
            case .object: _ = try object(spec.name)
            case let .oneOf(allowed): if value(spec.name) != nil { _ = try oneOf(spec.name, allowed) }
            }
        }
    }
}
