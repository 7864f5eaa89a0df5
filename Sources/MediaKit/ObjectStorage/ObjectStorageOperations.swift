// Object Storage calls beyond put/get: bucket list/create/delete, rename and copy, pending multipart uploads,
// pre-authenticated requests; and typed summaries (objects, buckets, uploads, PARs) over the objects as received.
// Wire forms from oci 2.189.0 object_storage_client.py.
import FoundationEssentials

/// An entry of ListObjects (`name`, and the `fields` asked for).
public struct ObjectSummary: Sendable, Equatable {
    public let json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var name: String { json["name"]?.stringValue ?? "" }
    public var size: Int64? { json["size"]?.intValue.map(Int64.init) }
    public var timeCreated: String? { json["timeCreated"]?.stringValue }
    public var timeModified: String? { json["timeModified"]?.stringValue }
    /// base64 MD5 (single-part objects) or `{md5}-{parts}` (multipart).
    public var md5: String? { json["md5"]?.stringValue }
    public var etag: String? { json["etag"]?.stringValue }
    public var storageTier: String? { json["storageTier"]?.stringValue }
}

extension ObjectPage {
    public var summaries: [ObjectSummary] { objects.map(ObjectSummary.init) }
}

/// An entry of ListBuckets.
public struct BucketSummary: Sendable, Equatable {
    public let json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var name: String { json["name"]?.stringValue ?? "" }
    public var namespace: String? { json["namespace"]?.stringValue }
    public var compartmentID: String? { json["compartmentId"]?.stringValue }
    public var createdBy: String? { json["createdBy"]?.stringValue }
    public var timeCreated: String? { json["timeCreated"]?.stringValue }
    public var etag: String? { json["etag"]?.stringValue }
}

/// An upload the service holds open (ListMultipartUploads).
public struct MultipartUploadSummary: Sendable, Equatable {
    public let json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var namespace: String? { json["namespace"]?.stringValue }
    public var bucket: String? { json["bucket"]?.stringValue }
    public var object: String { json["object"]?.stringValue ?? "" }
    public var uploadID: String { json["uploadId"]?.stringValue ?? "" }
    public var timeCreated: String? { json["timeCreated"]?.stringValue }
    public var storageTier: String? { json["storageTier"]?.stringValue }
}

/// A pre-authenticated request. `accessUri` and `fullPath` come only in the create answer: the secret that lets a
/// holder in without credentials, shown once.
public struct PreauthenticatedRequest: Sendable, Equatable {
    public let json: JSONValue
    public init(json: JSONValue) { self.json = json }

    public var id: String { json["id"]?.stringValue ?? "" }
    public var name: String? { json["name"]?.stringValue }
    public var objectName: String? { json["objectName"]?.stringValue }
    public var accessType: String? { json["accessType"]?.stringValue }
    public var bucketListingAction: String? { json["bucketListingAction"]?.stringValue }
    public var timeExpires: String? { json["timeExpires"]?.stringValue }
    public var timeCreated: String? { json["timeCreated"]?.stringValue }
    public var accessURI: String? { json["accessUri"]?.stringValue }
    public var fullPath: String? { json["fullPath"]?.stringValue }
}

/// CreatePreauthenticatedRequestDetails' `accessType`.
public enum PARAccessType: String, Sendable, CaseIterable {
    case objectRead = "ObjectRead", objectWrite = "ObjectWrite", objectReadWrite = "ObjectReadWrite"
    case anyObjectWrite = "AnyObjectWrite", anyObjectRead = "AnyObjectRead", anyObjectReadWrite = "AnyObjectReadWrite"
}

/// A page of a list whose answer is a bare array, with the `opc-next-page` header.
public struct SummaryPage<Item: Sendable>: Sendable {
    public let items: [Item]
    public let nextPage: String?
}

extension SummaryPage {
    /// Every page from the first, following `opc-next-page` (bounded; stops if a server repeats a token).
    public static func all(_ fetch: (_ page: String?) throws(MediaError) -> SummaryPage<Item>) throws(MediaError) -> [Item] {
        try OCIRequestCore.allPages { (page) throws(MediaError) in
            let p = try fetch(page)
            return (p.items, p.nextPage)
        }
    }
}

