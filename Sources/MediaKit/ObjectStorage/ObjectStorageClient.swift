// Object Storage 20160918 operations mediactl needs: namespace, buckets, objects (put from a file region,
// get to a file, head, list, delete) and multipart uploads. Bodies stream from and to disk; the wire
// forms follow the Python SDK (oci/object_storage/object_storage_client.py).
import FoundationEssentials
import Glibc

/// What HeadObject/GetObject report about an object (from response headers).
public struct ObjectHead: Sendable, Equatable {
    public var size: Int64
    public var etag: String?
    /// base64 MD5 of the bytes (single-part objects; `content-md5`).
    public var md5: String?
    /// `{base64 md5 of the parts' md5s}-{count}` (multipart objects; `opc-multipart-md5`).
    public var multipartMD5: String?
    public var contentType: String?
    public var lastModified: String?
    /// `opc-meta-*` headers, names without the prefix.
    public var metadata: [String: String]

    init(_ response: HTTPResponse) {
        size = response.header("content-length").flatMap { Int64($0) } ?? 0
        etag = response.header("etag")
        md5 = response.header("content-md5")
        multipartMD5 = response.header("opc-multipart-md5")
        contentType = response.header("content-type")
        lastModified = response.header("last-modified")
        var meta: [String: String] = [:]
        for (name, value) in response.headers where name.hasPrefix("opc-meta-") { meta[String(name.dropFirst(9))] = value }
        metadata = meta
    }

    public var json: JSONValue {
        var o: JSONValue = ["size": .int(Int(size))]
        if let etag { o.set("etag", .string(etag)) }
        if let md5 { o.set("md5", .string(md5)) }
        if let multipartMD5 { o.set("multipartMd5", .string(multipartMD5)) }
        if let contentType { o.set("contentType", .string(contentType)) }
        if let lastModified { o.set("lastModified", .string(lastModified)) }
        if !metadata.isEmpty { o.set("metadata", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })) }
        return o
    }
}

/// One page of ListObjects: the summaries as received (`name`, and the `fields` asked for).
public struct ObjectPage: Sendable {
    public let objects: [JSONValue]
    public let prefixes: [String]
    /// Where the next page starts (`nextStartWith`); nil on the last page.
    public let nextStartWith: String?
}

/// The answer to PutObject or UploadPart.
public struct ObjectWrite: Sendable, Equatable {
    public var etag: String
    /// `opc-content-md5`: base64 MD5 of the bytes the service received.
    public var md5: String?
}

/// A part the service holds for an upload (ListMultipartUploadParts).
public struct UploadedPart: Sendable, Equatable {
    public var partNumber: Int
    public var etag: String
    public var md5: String
    public var size: Int64

    public init(partNumber: Int, etag: String, md5: String, size: Int64) {
        self.partNumber = partNumber
        self.etag = etag
        self.md5 = md5
        self.size = size
    }
}

public struct ObjectStorageClient: Sendable {
    let transport: any HTTPTransport
    public let endpoint: RequestURL
    /// A realm-specific template's endpoint for a call naming a namespace (`NAMESPACE.objectstorage…`), if any.
    let namespacedEndpoint: (@Sendable (String) -> RequestURL)?
    let requestID: @Sendable () -> String
    let core: OCIRequestCore

    public init(transport: any HTTPTransport, endpoint: RequestURL,
                namespacedEndpoint: (@Sendable (String) -> RequestURL)? = nil,
                requestID: @escaping @Sendable () -> String = Identifiers.requestID) {
        self.transport = transport
        self.endpoint = endpoint
        self.namespacedEndpoint = namespacedEndpoint
        self.requestID = requestID
        core = OCIRequestCore(transport: transport, base: { path in Self.base(for: path, endpoint: endpoint, namespaced: namespacedEndpoint) },
                              requestID: requestID)
    }

    // MARK: namespace and buckets

    /// GetNamespace (`GET /n`): the tenancy's namespace, a JSON string on the wire. `compartmentID` (the SDK's
    /// optional `compartmentId` query) asks for another tenancy's, by one of its compartments.
    public func namespace(compartmentID: String? = nil) throws(MediaError) -> String {
        var query: [(String, String)] = []
        query.add("compartmentId", compartmentID)
        let (json, response) = try send("GET", "/n", query: query)
        if let text = json.stringValue, !text.isEmpty { return text }
        // Some proxies strip the quotes; the SDK accepts the bare text too.
        let bare = String(decoding: response.body, as: UTF8.self).trimming(.whitespacesAndNewlines)
        guard !bare.isEmpty, !bare.hasPrefix("{"), !bare.hasPrefix("[") else { throw .network("GET /n: the response is not a namespace string") }
        return bare
    }

    public func createBucket(namespace: String, name: String, compartmentID: String) throws(MediaError) -> JSONValue {
        try send("POST", "/n/\(Self.segment(namespace))/b", body: ["name": .string(name), "compartmentId": .string(compartmentID)]).0
    }

    public func getBucket(namespace: String, name: String) throws(MediaError) -> JSONValue {
        try send("GET", "/n/\(Self.segment(namespace))/b/\(Self.segment(name))").0
    }

