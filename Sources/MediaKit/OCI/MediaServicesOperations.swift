// The rest of MediaServicesClient's operations (oci 2.189.0 media_services_client.py): updates, configurations,
// system workflows and task declarations, create-job-by-name, assets of any type, channel attachments, CDN and
// packaging configs with every field. Bodies carry only the fields given, as the SDK sends them.
import FoundationEssentials

/// UpdateMediaWorkflowDetails.
public struct WorkflowUpdate: Sendable, Equatable {
    public var displayName: String?
    public var tasks: JSONValue?
    public var configurationIDs: [String]?
    public var parameters: JSONValue?
    public var tags = Tags()

    public init(displayName: String? = nil, tasks: JSONValue? = nil, configurationIDs: [String]? = nil, parameters: JSONValue? = nil,
                tags: Tags = Tags()) {
        self.displayName = displayName
        self.tasks = tasks
        self.configurationIDs = configurationIDs
        self.parameters = parameters
        self.tags = tags
    }

    public var body: JSONValue {
        var o: JSONValue = [:]
        o.set("displayName", ifGiven: displayName)
        o.set("tasks", ifGiven: tasks)
        o.set("mediaWorkflowConfigurationIds", ifGiven: configurationIDs)
        o.set("parameters", ifGiven: parameters)
        tags.apply(to: &o)
        return o
    }
}

/// The update of a job, channel or packaging config, and (with `parameters`) of a workflow configuration:
/// a display name and tags.
public struct NameAndTagsUpdate: Sendable, Equatable {
    public var displayName: String?
    /// Workflow configurations only.
    public var parameters: JSONValue?
    public var tags = Tags()

    public init(displayName: String? = nil, parameters: JSONValue? = nil, tags: Tags = Tags()) {
        self.displayName = displayName
        self.parameters = parameters
        self.tags = tags
    }

    public var body: JSONValue {
        var o: JSONValue = [:]
        o.set("displayName", ifGiven: displayName)
        o.set("parameters", ifGiven: parameters)
        tags.apply(to: &o)
        return o
    }
}

/// A CDN config's `config`: OCI Edge, or Akamai set up by hand (protocols.md §6.3).
public enum CdnConfig: Sendable, Equatable {
    case edge
    case akamaiManual(AkamaiSettings)

    public struct AkamaiSettings: Sendable, Equatable {
        public var originAuthSignType: String?
        public var originAuthSignEncryption: String?
        public var originAuthSecretKeyA: String?
        public var originAuthSecretKeyNonceA: String?
        public var originAuthSecretKeyB: String?
        public var originAuthSecretKeyNonceB: String?
        public var edgeHostname: String?
        public var edgePathPrefix: String?
        public var isEdgeTokenAuth: Bool?
        public var edgeTokenKey: String?
        public var edgeTokenSalt: String?

        public init(originAuthSignType: String? = nil, originAuthSignEncryption: String? = nil, originAuthSecretKeyA: String? = nil,
                    originAuthSecretKeyNonceA: String? = nil, originAuthSecretKeyB: String? = nil, originAuthSecretKeyNonceB: String? = nil,
                    edgeHostname: String? = nil, edgePathPrefix: String? = nil, isEdgeTokenAuth: Bool? = nil,
                    edgeTokenKey: String? = nil, edgeTokenSalt: String? = nil) {
            self.originAuthSignType = originAuthSignType
            self.originAuthSignEncryption = originAuthSignEncryption
            self.originAuthSecretKeyA = originAuthSecretKeyA
            self.originAuthSecretKeyNonceA = originAuthSecretKeyNonceA
            self.originAuthSecretKeyB = originAuthSecretKeyB
            self.originAuthSecretKeyNonceB = originAuthSecretKeyNonceB
            self.edgeHostname = edgeHostname
            self.edgePathPrefix = edgePathPrefix
            self.isEdgeTokenAuth = isEdgeTokenAuth
            self.edgeTokenKey = edgeTokenKey
            self.edgeTokenSalt = edgeTokenSalt
        }
    }