/// CreateBucketDetails beyond name and compartment.
public struct BucketSettings: Sendable, Equatable {
    public var metadata: [String: String]?
    /// NoPublicAccess, ObjectRead, ObjectReadWithoutList.
    public var publicAccessType: String?
    /// Standard, Archive.
    public var storageTier: String?
    public var objectEventsEnabled: Bool?
    public var tags = Tags()
    public var kmsKeyID: String?
    /// Enabled, Disabled.
    public var versioning: String?
    /// Disabled, InfrequentAccess.
    public var autoTiering: String?

    public init() {}

    func apply(to body: inout JSONValue) {
        if let metadata { body.set("metadata", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })) }
        body.set("publicAccessType", ifGiven: publicAccessType)
        body.set("storageTier", ifGiven: storageTier)
        body.set("objectEventsEnabled", ifGiven: objectEventsEnabled)
        tags.apply(to: &body)
        body.set("kmsKeyId", ifGiven: kmsKeyID)
        body.set("versioning", ifGiven: versioning)
        body.set("autoTiering", ifGiven: autoTiering)
    }
}

/// UpdateBucketDetails: only what is set is sent (the service keeps the rest). The settings are those a create takes,
/// but for the storage tier, which no update changes (never sent); versioning takes Enabled or Suspended here (a
/// versioned bucket cannot go back to Disabled).
public struct BucketUpdate: Sendable, Equatable {
    /// Move the bucket to this compartment.
    public var compartmentID: String?
    public var settings = BucketSettings()

    public init() {}

    /// True when nothing would change.
    public var isEmpty: Bool { body == .object([]) }

    var body: JSONValue {
        var body: JSONValue = .object([])
        body.set("compartmentId", ifGiven: compartmentID)
        var changes = settings
        changes.storageTier = nil
        changes.apply(to: &body)
        return body
    }
}

/// CopyObjectDetails: where a copy goes (same or another region, namespace, bucket).
public struct ObjectCopy: Sendable, Equatable {
    public var sourceObject: String
    public var destinationRegion: String
    public var destinationNamespace: String
    public var destinationBucket: String
    public var destinationObject: String
    public var sourceIfMatchETag: String?
    public var sourceVersionID: String?
    public var destinationIfMatchETag: String?
    public var destinationIfNoneMatchETag: String?
    public var destinationMetadata: [String: String]?
    public var destinationStorageTier: String?

    public init(sourceObject: String, destinationRegion: String, destinationNamespace: String, destinationBucket: String,
                destinationObject: String) {
        self.sourceObject = sourceObject
        self.destinationRegion = destinationRegion
        self.destinationNamespace = destinationNamespace
        self.destinationBucket = destinationBucket
        self.destinationObject = destinationObject
    }

    var body: JSONValue {
        var o: JSONValue = ["sourceObjectName": .string(sourceObject)]
        o.set("sourceObjectIfMatchETag", ifGiven: sourceIfMatchETag)
        o.set("sourceVersionId", ifGiven: sourceVersionID)
        o.set("destinationRegion", .string(destinationRegion))
        o.set("destinationNamespace", .string(destinationNamespace))
        o.set("destinationBucket", .string(destinationBucket))
        o.set("destinationObjectName", .string(destinationObject))
        o.set("destinationObjectIfMatchETag", ifGiven: destinationIfMatchETag)
        o.set("destinationObjectIfNoneMatchETag", ifGiven: destinationIfNoneMatchETag)
        if let destinationMetadata {
            o.set("destinationObjectMetadata", .object(destinationMetadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }))
        }
        o.set("destinationObjectStorageTier", ifGiven: destinationStorageTier)
        return o
    }
}

extension ObjectStorageClient {
    func bucketPath(_ ns: String, _ bucket: String) -> String { "/n/\(Self.segment(ns))/b/\(Self.segment(bucket))" }