    // MARK: objects

    /// PutObject from a file region, streamed. `md5` (base64) goes as `Content-MD5`, which the service checks.
    /// Signed without content headers, as the SDK signs it.
    public func putObject(namespace: String, bucket: String, object: String, body: FileRegion, contentType: String? = nil,
                          md5: String? = nil, metadata: [String: String] = [:],
                          progress: (@Sendable (Int64) -> Void)? = nil) throws(MediaError) -> ObjectWrite {
        var headers: [(String, String)] = [("content-type", contentType ?? "application/octet-stream")]
        if let md5 { headers.append(("content-md5", md5)) }
        for (k, v) in metadata.sorted(by: { $0.key < $1.key }) { headers.append(("opc-meta-\(k)", v)) }
        let response = try upload(objectPath(namespace, bucket, object), query: [], body: body, headers: headers, progress: progress)
        return try Self.write(response, md5: md5, what: "PUT \(object)")
    }

    /// GetObject into `file` (written as it arrives; nothing is held in memory). Callers wanting an atomic
    /// result pass a temporary path and rename it.
    public func getObject(namespace: String, bucket: String, object: String, to file: String,
                          progress: (@Sendable (Int64) -> Void)? = nil) throws(MediaError) -> ObjectHead {
        var request = core.request("GET", objectPath(namespace, bucket, object))
        request.responseFile = file
        if let progress { request.progress = { _, received in progress(received) } }
        return ObjectHead(try core.send(request))
    }

    public func headObject(namespace: String, bucket: String, object: String) throws(MediaError) -> ObjectHead {
        return ObjectHead(try core.send(core.request("HEAD", objectPath(namespace, bucket, object))))
    }

    public func deleteObject(namespace: String, bucket: String, object: String) throws(MediaError) {
        _ = try send("DELETE", objectPath(namespace, bucket, object))
    }

    /// One page of ListObjects. `fields` is the SDK's comma list (`name,size,md5,timeCreated,etag`).
    public func listObjects(namespace: String, bucket: String, prefix: String? = nil, start: String? = nil,
                            limit: Int? = nil, fields: String? = "name,size,md5,timeCreated,etag") throws(MediaError) -> ObjectPage {
        var query: [(String, String)] = []
        if let prefix, !prefix.isEmpty { query.append(("prefix", prefix)) }
        if let start { query.append(("start", start)) }
        if let limit { query.append(("limit", String(limit))) }
        if let fields { query.append(("fields", fields)) }
        let path = "/n/\(Self.segment(namespace))/b/\(Self.segment(bucket))/o"
        let (json, _) = try send("GET", path, query: query)
        guard let objects = json["objects"]?.arrayValue else { throw .network("GET \(path): the response has no objects array") }
        let prefixes = json["prefixes"]?.arrayValue?.compactMap(\.stringValue) ?? []
        return ObjectPage(objects: objects, prefixes: prefixes,
                          nextStartWith: json["nextStartWith"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 })
    }

    // MARK: multipart

