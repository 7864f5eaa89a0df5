// Media Services 20211101 operations (protocols.md §6.2): typed request bodies in, the API's
// resource objects out, exactly as received.
import FoundationEssentials

/// The resource collections mediactl manages, with their paths, OCID types and list filters.
public enum ResourceKind: String, CaseIterable, Sendable {
    case workflow, job, channel, cdnConfig = "cdn-config", packagingConfig = "packaging-config", asset

    public var collectionPath: String {
        switch self {
        case .workflow: "/mediaWorkflows"
        case .job: "/mediaWorkflowJobs"
        case .channel: "/streamDistributionChannels"
        case .cdnConfig: "/streamCdnConfigs"
        case .packagingConfig: "/streamPackagingConfigs"
        case .asset: "/mediaAssets"
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
        }
    }
}

/// A resource object as the API returned it, with the fields the CLI prints read out of it.
public struct Resource: Sendable, Equatable {
    public let json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var id: String { json["id"]?.stringValue ?? "" }
    public var displayName: String? { json["displayName"]?.stringValue }
    public var lifecycleState: String? { json["lifecycleState"]?.stringValue }
    /// MediaWorkflow, configurations and CDN configs spell it `lifecyleDetails` on the wire (G8).
    public var lifecycleDetails: String? { json["lifecycleDetails"]?.stringValue ?? json["lifecyleDetails"]?.stringValue }
    public var domainName: String? { json["domainName"]?.stringValue }
}

public struct Page: Sendable {
    public let items: [Resource]
    public let nextPage: String?
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

    public init(transport: any HTTPTransport, endpoint: RequestURL,
                retryToken: @escaping @Sendable () -> String = Identifiers.retryToken,
                requestID: @escaping @Sendable () -> String = Identifiers.requestID) {
        self.transport = transport
        self.endpoint = endpoint
        self.retryToken = retryToken
        self.requestID = requestID
    }

    /// This client with `token` as the opc-retry-token of every create and action: a create sent again with the
    /// same token (by a rerun that lost the first answer, even after a crash) returns the first one's resource
    /// instead of making a second. Derive the token from what identifies the step (protocols.md §5.3).
    public func withRetryToken(_ token: String) -> MediaServicesClient {
        MediaServicesClient(transport: transport, endpoint: endpoint, retryToken: { token }, requestID: requestID)
    }

    // MARK: generic resource calls

    public func create(_ kind: ResourceKind, body: JSONValue) throws(MediaError) -> Resource {
        try resource("POST", kind.collectionPath, body: body, retryToken: true)
    }

    public func get(_ kind: ResourceKind, id: String) throws(MediaError) -> Resource {
        try resource("GET", "\(kind.collectionPath)/\(Query.encode(id))")
    }

    public func delete(_ kind: ResourceKind, id: String) throws(MediaError) {
        _ = try call("DELETE", "\(kind.collectionPath)/\(Query.encode(id))")
    }

    /// One page. `filters` are sent in the order given.
    public func list(_ kind: ResourceKind, filters: [(String, String)], limit: Int? = nil, page: String? = nil) throws(MediaError) -> Page {
        var query = filters
        if let limit { query.append(("limit", String(limit))) }
        if let page { query.append(("page", page)) }
        let (json, response) = try send("GET", kind.collectionPath, query: query, body: nil, retryToken: false)
        let what = "GET \(endpoint.appending(path: kind.collectionPath).path)"
        // A collection is {"items": [objects]}; any other shape is a broken answer, not an empty list.
        guard let list = json["items"]?.arrayValue ?? json.arrayValue else {
            let shape = json["items"].map { "items is \($0.typeName.withArticle)" } ?? "has no items"
            throw .network("\(what): the response's \(shape), not an array")
        }
        for (i, item) in list.enumerated() where !item.isObject {
            throw .network("\(what): the response's items/\(i) is \(item.typeName.withArticle), not an object")
        }
        let items = list.map(Resource.init)
        return Page(items: items, nextPage: response.header("opc-next-page").flatMap { $0.isEmpty ? nil : $0 })
    }

    /// Every page, following `opc-next-page` (bounded, in case a server loops).
    public func listAll(_ kind: ResourceKind, filters: [(String, String)], limit: Int? = nil, maxPages: Int = 10_000) throws(MediaError) -> [Resource] {
        var all: [Resource] = []
        var page: String?
        var seen = Set<String>()
        for _ in 0..<maxPages {
            let p = try list(kind, filters: filters, limit: limit, page: page)
            all += p.items
            guard let next = p.nextPage, seen.insert(next).inserted else { return all }
            page = next
        }
        return all
    }

    // MARK: the lab's operations