    public var json: JSONValue {
        switch self {
        case .edge: return ["type": "EDGE"]
        case let .akamaiManual(a):
            var o: JSONValue = ["type": "AKAMAI_MANUAL"]
            o.set("originAuthSignType", ifGiven: a.originAuthSignType)
            o.set("originAuthSignEncryption", ifGiven: a.originAuthSignEncryption)
            o.set("originAuthSecretKeyA", ifGiven: a.originAuthSecretKeyA)
            o.set("originAuthSecretKeyNonceA", ifGiven: a.originAuthSecretKeyNonceA)
            o.set("originAuthSecretKeyB", ifGiven: a.originAuthSecretKeyB)
            o.set("originAuthSecretKeyNonceB", ifGiven: a.originAuthSecretKeyNonceB)
            o.set("edgeHostname", ifGiven: a.edgeHostname)
            o.set("edgePathPrefix", ifGiven: a.edgePathPrefix)
            o.set("isEdgeTokenAuth", ifGiven: a.isEdgeTokenAuth)
            o.set("edgeTokenKey", ifGiven: a.edgeTokenKey)
            o.set("edgeTokenSalt", ifGiven: a.edgeTokenSalt)
            return o
        }
    }
}

/// UpdateStreamCdnConfigDetails.
public struct CdnConfigUpdate: Sendable, Equatable {
    public var displayName: String?
    public var isEnabled: Bool?
    public var config: CdnConfig?
    public var tags = Tags()

    public init(displayName: String? = nil, isEnabled: Bool? = nil, config: CdnConfig? = nil, tags: Tags = Tags()) {
        self.displayName = displayName
        self.isEnabled = isEnabled
        self.config = config
        self.tags = tags
    }

    public var body: JSONValue {
        var o: JSONValue = [:]
        o.set("displayName", ifGiven: displayName)
        o.set("isEnabled", ifGiven: isEnabled)
        o.set("config", ifGiven: config?.json)
        tags.apply(to: &o)
        return o
    }
}

/// A media asset tag (`{"type": "USER|SYSTEM", "value"}`).
public struct MediaAssetTag: Sendable, Equatable {
    public var type: String
    public var value: String

    public init(type: String = "USER", value: String) {
        self.type = type
        self.value = value
    }

    var json: JSONValue { ["type": .string(type), "value": .string(value)] }
}

/// The fields of a media asset a create or update may set (CreateMediaAssetDetails / UpdateMediaAssetDetails).
public struct MediaAssetFields: Sendable, Equatable {
    public var displayName: String?
    /// AUDIO, VIDEO, PLAYLIST, IMAGE, CAPTION_FILE, UNKNOWN (required on create).
    public var type: String?
    public var parentMediaAssetID: String?
    public var masterMediaAssetID: String?
    /// `metadata` entries, each a string (`[{"metadata": "…"}]` on the wire).
    public var metadata: [String]?
    public var mediaAssetTags: [MediaAssetTag]?
    public var tags = Tags()
    // Create only:
    public var object: ObjectLocation?
    public var objectEtag: String?
    public var sourceMediaWorkflowID: String?
    public var sourceMediaWorkflowVersion: Int?
    public var mediaWorkflowJobID: String?
    public var segmentRangeStartIndex: Int?
    public var segmentRangeEndIndex: Int?
    public var locks: [ResourceLock] = []

    public init(displayName: String? = nil, type: String? = nil) {
        self.displayName = displayName
        self.type = type
    }

    /// UpdateMediaAssetDetails: the fields the API lets an update change.
    public var updateBody: JSONValue {
        var o: JSONValue = [:]
        o.set("displayName", ifGiven: displayName)
        o.set("type", ifGiven: type)
        o.set("parentMediaAssetId", ifGiven: parentMediaAssetID)
        o.set("masterMediaAssetId", ifGiven: masterMediaAssetID)
        o.set("metadata", ifGiven: metadata.map { JSONValue.array($0.map { ["metadata": .string($0)] }) })
        o.set("mediaAssetTags", ifGiven: mediaAssetTags.map { JSONValue.array($0.map(\.json)) })
        tags.apply(to: &o)
        return o
    }

    /// CreateMediaAssetDetails in `compartmentID`.
    public func createBody(compartmentID: String) -> JSONValue {
        var o: JSONValue = [:]
        o.set("sourceMediaWorkflowId", ifGiven: sourceMediaWorkflowID)
        o.set("mediaWorkflowJobId", ifGiven: mediaWorkflowJobID)
        o.set("sourceMediaWorkflowVersion", ifGiven: sourceMediaWorkflowVersion)
        o.set("displayName", ifGiven: displayName)
        o.set("compartmentId", .string(compartmentID))
        o.set("type", ifGiven: type)
        o.set("parentMediaAssetId", ifGiven: parentMediaAssetID)
        o.set("masterMediaAssetId", ifGiven: masterMediaAssetID)
        if let object {
            o.set("bucketName", .string(object.bucket))
            o.set("namespaceName", .string(object.namespace))
            o.set("objectName", .string(object.object))
        }
        o.set("objectEtag", ifGiven: objectEtag)
        o.set("metadata", ifGiven: metadata.map { JSONValue.array($0.map { ["metadata": .string($0)] }) })
        o.set("segmentRangeStartIndex", ifGiven: segmentRangeStartIndex)
        o.set("segmentRangeEndIndex", ifGiven: segmentRangeEndIndex)
        o.set("mediaAssetTags", ifGiven: mediaAssetTags.map { JSONValue.array($0.map(\.json)) })
        tags.apply(to: &o)
        o.set("locks", locks: locks)
        return o
    }
}