    /// CreateMultipartUpload; returns the uploadId.
    public func createMultipartUpload(namespace: String, bucket: String, object: String, contentType: String? = nil,
                                      metadata: [String: String] = [:]) throws(MediaError) -> String {
        var body: JSONValue = ["object": .string(object)]
        if let contentType { body.set("contentType", .string(contentType)) }
        if !metadata.isEmpty { body.set("metadata", .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) })) }
        let path = "/n/\(Self.segment(namespace))/b/\(Self.segment(bucket))/u"
        let (json, _) = try send("POST", path, body: body)
        guard let id = json["uploadId"]?.stringValue, !id.isEmpty else { throw .network("POST \(path): the response has no uploadId") }
        return id
    }

    /// UploadPart (numbers from 1), streamed from `body`, with its `Content-MD5`.
    public func uploadPart(namespace: String, bucket: String, object: String, uploadID: String, partNumber: Int,
                           body: FileRegion, md5: String?, progress: (@Sendable (Int64) -> Void)? = nil) throws(MediaError) -> ObjectWrite {
        var headers: [(String, String)] = []
        if let md5 { headers.append(("content-md5", md5)) }
        let query = [("uploadId", uploadID), ("uploadPartNum", String(partNumber))]
        let response = try upload(uploadPath(namespace, bucket, object), query: query, body: body, headers: headers, progress: progress)
        return try Self.write(response, md5: md5, what: "part \(partNumber) of \(object)")
    }

    /// ListMultipartUploadParts, every page.
    public func listUploadParts(namespace: String, bucket: String, object: String, uploadID: String) throws(MediaError) -> [UploadedPart] {
        var parts: [UploadedPart] = []
        var page: String?
        for _ in 0..<10_000 {
            var query = [("uploadId", uploadID), ("limit", "1000")]
            if let page { query.append(("page", page)) }
            let (json, response) = try send("GET", uploadPath(namespace, bucket, object), query: query)
            guard let items = json.arrayValue else { throw .network("GET parts of \(object): the response is not an array") }
            for item in items {
                guard let n = item["partNumber"]?.intValue, let etag = item["etag"]?.stringValue else { continue }
                parts.append(UploadedPart(partNumber: n, etag: etag, md5: item["md5"]?.stringValue ?? "",
                                          size: Int64(item["size"]?.intValue ?? -1)))
            }
            guard let next = response.header("opc-next-page"), !next.isEmpty, next != page else { break }
            page = next
        }
        return parts
    }

    /// CommitMultipartUpload; returns the object's etag and `opc-multipart-md5`.
    public func commitMultipartUpload(namespace: String, bucket: String, object: String, uploadID: String,
                                      parts: [(number: Int, etag: String)]) throws(MediaError) -> (etag: String, multipartMD5: String?) {
        let body: JSONValue = ["partsToCommit": .array(parts.map { ["partNum": .int($0.number), "etag": .string($0.etag)] })]
        let (_, response) = try send("POST", uploadPath(namespace, bucket, object), query: [("uploadId", uploadID)], body: body)
        return (response.header("etag") ?? "", response.header("opc-multipart-md5"))
    }

    public func abortMultipartUpload(namespace: String, bucket: String, object: String, uploadID: String) throws(MediaError) {
        _ = try send("DELETE", uploadPath(namespace, bucket, object), query: [("uploadId", uploadID)])
    }

    // MARK: paths (percent-encoded as the SDK does)

    /// An object name as one path segment, as oci 2.189.0 sends it: Object Storage path parameters are encoded
    /// strictly (base_client.py should_enable_strict_url_encoding: `quote(value, safe='')`), so "/" is %2F and
    /// everything but `A-Za-z0-9_.-~` is %XX (UTF-8); a name that is just "." or ".." has its dots as %2E, so no
    /// server or proxy can read it as a dot segment of the path.
    public static func objectNameSegment(_ name: String) -> String {
        let encoded = Query.encode(name)
        return encoded == "." || encoded == ".." ? encoded.replacing(".", with: "%2E") : encoded
    }

    /// Namespace and bucket names (no slashes allowed in them).
    static func segment(_ value: String) -> String { Query.encode(value) }

    func objectPath(_ ns: String, _ bucket: String, _ object: String) -> String {
        "/n/\(Self.segment(ns))/b/\(Self.segment(bucket))/o/\(Self.objectNameSegment(object))"
    }

    func uploadPath(_ ns: String, _ bucket: String, _ object: String) -> String {
        "/n/\(Self.segment(ns))/b/\(Self.segment(bucket))/u/\(Self.objectNameSegment(object))"
    }

    /// Bucket names: letters, digits, `-`, `_`, `.`, 1 to 256 characters (the service's rule); nil when fine.
    public static func bucketNameProblem(_ name: String) -> String? {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.")
        if name.isEmpty || name.count > 256 || !name.allSatisfy({ allowed.contains($0) }) {
            return "expected 1 to 256 letters, digits, '-', '_' or '.', got '\(name.prefix(80))'"
        }
        return nil
    }

    /// Object names: 1 to 1024 bytes of UTF-8, no NUL or line breaks; nil when fine.
    public static func objectNameProblem(_ name: String) -> String? {
        if name.isEmpty || name.utf8.count > 1024 { return "expected 1 to 1024 bytes, got \(name.utf8.count)" }
        if name.contains(where: { $0 == "\0" || $0.isNewline }) { return "must not contain NUL or line breaks" }
        if name == "." || name == ".." { return "'.' and '..' are not object names" }
        return nil
    }

    // MARK: plumbing

    /// The SDK fills a template's `{namespaceName+Dot}` from the namespace of every call that names one; here
    /// every such path is `/n/{namespace}/…` (namespaces are lower-case letters and digits, so the segment is
    /// the name itself). GetNamespace (`/n`) names none, and goes to the template's bare host.
    static func base(for path: String, endpoint: RequestURL, namespaced: (@Sendable (String) -> RequestURL)?) -> RequestURL {
        guard let namespaced, path.hasPrefix("/n/") else { return endpoint }
        let namespace = path.dropFirst(3).prefix { $0 != "/" }
        return namespace.isEmpty ? endpoint : namespaced(String(namespace))
    }

    private func upload(_ path: String, query: [(String, String)], body: FileRegion, headers: [(String, String)],
                        progress: (@Sendable (Int64) -> Void)?) throws(MediaError) -> HTTPResponse {
        var request = core.request("PUT", path, query: query, headers: headers)
        request.bodyFile = body
        request.signsBodyHeaders = false
        if let progress { request.progress = { sent, _ in progress(sent) } }
        return try core.send(request)
    }

    private static func write(_ response: HTTPResponse, md5: String?, what: String) throws(MediaError) -> ObjectWrite {
        let received = response.header("opc-content-md5")
        if let md5, let received, received != md5 {
            throw .network("\(what): the service computed MD5 \(received) for the bytes it received, but the file's is \(md5)")
        }
        return ObjectWrite(etag: response.header("etag") ?? "", md5: received)
    }

    private func send(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                      headers: [(String, String)] = []) throws(MediaError) -> (JSONValue, HTTPResponse) {
        let reply = try core.json(method, path, query: query, body: body, headers: headers)
        return (reply.json, reply.response)
    }
}