    /// A bare-array answer as items, with `opc-next-page`.
    func arrayPage<Item>(_ path: String, query: [(String, String)], _ make: (JSONValue) -> Item) throws(MediaError) -> SummaryPage<Item> {
        let reply = try core.json("GET", path, query: query)
        guard let items = reply.json.arrayValue else {
            throw .network("GET \(path): the response is \(reply.json.typeName.withArticle), not an array")
        }
        return SummaryPage(items: items.map(make), nextPage: reply.nextPage)
    }

    // MARK: buckets

    /// ListBuckets of a compartment; `fields: ["tags"]` adds the tags.
    public func listBuckets(namespace: String, compartmentID: String, limit: Int? = nil, page: String? = nil,
                            fields: [String]? = nil) throws(MediaError) -> SummaryPage<BucketSummary> {
        var query = [("compartmentId", compartmentID)]
        query.add("limit", limit)
        query.add("page", page)
        query.add("fields", fields?.joined(separator: ","))
        return try arrayPage("/n/\(Self.segment(namespace))/b", query: query, BucketSummary.init)
    }

    public func listAllBuckets(namespace: String, compartmentID: String, limit: Int? = nil, fields: [String]? = nil) throws(MediaError) -> [BucketSummary] {
        try OCIRequestCore.allPages { (page) throws(MediaError) in
            let p = try listBuckets(namespace: namespace, compartmentID: compartmentID, limit: limit, page: page, fields: fields)
            return (p.items, p.nextPage)
        }
    }

    /// CreateBucket with every setting CreateBucketDetails has.
    public func createBucket(namespace: String, name: String, compartmentID: String, settings: BucketSettings) throws(MediaError) -> JSONValue {
        var body: JSONValue = ["name": .string(name), "compartmentId": .string(compartmentID)]
        settings.apply(to: &body)
        return try core.json("POST", "/n/\(Self.segment(namespace))/b", body: body).json
    }

    /// HeadBucket: the bucket's etag; a missing bucket is `.notFound`, one whose etag is no longer `ifMatch` a 412 `.conflict`.
    public func headBucket(namespace: String, name: String, ifMatch: String? = nil) throws(MediaError) -> String? {
        var headers: [(String, String)] = []
        headers.add("if-match", ifMatch)
        return try core.send(core.request("HEAD", bucketPath(namespace, name), headers: headers)).header("etag")
    }

    /// UpdateBucket with what `update` sets; `ifMatch` is the bucket's etag. The answer is the bucket.
    public func updateBucket(namespace: String, name: String, update: BucketUpdate, ifMatch: String? = nil) throws(MediaError) -> JSONValue {
        var headers: [(String, String)] = []
        headers.add("if-match", ifMatch)
        return try core.json("POST", bucketPath(namespace, name), body: update.body, headers: headers).json
    }

    /// DeleteBucket (it must be empty); `ifMatch` is the bucket's etag.
    public func deleteBucket(namespace: String, name: String, ifMatch: String? = nil) throws(MediaError) {
        var headers: [(String, String)] = []
        headers.add("if-match", ifMatch)
        _ = try core.json("DELETE", bucketPath(namespace, name), headers: headers)
    }

    // MARK: rename and copy

    /// RenameObject within a bucket, with the SDK's optional etag conditions.
    public func renameObject(namespace: String, bucket: String, from source: String, to newName: String, sourceIfMatch: String? = nil,
                             newIfMatch: String? = nil, newIfNoneMatch: String? = nil) throws(MediaError) {
        var body: JSONValue = ["sourceName": .string(source), "newName": .string(newName)]
        body.set("srcObjIfMatchETag", ifGiven: sourceIfMatch)
        body.set("newObjIfMatchETag", ifGiven: newIfMatch)
        body.set("newObjIfNoneMatchETag", ifGiven: newIfNoneMatch)
        _ = try core.json("POST", "\(bucketPath(namespace, bucket))/actions/renameObject", body: body)
    }

    /// CopyObject: the service copies asynchronously; returns the work request id (`opc-work-request-id`).
    public func copyObject(namespace: String, bucket: String, _ copy: ObjectCopy) throws(MediaError) -> String? {
        let reply = try core.json("POST", "\(bucketPath(namespace, bucket))/actions/copyObject", body: copy.body)
        return reply.response.header("opc-work-request-id")
    }