    public func createWorkflow(compartmentID: String, displayName: String, definition: WorkflowDefinition) throws(MediaError) -> Resource {
        try create(.workflow, body: definition.createBody(compartmentID: compartmentID, displayName: displayName))
    }

    public func createJob(workflowID: String, compartmentID: String, displayName: String?, parameters: JSONValue) throws(MediaError) -> Resource {
        var body: JSONValue = ["workflowIdentifierType": "ID", "mediaWorkflowId": .string(workflowID),
                               "compartmentId": .string(compartmentID)]
        if let displayName { body.set("displayName", .string(displayName)) }
        body.set("parameters", parameters)
        return try create(.job, body: body)
    }

    public func createChannel(compartmentID: String, displayName: String) throws(MediaError) -> Resource {
        try create(.channel, body: ["compartmentId": .string(compartmentID), "displayName": .string(displayName)])
    }

    /// An OCI Edge CDN config (origin straight from OCI).
    public func createEdgeCdnConfig(channelID: String, displayName: String) throws(MediaError) -> Resource {
        try create(.cdnConfig, body: ["displayName": .string(displayName), "distributionChannelId": .string(channelID),
                                      "isEnabled": true, "config": ["type": "EDGE"]])
    }

    public func createPackagingConfig(channelID: String, displayName: String, format: String, segmentSeconds: Int,
                                      encryption: PackagingEncryption) throws(MediaError) -> Resource {
        try create(.packagingConfig, body: ["distributionChannelId": .string(channelID), "displayName": .string(displayName),
                                            "streamPackagingFormat": .string(format), "segmentTimeInSeconds": .int(segmentSeconds),
                                            "encryption": encryption.json])
    }

    /// Registers an HLS master playlist already in Object Storage as a PLAYLIST asset.
    public func createPlaylistAsset(compartmentID: String, displayName: String, namespace: String, bucket: String, object: String) throws(MediaError) -> Resource {
        try create(.asset, body: ["compartmentId": .string(compartmentID), "displayName": .string(displayName), "type": "PLAYLIST",
                                  "bucketName": .string(bucket), "namespaceName": .string(namespace), "objectName": .string(object)])
    }

    /// Ingests an asset into a channel; returns the ingest job's OCID.
    public func ingest(channelID: String, assetID: String, compartmentID: String) throws(MediaError) -> String {
        let json = try call("POST", "/streamDistributionChannels/\(Query.encode(channelID))/actions/ingest",
                            body: ["ingestPayloadType": "ASSET_METADATA_MEDIA_ASSET", "mediaAssetId": .string(assetID),
                                   "compartmentId": .string(compartmentID)], retryToken: true)
        guard let job = json["mediaWorkflowJobId"]?.stringValue, !job.isEmpty else {
            throw .network("the ingest response has no mediaWorkflowJobId")
        }
        return job
    }

    // MARK: plumbing

    /// A create or get answer: an object with a string id, or a network error naming what came instead
    /// (a proxy's page or a truncated answer must not print as a resource with an empty id).
    func resource(_ method: String, _ path: String, body: JSONValue? = nil, retryToken: Bool = false) throws(MediaError) -> Resource {
        let (json, response) = try send(method, path, query: [], body: body, retryToken: retryToken)
        let what = "\(method) \(endpoint.appending(path: path).path)"
        if response.body.isEmpty { throw .network("\(what): the response is empty, not an object") }
        guard json.isObject else { throw .network("\(what): the response is \(json.typeName.withArticle), not an object") }
        guard let id = json["id"]?.stringValue, !id.isEmpty else { throw .network("\(what): the response has no id") }
        return Resource(json: json)
    }

    func call(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
              retryToken: Bool = false) throws(MediaError) -> JSONValue {
        try send(method, path, query: query, body: body, retryToken: retryToken).0
    }

    func send(_ method: String, _ path: String, query: [(String, String)], body: JSONValue?,
              retryToken: Bool) throws(MediaError) -> (JSONValue, HTTPResponse) {
        let url = endpoint.appending(path: path, query: query.isEmpty ? nil : Query.string(query))
        var request = HTTPRequest(method: method, url: url)
        request.setHeader("accept", "application/json")
        request.setHeader("opc-request-id", requestID())
        if let body {
            request.body = body.data
            request.setHeader("content-type", "application/json")
        }
        // One token per logical call, reused by every retry, so a lost response never duplicates a create.
        if retryToken { request.setHeader("opc-retry-token", self.retryToken()) }
        let response = try transport.send(request)
        guard response.isSuccess else { throw MediaError.from(OCIErrorBody.failure(response, request: request)) }
        if response.body.isEmpty || method == "DELETE" { return (.null, response) }
        do { return (try JSONParser.parse(response.body), response) } catch {
            throw .network("\(method) \(url.path): the response is not valid JSON (\(error.description))")
        }
    }
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
