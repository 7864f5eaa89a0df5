// Media Services 20211101 operations (protocols.md §6.2): typed request bodies in, the API's
// resource objects out, exactly as received.
import FoundationEssentials

/// The resource collections mediactl manages, with their paths, OCID types and list filters.
public enum ResourceKind: String, CaseIterable, Sendable {
    case workflow, job, channel, cdnConfig = "cdn-config", packagingConfig = "packaging-config", asset
    /// MediaWorkflowConfiguration: named parameters a workflow or a job layers under its own.
    case configuration = "workflow-config"

    public var collectionPath: String {
        switch self {
        case .workflow: "/mediaWorkflows"
        case .job: "/mediaWorkflowJobs"
        case .channel: "/streamDistributionChannels"
        case .cdnConfig: "/streamCdnConfigs"
        case .packagingConfig: "/streamPackagingConfigs"
        case .asset: "/mediaAssets"
        case .configuration: "/mediaWorkflowConfigurations"
        }
    }

    /// The OCID resource types of this kind: first the one the service issues (protocols.md §6.1a, from Oracle's
    /// lab and SDK examples), then the `mediastream…` spellings earlier mediactl versions and emulators issued.
    /// Only a mix-up between these known kinds is refused (`OCID.mixUp`); any other type is the service's to judge.
    public var ocidTypes: [String] {
        switch self {
        case .workflow: ["mediaworkflow"]
        case .job: ["mediaworkflowjob"]
        case .channel: ["streamdistributionchannel", "mediastreamdistributionchannel"]
        case .cdnConfig: ["streamcdnconfig", "mediastreamcdnconfig"]
        case .packagingConfig: ["streampackagingconfig", "mediastreampackagingconfig"]
        case .asset: ["mediaasset"]
        case .configuration: ["mediaworkflowconfiguration"]
        }
    }

    /// Lists of CDN and packaging configs are scoped by channel; the rest by compartment.
    public var listScope: String { self == .cdnConfig || self == .packagingConfig ? "distributionChannelId" : "compartmentId" }

    public var noun: String {
        switch self {
        case .workflow: "media workflow"
        case .job: "media workflow job"
        case .channel: "distribution channel"
        case .cdnConfig: "CDN config"
        case .packagingConfig: "packaging config"
        case .asset: "media asset"
        case .configuration: "media workflow configuration"
        }
    }
}

/// Stream packaging encryption (protocols.md §6.3).
public enum PackagingEncryption: Sendable, Equatable {
    case none
    case aes128(kmsKeyID: String?)

    var json: JSONValue {
        switch self {
        case .none: return ["algorithm": "NONE"]
        case let .aes128(kms):
            if let kms { return ["algorithm": "AES128", "kmsKeyId": .string(kms)] }
            return ["algorithm": "AES128"]
        }
    }
}

public struct MediaServicesClient: Sendable {
    let transport: any HTTPTransport
    public let endpoint: RequestURL
    let retryToken: @Sendable () -> String
    let requestID: @Sendable () -> String
    let core: OCIRequestCore

    public init(transport: any HTTPTransport, endpoint: RequestURL,
                retryToken: @escaping @Sendable () -> String = Identifiers.retryToken,
                requestID: @escaping @Sendable () -> String = Identifiers.requestID) {
        self.transport = transport
        self.endpoint = endpoint
        self.retryToken = retryToken
        self.requestID = requestID
        core = OCIRequestCore(transport: transport, endpoint: endpoint, requestID: requestID)
    }

    /// This client with `token` as the opc-retry-token of every create and action: a create sent again with the
    /// same token (by a rerun that lost the first answer, even after a crash) returns the first one's resource
    /// instead of making a second. Derive the token from what identifies the step (protocols.md §5.3).
    public func withRetryToken(_ token: String) -> MediaServicesClient {
        MediaServicesClient(transport: transport, endpoint: endpoint, retryToken: { token }, requestID: requestID)
    }

    // MARK: generic resource calls

    public func create(_ kind: ResourceKind, body: JSONValue) throws(MediaError) -> Resource {
        try core.resource("POST", kind.collectionPath, body: body, headers: retryTokenHeader())
    }

    /// The resource, with its `etag` (for `ifMatch` on a later update or delete).
    public func get(_ kind: ResourceKind, id: String) throws(MediaError) -> Resource {
        try core.resource("GET", path(kind, id))
    }

    public func delete(_ kind: ResourceKind, id: String) throws(MediaError) {
        _ = try core.json("DELETE", path(kind, id))
    }