    // MARK: multipart uploads

    /// ListMultipartUploads: uploads begun and neither committed nor aborted.
    public func listMultipartUploads(namespace: String, bucket: String, limit: Int? = nil,
                                     page: String? = nil) throws(MediaError) -> SummaryPage<MultipartUploadSummary> {
        var query: [(String, String)] = []
        query.add("limit", limit)
        query.add("page", page)
        return try arrayPage("\(bucketPath(namespace, bucket))/u", query: query, MultipartUploadSummary.init)
    }

    public func listAllMultipartUploads(namespace: String, bucket: String, limit: Int? = nil) throws(MediaError) -> [MultipartUploadSummary] {
        try OCIRequestCore.allPages { (page) throws(MediaError) in
            let p = try listMultipartUploads(namespace: namespace, bucket: bucket, limit: limit, page: page)
            return (p.items, p.nextPage)
        }
    }

    // MARK: pre-authenticated requests

    /// CreatePreauthenticatedRequest; the answer's `accessUri` is the secret link (shown once).
    public func createPreauthenticatedRequest(namespace: String, bucket: String, name: String, accessType: PARAccessType,
                                              expires: Date, objectName: String? = nil,
                                              bucketListingAction: String? = nil) throws(MediaError) -> PreauthenticatedRequest {
        var body: JSONValue = ["name": .string(name)]
        body.set("bucketListingAction", ifGiven: bucketListingAction)
        body.set("objectName", ifGiven: objectName)
        body.set("accessType", .string(accessType.rawValue))
        body.set("timeExpires", .string(Timestamps.rfc3339(expires)))
        return PreauthenticatedRequest(json: try core.json("POST", "\(bucketPath(namespace, bucket))/p", body: body).json)
    }

    public func getPreauthenticatedRequest(namespace: String, bucket: String, id: String) throws(MediaError) -> PreauthenticatedRequest {
        PreauthenticatedRequest(json: try core.json("GET", "\(bucketPath(namespace, bucket))/p/\(Self.segment(id))").json)
    }

    public func listPreauthenticatedRequests(namespace: String, bucket: String, objectNamePrefix: String? = nil, limit: Int? = nil,
                                             page: String? = nil) throws(MediaError) -> SummaryPage<PreauthenticatedRequest> {
        var query: [(String, String)] = []
        query.add("objectNamePrefix", objectNamePrefix)
        query.add("limit", limit)
        query.add("page", page)
        return try arrayPage("\(bucketPath(namespace, bucket))/p", query: query, PreauthenticatedRequest.init)
    }

    public func listAllPreauthenticatedRequests(namespace: String, bucket: String, objectNamePrefix: String? = nil,
                                                limit: Int? = nil) throws(MediaError) -> [PreauthenticatedRequest] {
        try OCIRequestCore.allPages { (page) throws(MediaError) in
            let p = try listPreauthenticatedRequests(namespace: namespace, bucket: bucket, objectNamePrefix: objectNamePrefix,
                                                     limit: limit, page: page)
            return (p.items, p.nextPage)
        }
    }

    /// The link a PAR's `accessUri` (a path, in the create answer only) makes on the endpoint its namespace's calls go
    /// to: what a holder opens without credentials. An absolute `accessUri` is returned as it is.
    public func accessURL(accessURI: String, namespace: String) -> String {
        if accessURI.hasPrefix("https://") || accessURI.hasPrefix("http://") { return accessURI }
        let base = Self.base(for: "/n/\(Self.segment(namespace))/", endpoint: endpoint, namespaced: namespacedEndpoint)
        return base.appending(path: accessURI.hasPrefix("/") ? accessURI : "/" + accessURI).description
    }

    public func deletePreauthenticatedRequest(namespace: String, bucket: String, id: String) throws(MediaError) {
        _ = try core.json("DELETE", "\(bucketPath(namespace, bucket))/p/\(Self.segment(id))")
    }
}