/// DeleteMediaAsset's `deleteMode`.
public enum AssetDeleteMode: String, Sendable, CaseIterable {
    case deleteChildren = "DELETE_CHILDREN", deleteDerivations = "DELETE_DERIVATIONS"
}

/// How a job names its workflow (`workflowIdentifierType`).
public enum WorkflowIdentifier: Sendable, Equatable {
    /// A workflow of the tenancy, by OCID.
    case id(String)
    /// A system workflow, by name (`GET /systemMediaWorkflows`).
    case name(String)
}

extension MediaServicesClient {
    // MARK: updates

    public func updateWorkflow(id: String, _ changes: WorkflowUpdate, ifMatch: String? = nil, isLockOverride: Bool? = nil) throws(MediaError) -> Resource {
        try update(.workflow, id: id, body: changes.body, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    public func updateJob(id: String, _ changes: NameAndTagsUpdate, ifMatch: String? = nil, isLockOverride: Bool? = nil) throws(MediaError) -> Resource {
        try update(.job, id: id, body: changes.body, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    public func updateConfiguration(id: String, _ changes: NameAndTagsUpdate, ifMatch: String? = nil,
                                    isLockOverride: Bool? = nil) throws(MediaError) -> Resource {
        try update(collection: Self.configurations, id: id, body: changes.body, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    public func updateChannel(id: String, _ changes: NameAndTagsUpdate, ifMatch: String? = nil, isLockOverride: Bool? = nil) throws(MediaError) -> Resource {
        try update(.channel, id: id, body: changes.body, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    public func updatePackagingConfig(id: String, _ changes: NameAndTagsUpdate, ifMatch: String? = nil,
                                      isLockOverride: Bool? = nil) throws(MediaError) -> Resource {
        try update(.packagingConfig, id: id, body: changes.body, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    public func updateCdnConfig(id: String, _ changes: CdnConfigUpdate, ifMatch: String? = nil, isLockOverride: Bool? = nil) throws(MediaError) -> Resource {
        try update(.cdnConfig, id: id, body: changes.body, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    public func updateAsset(id: String, _ changes: MediaAssetFields, ifMatch: String? = nil, isLockOverride: Bool? = nil) throws(MediaError) -> Resource {
        try update(.asset, id: id, body: changes.updateBody, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    // MARK: creates

    /// CreateMediaWorkflow whose jobs layer `configurationIDs`' parameters under their own (protocols.md §6.7).
    public func createWorkflow(compartmentID: String, displayName: String, definition: WorkflowDefinition,
                               configurationIDs: [String], tags: Tags = Tags()) throws(MediaError) -> Resource {
        var body = definition.createBody(compartmentID: compartmentID, displayName: displayName, configurationIDs: configurationIDs)
        tags.apply(to: &body)
        return try create(.workflow, body: body)
    }

    /// CreateMediaWorkflowConfiguration: `parameters` is a free JSON object (protocols.md §6.7).
    public func createConfiguration(compartmentID: String, displayName: String, parameters: JSONValue, tags: Tags = Tags(),
                                    locks: [ResourceLock] = []) throws(MediaError) -> Resource {
        var body: JSONValue = ["displayName": .string(displayName), "parameters": parameters, "compartmentId": .string(compartmentID)]
        tags.apply(to: &body)
        body.set("locks", locks: locks)
        return try core.resource("POST", Self.configurations, body: body, headers: retryTokenHeader())
    }

    // MARK: media workflow configurations (`ResourceKind.configuration`: get, list and delete are the generic calls too)

    static let configurations = ResourceKind.configuration.collectionPath
    /// ListMediaWorkflowConfigurations' filters (sortBy: timeCreated, displayName).
    public static let configurationListFilters = ["compartmentId", "lifecycleState", "displayName", "id"]

    public func getConfiguration(id: String) throws(MediaError) -> Resource {
        try core.resource("GET", path(Self.configurations, id))
    }

    public func listConfigurations(_ options: ListOptions) throws(MediaError) -> Page {
        try core.page(Self.configurations, query: options.query)
    }

    public func listAllConfigurations(_ options: ListOptions, maxPages: Int = 10_000) throws(MediaError) -> [Resource] {
        try listAll(path: Self.configurations, options, maxPages: maxPages)
    }

    public func deleteConfiguration(id: String, ifMatch: String? = nil, isLockOverride: Bool? = nil) throws(MediaError) {
        try delete(collection: Self.configurations, id: id, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    public func changeConfigurationCompartment(id: String, compartmentID: String, ifMatch: String? = nil,
                                               isLockOverride: Bool? = nil) throws(MediaError) {
        try changeCompartment(collection: Self.configurations, id: id, compartmentID: compartmentID, ifMatch: ifMatch,
                              isLockOverride: isLockOverride)
    }

    public func addConfigurationLock(id: String, _ lock: ResourceLock, ifMatch: String? = nil) throws(MediaError) -> Resource {
        try lockAction("addLock", collection: Self.configurations, id: id, lock, ifMatch: ifMatch)
    }

    public func removeConfigurationLock(id: String, _ lock: ResourceLock, ifMatch: String? = nil) throws(MediaError) -> Resource {
        try lockAction("removeLock", collection: Self.configurations, id: id, lock, ifMatch: ifMatch)
    }

    /// CreateMediaWorkflowJob by workflow id or by system workflow name, with configurations and tags.
    public func createJob(workflow: WorkflowIdentifier, compartmentID: String, displayName: String?, parameters: JSONValue?,
                          configurationIDs: [String]? = nil, tags: Tags = Tags(), locks: [ResourceLock] = []) throws(MediaError) -> Resource {
        var body: JSONValue
        switch workflow {
        case let .id(id): body = ["workflowIdentifierType": "ID", "mediaWorkflowId": .string(id)]
        case let .name(name): body = ["workflowIdentifierType": "NAME", "mediaWorkflowName": .string(name)]
        }
        body.set("mediaWorkflowConfigurationIds", ifGiven: configurationIDs)
        body.set("compartmentId", .string(compartmentID))
        body.set("displayName", ifGiven: displayName)
        body.set("parameters", ifGiven: parameters)
        tags.apply(to: &body)
        body.set("locks", locks: locks)
        return try create(.job, body: body)
    }

    /// CreateMediaAsset of any type.
    public func createAsset(compartmentID: String, _ fields: MediaAssetFields) throws(MediaError) -> Resource {
        guard fields.type != nil else { throw .usage("a media asset needs a type (AUDIO, VIDEO, PLAYLIST, IMAGE, CAPTION_FILE or UNKNOWN)") }
        return try create(.asset, body: fields.createBody(compartmentID: compartmentID))
    }

    /// CreateStreamCdnConfig on an existing channel.
    public func createCdnConfig(channelID: String, displayName: String, config: CdnConfig, isEnabled: Bool? = nil,
                                tags: Tags = Tags(), locks: [ResourceLock] = []) throws(MediaError) -> Resource {
        var body: JSONValue = ["displayName": .string(displayName), "distributionChannelId": .string(channelID)]
        body.set("isEnabled", ifGiven: isEnabled)
        body.set("config", config.json)
        tags.apply(to: &body)
        body.set("locks", locks: locks)
        return try create(.cdnConfig, body: body)
    }

    /// CreateStreamPackagingConfig on an existing channel, with tags and locks.
    public func createPackagingConfig(channelID: String, displayName: String, format: String, segmentSeconds: Int,
                                      encryption: PackagingEncryption, tags: Tags = Tags(), locks: [ResourceLock] = []) throws(MediaError) -> Resource {
        var body: JSONValue = ["distributionChannelId": .string(channelID), "displayName": .string(displayName),
                               "streamPackagingFormat": .string(format), "segmentTimeInSeconds": .int(segmentSeconds),
                               "encryption": encryption.json]
        tags.apply(to: &body)
        body.set("locks", locks: locks)
        return try create(.packagingConfig, body: body)
    }

    // MARK: deletes

    /// DeleteMediaAsset with its `deleteMode` (children or derivations too).
    public func deleteAsset(id: String, deleteMode: AssetDeleteMode? = nil, ifMatch: String? = nil, isLockOverride: Bool? = nil) throws(MediaError) {
        var query: [(String, String)] = []
        query.add("isLockOverride", isLockOverride)
        query.add("deleteMode", deleteMode?.rawValue)
        _ = try core.json("DELETE", path(.asset, id), query: query, headers: ifMatchHeader(ifMatch))
    }

    // MARK: system workflows and task declarations

    /// ListSystemMediaWorkflows: `{name, description, parameters, tasks}` items (no ids).
    public func listSystemWorkflows(compartmentID: String? = nil, name: String? = nil, sortOrder: SortOrder? = nil, limit: Int? = nil,
                                    page: String? = nil) throws(MediaError) -> Page {
        try core.page("/systemMediaWorkflows", query: Self.systemWorkflowQuery(compartmentID, name, sortOrder, limit, page))
    }

    public func listAllSystemWorkflows(compartmentID: String? = nil, name: String? = nil, sortOrder: SortOrder? = nil,
                                       limit: Int? = nil) throws(MediaError) -> [Resource] {
        var filters: [(String, String)] = []
        filters.add("compartmentId", compartmentID)
        filters.add("name", name)
        return try listAll(path: "/systemMediaWorkflows", ListOptions(filters: filters, sortOrder: sortOrder, limit: limit))
    }

    static func systemWorkflowQuery(_ compartmentID: String?, _ name: String?, _ sortOrder: SortOrder?, _ limit: Int?,
                                    _ page: String?) -> [(String, String)] {
        var q: [(String, String)] = []
        q.add("compartmentId", compartmentID)
        q.add("name", name)
        q.add("sortOrder", sortOrder?.rawValue)
        q.add("page", page)
        q.add("limit", limit)
        return q
    }

    /// ListMediaWorkflowTaskDeclarations: `{name, version, isCurrent, parametersSchema, …}` items.
    /// `options.sortBy` is `name` or `version`.
    public func listTaskDeclarations(compartmentID: String? = nil, name: String? = nil, version: Int? = nil, isCurrent: Bool? = nil,
                                     _ options: ListOptions = ListOptions()) throws(MediaError) -> Page {
        var options = options
        options.filters = Self.taskDeclarationFilters(compartmentID, name, version, isCurrent) + options.filters
        return try core.page("/mediaWorkflowTaskDeclarations", query: options.query)
    }

    public func listAllTaskDeclarations(compartmentID: String? = nil, name: String? = nil, version: Int? = nil, isCurrent: Bool? = nil,
                                        _ options: ListOptions = ListOptions()) throws(MediaError) -> [Resource] {
        var options = options
        options.filters = Self.taskDeclarationFilters(compartmentID, name, version, isCurrent) + options.filters
        return try listAll(path: "/mediaWorkflowTaskDeclarations", options)
    }

    static func taskDeclarationFilters(_ compartmentID: String?, _ name: String?, _ version: Int?, _ isCurrent: Bool?) -> [(String, String)] {
        var q: [(String, String)] = []
        q.add("compartmentId", compartmentID)
        q.add("name", name)
        q.add("version", version)
        q.add("isCurrent", isCurrent)
        return q
    }

    // MARK: asset ↔ channel attachments

    func attachmentsPath(_ assetID: String) -> String { "\(path(.asset, assetID))/distributionChannelAttachments" }

    /// GetMediaAssetDistributionChannelAttachment (the attachment has no id of its own).
    public func getAttachment(assetID: String, channelID: String, version: Int? = nil) throws(MediaError) -> Resource {
        var query: [(String, String)] = []
        query.add("version", version)
        return try core.resource("GET", "\(attachmentsPath(assetID))/\(Query.encode(channelID))", query: query, requireID: false)
    }

    /// ListMediaAssetDistributionChannelAttachments; filters `displayName`, `distributionChannelId`; sortBy
    /// `mediaAssetId`, `distributionChannelId`, `displayName` or `version`.
    public func listAttachments(assetID: String, _ options: ListOptions = ListOptions()) throws(MediaError) -> Page {
        try core.page(attachmentsPath(assetID), query: options.query)
    }

    public func listAllAttachments(assetID: String, _ options: ListOptions = ListOptions()) throws(MediaError) -> [Resource] {
        try listAll(path: attachmentsPath(assetID), options)
    }

    public func deleteAttachment(assetID: String, channelID: String, version: Int? = nil, ifMatch: String? = nil,
                                 isLockOverride: Bool? = nil) throws(MediaError) {
        var query: [(String, String)] = []
        query.add("isLockOverride", isLockOverride)
        query.add("version", version)
        _ = try core.json("DELETE", "\(attachmentsPath(assetID))/\(Query.encode(channelID))", query: query, headers: ifMatchHeader(ifMatch))
    }
}