    /// Delete with the SDK's optional `if-match` header and `isLockOverride` query (a locked resource refuses
    /// a delete unless overridden).
    public func delete(_ kind: ResourceKind, id: String, ifMatch: String?, isLockOverride: Bool? = nil) throws(MediaError) {
        try delete(collection: kind.collectionPath, id: id, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    func delete(collection: String, id: String, ifMatch: String?, isLockOverride: Bool?) throws(MediaError) {
        var query: [(String, String)] = []
        query.add("isLockOverride", isLockOverride)
        _ = try core.json("DELETE", path(collection, id), query: query, headers: ifMatchHeader(ifMatch))
    }

    /// Update (`PUT`) with the fields in `body` (the kind's Update…Details), `if-match` and `isLockOverride`.
    public func update(_ kind: ResourceKind, id: String, body: JSONValue, ifMatch: String? = nil,
                       isLockOverride: Bool? = nil) throws(MediaError) -> Resource {
        try update(collection: kind.collectionPath, id: id, body: body, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    func update(collection: String, id: String, body: JSONValue, ifMatch: String?, isLockOverride: Bool?) throws(MediaError) -> Resource {
        var query: [(String, String)] = []
        query.add("isLockOverride", isLockOverride)
        return try core.resource("PUT", path(collection, id), query: query, body: body, headers: ifMatchHeader(ifMatch))
    }

    /// One page. `filters` are sent in the order given.
    public func list(_ kind: ResourceKind, filters: [(String, String)], limit: Int? = nil, page: String? = nil) throws(MediaError) -> Page {
        try list(kind, ListOptions(filters: filters, limit: limit, page: page))
    }

    /// One page with filters, sort and paging.
    public func list(_ kind: ResourceKind, _ options: ListOptions) throws(MediaError) -> Page {
        try core.page(kind.collectionPath, query: options.query)
    }

    /// Every page, following `opc-next-page` (bounded, in case a server loops).
    public func listAll(_ kind: ResourceKind, filters: [(String, String)], limit: Int? = nil, maxPages: Int = 10_000) throws(MediaError) -> [Resource] {
        try listAll(kind, ListOptions(filters: filters, limit: limit), maxPages: maxPages)
    }

    /// Every page of `options` from its `page` on, following `opc-next-page`.
    public func listAll(_ kind: ResourceKind, _ options: ListOptions, maxPages: Int = 10_000) throws(MediaError) -> [Resource] {
        try listAll(path: kind.collectionPath, options, maxPages: maxPages)
    }

    /// Every page of any Media Services collection (system workflows, task declarations, attachments).
    func listAll(path: String, _ options: ListOptions, maxPages: Int = 10_000) throws(MediaError) -> [Resource] {
        var options = options
        return try OCIRequestCore.allPages(maxPages: maxPages) { (token) throws(MediaError) in
            if let token { options.page = token }
            let p = try core.page(path, query: options.query)
            return (p.items, p.nextPage)
        }
    }

    /// ChangeCompartment: moves the resource (workflows, configurations, jobs, assets and channels have it).
    public func changeCompartment(_ kind: ResourceKind, id: String, compartmentID: String, ifMatch: String? = nil,
                                  isLockOverride: Bool? = nil) throws(MediaError) {
        guard kind.canChangeCompartment else {
            throw .usage("a \(kind.noun) cannot be moved to another compartment (it lives in its channel's)")
        }
        try changeCompartment(collection: kind.collectionPath, id: id, compartmentID: compartmentID, ifMatch: ifMatch, isLockOverride: isLockOverride)
    }

    func changeCompartment(collection: String, id: String, compartmentID: String, ifMatch: String?, isLockOverride: Bool?) throws(MediaError) {
        var query: [(String, String)] = []
        query.add("isLockOverride", isLockOverride)
        _ = try core.json("POST", "\(path(collection, id))/actions/changeCompartment", query: query,
                          body: ["compartmentId": .string(compartmentID)], headers: retryTokenHeader() + ifMatchHeader(ifMatch))
    }

    /// AddLock: a FULL lock refuses updates and deletes, a DELETE lock deletes, unless overridden. Returns the resource.
    public func addLock(_ kind: ResourceKind, id: String, _ lock: ResourceLock, ifMatch: String? = nil) throws(MediaError) -> Resource {
        try lockAction("addLock", collection: kind.collectionPath, id: id, lock, ifMatch: ifMatch)
    }

    /// RemoveLock: the lock to remove is named by its type (and compartment / related resource, as added).
    public func removeLock(_ kind: ResourceKind, id: String, _ lock: ResourceLock, ifMatch: String? = nil) throws(MediaError) -> Resource {
        try lockAction("removeLock", collection: kind.collectionPath, id: id, lock, ifMatch: ifMatch)
    }

    func lockAction(_ action: String, collection: String, id: String, _ lock: ResourceLock, ifMatch: String?) throws(MediaError) -> Resource {
        try core.resource("POST", "\(path(collection, id))/actions/\(action)", body: lock.json,
                          headers: retryTokenHeader() + ifMatchHeader(ifMatch))
    }

    // MARK: the lab's operations

    public func createWorkflow(compartmentID: String, displayName: String, definition: WorkflowDefinition) throws(MediaError) -> Resource {
        try create(.workflow, body: definition.createBody(compartmentID: compartmentID, displayName: displayName))
    }

    public func createJob(workflowID: String, compartmentID: String, displayName: String?, parameters: JSONValue) throws(MediaError) -> Resource {
        try createJob(workflow: .id(workflowID), compartmentID: compartmentID, displayName: displayName, parameters: parameters)
    }

    public func createChannel(compartmentID: String, displayName: String, tags: Tags = Tags()) throws(MediaError) -> Resource {
        var body: JSONValue = ["compartmentId": .string(compartmentID), "displayName": .string(displayName)]
        tags.apply(to: &body)
        return try create(.channel, body: body)
    }

    /// An OCI Edge CDN config (origin straight from OCI).
    public func createEdgeCdnConfig(channelID: String, displayName: String, tags: Tags = Tags()) throws(MediaError) -> Resource {
        try createCdnConfig(channelID: channelID, displayName: displayName, config: .edge, isEnabled: true, tags: tags)
    }


    /// Registers an HLS master playlist already in Object Storage as a PLAYLIST asset.
    public func createPlaylistAsset(compartmentID: String, displayName: String, namespace: String, bucket: String, object: String) throws(MediaError) -> Resource {
        try create(.asset, body: ["compartmentId": .string(compartmentID), "displayName": .string(displayName), "type": "PLAYLIST",
                                  "bucketName": .string(bucket), "namespaceName": .string(namespace), "objectName": .string(object)])
    }

    /// Ingests an asset into a channel; returns the ingest job's OCID.
    public func ingest(channelID: String, assetID: String, compartmentID: String) throws(MediaError) -> String {
        let json = try core.json("POST", "\(path(.channel, channelID))/actions/ingest",
                                 body: ["ingestPayloadType": "ASSET_METADATA_MEDIA_ASSET", "mediaAssetId": .string(assetID),
                                        "compartmentId": .string(compartmentID)], headers: retryTokenHeader()).json
        guard let job = json["mediaWorkflowJobId"]?.stringValue, !job.isEmpty else {
            throw .network("the ingest response has no mediaWorkflowJobId")
        }
        return job
    }

    // MARK: plumbing

    func path(_ kind: ResourceKind, _ id: String) -> String { path(kind.collectionPath, id) }

    func path(_ collection: String, _ id: String) -> String { "\(collection)/\(Query.encode(id))" }

    /// One token per logical call, reused by every retry, so a lost response never duplicates a create.
    func retryTokenHeader() -> [(String, String)] { [("opc-retry-token", retryToken())] }

    func ifMatchHeader(_ etag: String?) -> [(String, String)] { etag.map { [("if-match", $0)] } ?? [] }
}

/// Query strings built in one place: RFC 3986 unreserved characters kept, all else percent-encoded.
public enum Query {
    static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    public static func encode(_ value: String) -> String {
        var out = ""
        for b in value.utf8 {
            if unreserved.contains(b) { out.append(Character(Unicode.Scalar(b))) } else { out += String(cFormat: "%%%02X", b) }
        }
        return out
    }

    public static func string(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }
}

/// Request ids and retry tokens in the SDK's forms (protocols.md §5.2, §5.3).
public enum Identifiers {
    /// UUID4 hex without dashes, upper-case (32 chars).
    @Sendable public static func requestID() -> String {
        UUID().uuidString.replacing("-", with: "").uppercased()
    }

    /// 30 random [A-Za-z0-9] characters.
    @Sendable public static func retryToken() -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789")
        return String(Digest.randomBytes(30).map { alphabet[Int($0) % alphabet.count] })
    }
}

extension String {
    /// "an object", "a number": for messages about JSON shapes.
    var withArticle: String { (first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + self }
}
