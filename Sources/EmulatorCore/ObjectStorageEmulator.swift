// Object Storage 20160918 (the part mediactl uses) over ObjectStore: namespace, buckets, objects and multipart
// uploads, with the service's headers (etag, content-md5, opc-content-md5, opc-multipart-md5) and 404 codes.
// Signatures are checked by MediaServicesEmulator before a call gets here.
import Foundation
import MediaKit

public final class ObjectStorageEmulator: @unchecked Sendable {
    // @unchecked: state is on disk; `lock` orders multipart bookkeeping.
    public let store: ObjectStore
    public let namespace: String
    let lock = NSLock()
    private let fileManager = FileManager.default
    /// Page size of ListObjects when no limit is given (the service's is 1000).
    public var defaultListLimit = 1000
    /// CopyObject's work requests (ObjectStorageEmulator+PAR.swift), under `lock`.
    var workRequests: [String: JSONValue] = [:]

    /// The compartment of buckets made without one (`buckets` below) and the user reported as every bucket's creator.
    let defaultCompartment: String
    let createdBy: String

    /// `buckets` are created if missing (the emulator pre-creates the ones the lab uses) in `compartment`.
    public init(store: ObjectStore, namespace: String, buckets: [String] = [],
                compartment: String = "ocid1.compartment.oc1..emulator", createdBy: String = "ocid1.user.oc1..emulator") throws {
        self.store = store
        self.namespace = namespace
        self.defaultCompartment = compartment
        self.createdBy = createdBy
        for b in buckets { try store.createBucket(namespace: namespace, bucket: b, compartmentID: compartment) }
    }

    /// Paths Object Storage owns on the shared server.
    public static func owns(_ path: String) -> Bool { path == "/n" || path.hasPrefix("/n/") || path.hasPrefix("/workRequests/") }

    /// Paths of pre-authenticated requests: served without a signature (the token in the path is the credential).
    public static func ownsUnsigned(_ path: String) -> Bool { path.hasPrefix("/p/") }

    /// PutObject and UploadPart: bodies the transport streams to disk, signed without content headers.
    public static func isStreamedUpload(method: String, path: String) -> Bool {
        guard method.uppercased() == "PUT", path.hasPrefix("/n/") else { return false }
        let s = path.split(separator: "/", maxSplits: 5, omittingEmptySubsequences: false)
        // "", "n", ns, "b", bucket, "o|u/..."
        return s.count == 6 && s[3] == "b" && (s[5].hasPrefix("o/") || s[5].hasPrefix("u/"))
    }

    // MARK: routing

    func respond(_ request: ServerRequest, path: String, query: [(String, String)], now: Date) throws(APIError) -> ServerResponse {
        defer { if let file = request.bodyFile { try? fileManager.removeItem(at: file) } }   // moved into the store, or discarded
        let method = request.method.uppercased()
        if path == "/n" || path == "/n/" {
            guard method == "GET" else { throw .methodNotAllowed(method, allowed: ["GET"]) }
            return Self.json(200, .string(namespace))
        }
        if path.hasPrefix("/workRequests/") {
            guard method == "GET" else { throw .methodNotAllowed(method, allowed: ["GET"]) }
            return try workRequest(String(path.dropFirst("/workRequests/".count)).removingPercentEncoding ?? "")
        }
        // /n/{ns}/b[/{bucket}[/o|u[/{object...}]]]
        let parts = path.split(separator: "/", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 3, let ns = parts[2].removingPercentEncoding else { throw .notFound }
        guard ns == namespace else {
            throw APIError(status: 404, code: "NamespaceNotFound", message: "You do not have authorization to perform this request, or the requested resource could not be found.")
        }
        guard parts.count >= 4, parts[3] == "b" else { throw .notFound }
        if parts.count == 4 || (parts.count == 5 && parts[4].isEmpty) {
            switch method {
            case "POST": return try createBucket(request, now: now)
            case "GET": return try listBuckets(query: query)
            default: throw .methodNotAllowed(method, allowed: ["GET", "POST"])
            }
        }
        guard let bucket = parts[4].removingPercentEncoding, !bucket.isEmpty else { throw .notFound }
        if parts.count == 5 {
            if method == "DELETE" { return try deleteBucket(bucket, ifMatch: request.header("if-match")) }
            guard ["GET", "HEAD", "POST"].contains(method) else { throw .methodNotAllowed(method, allowed: ["GET", "HEAD", "POST", "DELETE"]) }
            try requireBucket(bucket)
            try checkIfMatch(request, bucket: bucket)
            if method == "POST" { return try updateBucket(request, bucket) }
            return Self.json(200, bucketJSON(bucket), headers: [("etag", bucketETag(bucket))])
        }
        let rest = parts[5]
        let kind = rest.prefix { $0 != "/" }
        let rawName = rest.dropFirst(kind.count + 1)
        let name = String(rawName).removingPercentEncoding ?? String(rawName)
        try requireBucket(bucket)
        switch (kind, name.isEmpty) {
        case ("o", true):
            guard method == "GET" else { throw .methodNotAllowed(method, allowed: ["GET"]) }
            return try list(bucket, query: query)
        case ("o", false):
            switch method {
            case "PUT": return try putObject(request, bucket: bucket, name: name, now: now)
            case "GET", "HEAD": return try getObject(bucket: bucket, name: name, head: method == "HEAD")
            case "DELETE":
                guard (try? store.delete(namespace: namespace, bucket: bucket, object: name)) == true else { throw objectNotFound(bucket, name) }
                return ServerResponse(status: 204, headers: [("last-modified", Self.httpDate(now))], body: Data())
            default: throw .methodNotAllowed(method, allowed: ["PUT", "GET", "HEAD", "DELETE"])
            }
        case ("u", true):
            switch method {
            case "POST": return try createUpload(request, bucket: bucket, now: now)
            case "GET": return listUploads(bucket)
            default: throw .methodNotAllowed(method, allowed: ["GET", "POST"])
            }
        case ("p", true):
            switch method {
            case "POST": return try createPAR(request, bucket: bucket, now: now)
            case "GET": return try listPARs(bucket: bucket, query: query)
            default: throw .methodNotAllowed(method, allowed: ["GET", "POST"])
            }
        case ("p", false):
            switch method {
            case "GET": return try getPAR(bucket: bucket, id: name)
            case "DELETE": return try deletePAR(bucket: bucket, id: name)
            default: throw .methodNotAllowed(method, allowed: ["GET", "DELETE"])
            }
        case ("actions", false) where name == "copyObject":
            guard method == "POST" else { throw .methodNotAllowed(method, allowed: ["POST"]) }
            return try copyObject(request, bucket: bucket, now: now)
        case ("actions", false) where name == "renameObject":
            guard method == "POST" else { throw .methodNotAllowed(method, allowed: ["POST"]) }
            return try renameObject(request, bucket: bucket)
        case ("u", false):
            guard let uploadID = query.last(where: { $0.0 == "uploadId" })?.1, !uploadID.isEmpty else { throw .missing("uploadId") }
            let upload = try loadUpload(uploadID, bucket: bucket, name: name)
            switch method {
            case "PUT": return try uploadPart(request, upload: upload, query: query)
            case "GET": return try listParts(upload, query: query)
            case "POST": return try commit(request, upload: upload, now: now)
            case "DELETE":
                lock.withLock { try? fileManager.removeItem(at: upload.dir) }
                return ServerResponse(status: 204, headers: [], body: Data())
            default: throw .methodNotAllowed(method, allowed: ["PUT", "GET", "POST", "DELETE"])
            }
        default:
            throw .notFound
        }
    }

    // MARK: buckets

    private func createBucket(_ request: ServerRequest, now: Date) throws(APIError) -> ServerResponse {
        let body: JSONValue
        do { body = try JSONParser.parse(request.body) } catch { throw .cannotParse("The request body is not valid JSON: \(error.description).") }
        guard let name = body["name"]?.stringValue, !name.isEmpty else { throw .missing("name") }
        if let problem = ObjectStorageClient.bucketNameProblem(name) { throw .invalid("name", problem) }
        guard let compartment = body["compartmentId"]?.stringValue, OCID.isValid(compartment) else { throw .invalid("compartmentId", "expected a compartment OCID") }
        let created: Bool
        do { created = try store.createBucket(namespace: namespace, bucket: name, compartmentID: compartment, now: now) }
        catch { throw Self.internalError(error) }
        guard created else { throw APIError(status: 409, code: "BucketAlreadyExists", message: "Either the bucket '\(name)' in namespace '\(namespace)' already exists or you are not authorized to create it") }
        return Self.json(200, bucketJSON(name), headers: [("etag", bucketETag(name))])
    }

    /// GET /n/{ns}/b?compartmentId=…: the compartment's buckets in name order, paged by the next name (`opc-next-page`).
    private func listBuckets(query: [(String, String)]) throws(APIError) -> ServerResponse {
        func q(_ n: String) -> String? { query.last { $0.0 == n }?.1 }
        guard let compartment = q("compartmentId"), !compartment.isEmpty else { throw .missing("compartmentId") }
        var limit = 1000
        if let l = q("limit") {
            guard let n = Int(l), (1...1000).contains(n) else { throw .invalid("limit", "expected a number from 1 to 1000, got '\(l)'") }
            limit = n
        }
        let names = store.bucketNames(namespace: namespace).filter { name in
            bucketCompartment(name) == compartment && q("page").map { name >= $0 } ?? true
        }
        let page = names.prefix(limit).map { bucketJSON($0, summary: true) }
        let next = names.count > limit ? [("opc-next-page", names[limit])] : []
        return Self.json(200, .array(page), headers: next)
    }

    /// Buckets made without a compartment (the pre-created ones) are in the compartment the emulator's profile uses.
    /// GetBucket, HeadBucket and UpdateBucket with `if-match`: only while the bucket's etag is that one (else 412).
    private func checkIfMatch(_ request: ServerRequest, bucket: String) throws(APIError) {
        guard let wanted = request.header("if-match"), wanted != bucketETag(bucket) else { return }
        throw APIError(status: 412, code: "IfMatchFailed", message: "The bucket's etag is not \(wanted).")
    }

    /// The bucket settings UpdateBucket changes beyond compartment, metadata and tags: their values as the service spells them.
    static let updatableChoices: [(key: String, values: [String])] = [
        ("publicAccessType", ["NoPublicAccess", "ObjectRead", "ObjectReadWithoutList"]), ("versioning", ["Enabled", "Suspended"]),
        ("autoTiering", ["Disabled", "InfrequentAccess"])]

    /// UpdateBucket (POST /n/{ns}/b/{bucket}): moves it to `compartmentId`; replaces metadata, tags, publicAccessType,
    /// versioning, autoTiering, objectEventsEnabled and kmsKeyId; answers with the bucket (a new etag). Renaming is not
    /// emulated (400, naming the field).
    private func updateBucket(_ request: ServerRequest, _ bucket: String) throws(APIError) -> ServerResponse {
        let body: JSONValue
        do { body = try JSONParser.parse(request.body) } catch { throw .cannotParse("The request body is not valid JSON: \(error.description).") }
        guard body.isObject else { throw .invalid("body", "expected a JSON object") }
        if let name = body["name"]?.stringValue, name != bucket { throw .invalid("name", "renaming a bucket is not emulated") }
        var changes: [(String, JSONValue)] = []
        if let compartment = body["compartmentId"], compartment != .null {
            guard let id = compartment.stringValue, OCID.isValid(id) else { throw .invalid("compartmentId", "expected a compartment OCID") }
            changes.append(("compartmentId", compartment))
        }
        for (key, check) in [("metadata", "an object of strings"), ("freeformTags", "an object of strings")] {
            guard let value = body[key], value != .null else { continue }
            guard let members = value.objectValue, members.allSatisfy({ $0.1.stringValue != nil }) else { throw .invalid(key, "expected \(check)") }
            changes.append((key, value))
        }
        if let defined = body["definedTags"], defined != .null {
            guard let namespaces = defined.objectValue, namespaces.allSatisfy({ $0.1.isObject }) else {
                throw .invalid("definedTags", "expected an object of tag namespaces to objects")
            }
            changes.append(("definedTags", defined))
        }
        for (key, values) in Self.updatableChoices {
            guard let value = body[key], value != .null else { continue }
            guard let text = value.stringValue, values.contains(text) else { throw .invalid(key, "expected one of \(values.joined(separator: ", "))") }
            changes.append((key, value))
        }
        if let events = body["objectEventsEnabled"], events != .null {
            guard events.boolValue != nil else { throw .invalid("objectEventsEnabled", "expected true or false") }
            changes.append(("objectEventsEnabled", events))
        }
        if let key = body["kmsKeyId"], key != .null {
            guard let id = key.stringValue, OCID.isValid(id) else { throw .invalid("kmsKeyId", "expected a key OCID") }
            changes.append(("kmsKeyId", key))
        }
        do { try store.updateBucketRecord(namespace: namespace, bucket: bucket, changes) } catch { throw Self.internalError(error) }
        return Self.json(200, bucketJSON(bucket), headers: [("etag", bucketETag(bucket))])
    }

    /// DeleteBucket: 204 for an empty bucket, 409 BucketNotEmpty while it holds objects.
    /// DeleteBucket; with `if-match`, only while the bucket's etag is that one (else 412, as the service answers).
    private func deleteBucket(_ bucket: String, ifMatch: String?) throws(APIError) -> ServerResponse {
        if let ifMatch {
            try requireBucket(bucket)
            guard ifMatch == bucketETag(bucket) else {
                throw APIError(status: 412, code: "IfMatchFailed", message: "The bucket's etag is not \(ifMatch).")
            }
        }
        let deleted: Bool?
        do { deleted = try store.deleteBucket(namespace: namespace, bucket: bucket) } catch { throw Self.internalError(error) }
        switch deleted {
        case nil: try requireBucket(bucket); throw .notFound
        case false?: throw APIError(status: 409, code: "BucketNotEmpty", message: "Bucket named '\(bucket)' is not empty. Delete all objects first.")
        case true?: return ServerResponse(status: 204, headers: [], body: Data())
        }
    }

    /// RenameObject: `{"sourceName", "newName"}` and the optional etag conditions; 200 with no body.
    private func renameObject(_ request: ServerRequest, bucket: String) throws(APIError) -> ServerResponse {
        let body: JSONValue
        do { body = try JSONParser.parse(request.body) } catch { throw .cannotParse("The request body is not valid JSON: \(error.description).") }
        guard let source = body["sourceName"]?.stringValue, !source.isEmpty else { throw .missing("sourceName") }
        guard let newName = body["newName"]?.stringValue, !newName.isEmpty else { throw .missing("newName") }
        if let problem = ObjectStorageClient.objectNameProblem(newName) { throw .invalid("newName", problem) }
        guard let info = try? store.info(namespace: namespace, bucket: bucket, object: source) else { throw objectNotFound(bucket, source) }
        // RenameObjectDetails' conditions: the source's etag, and the new name's (`*`: any object there at all).
        let existing = try? store.info(namespace: namespace, bucket: bucket, object: newName)
        if let etag = body["srcObjIfMatchETag"]?.stringValue, etag != info.etag {
            throw APIError(status: 412, code: "IfMatchFailed", message: "The source object's etag is not \(etag).")
        }
        if let etag = body["newObjIfMatchETag"]?.stringValue, etag != existing?.etag {
            throw APIError(status: 412, code: "IfMatchFailed", message: "The object named \(newName) does not have etag \(etag).")
        }
        if let etag = body["newObjIfNoneMatchETag"]?.stringValue, let existing, etag == "*" || etag == existing.etag {
            throw APIError(status: 412, code: "IfNoneMatchFailed", message: "An object named \(newName) already exists.")
        }
        do { try store.renameObject(namespace: namespace, bucket: bucket, from: source, to: newName) } catch { throw Self.internalError(error) }
        return ServerResponse(status: 200, headers: [], body: Data())
    }

    func bucketCompartment(_ name: String) -> String {
        store.bucketInfo(namespace: namespace, bucket: name)?.compartmentID ?? defaultCompartment
    }

    /// Changes with the bucket's settings (an update gives it a new one), as the service's does.
    private func bucketETag(_ name: String) -> String {
        let settings = store.bucketRecord(namespace: namespace, bucket: name)?.compactText ?? ""
        return Digest.sha256(Data("\(namespace)/\(name)\u{0}\(settings)".utf8)).hexLowercase.prefix(32).description
    }

    /// What the SDK's Bucket model declares returned: namespace, name, compartmentId, metadata, createdBy, timeCreated,
    /// etag (a BucketSummary, in lists, has no metadata).
    private func bucketJSON(_ name: String, summary: Bool = false) -> JSONValue {
        let created = store.bucketInfo(namespace: namespace, bucket: name)?.timeCreated ?? Date(timeIntervalSince1970: 0)
        var json: JSONValue = ["namespace": .string(namespace), "name": .string(name), "compartmentId": .string(bucketCompartment(name)),
                               "createdBy": .string(createdBy), "timeCreated": .string(Timestamps.rfc3339(created)),
                               "etag": .string(bucketETag(name))]
        let record = store.bucketRecord(namespace: namespace, bucket: name)
        if let tags = record?["freeformTags"] { json.set("freeformTags", tags) }
        if !summary {
            json.set("metadata", record?["metadata"] ?? .object([]))
            json.set("storageTier", "Standard")
            json.set("publicAccessType", record?["publicAccessType"] ?? "NoPublicAccess")
            for key in ["definedTags", "versioning", "autoTiering", "objectEventsEnabled", "kmsKeyId"] {
                if let value = record?[key] { json.set(key, value) }
            }
        }
        return json
    }

    private func requireBucket(_ bucket: String) throws(APIError) {
        guard store.bucketExists(namespace: namespace, bucket: bucket) else {
            throw APIError(status: 404, code: "BucketNotFound", message: ObjectStoreError.bucketNotFound(namespace: namespace, bucket: bucket).description)
        }
    }

    func objectNotFound(_ bucket: String, _ name: String) -> APIError {
        APIError(status: 404, code: "ObjectNotFound", message: ObjectStoreError.objectNotFound(namespace: namespace, bucket: bucket, object: name).description)
    }

    // MARK: objects

    /// The received body as a file in the store: the streamed one, or the in-memory body written out.
    private func bodyFile(_ request: ServerRequest) throws(APIError) -> URL {
        if let file = request.bodyFile { return file }
        let file = store.temporaryFile()
        do { try request.body.write(to: file) } catch { throw Self.internalError(error) }
        return file
    }

    /// Size and MD5 of a body file: the MD5 the transport computed as the body streamed in, else the file read again.
    private static func bodyHash(_ request: ServerRequest, _ file: URL) throws(APIError) -> (size: Int64, md5: Data) {
        do {
            if let md5 = request.bodyFileMD5, file == request.bodyFile {
                return (try ObjectUploader.fileInfo(file.path).0, md5)
            }
            return try ObjectStore.hashFile(file)
        } catch { throw Self.internalError(error) }
    }

    /// Checks `Content-MD5` (base64) against the bytes, as the service does ("HTTP-400 Unmatched Content MD5", the SDK's docs).
    private static func checkMD5(_ request: ServerRequest, md5: String) throws(APIError) {
        if let claimed = request.header("content-md5"), claimed != md5 {
            throw APIError(status: 400, code: "UnmatchedContentMD5",
                           message: "The computed MD5 of the request body (\(md5)) does not match the Content-MD5 header (\(claimed))")
        }
    }

    func putObject(_ request: ServerRequest, bucket: String, name: String, now: Date) throws(APIError) -> ServerResponse {
        if let problem = ObjectStorageClient.objectNameProblem(name) { throw .invalid("objectName", problem) }
        let file = try bodyFile(request)
        defer { try? fileManager.removeItem(at: file) }
        let hash = try Self.bodyHash(request, file)
        try Self.checkMD5(request, md5: hash.md5.base64EncodedString())
        let info: StoredObject
        do {
            info = try store.put(namespace: namespace, bucket: bucket, object: name, movingFile: file,
                                 contentType: request.header("content-type") ?? "application/octet-stream",
                                 metadata: Self.userMetadata(request), now: now, hash: hash)
        } catch { throw Self.internalError(error) }
        return ServerResponse(status: 200, headers: [("etag", info.etag), ("opc-content-md5", info.md5),
                                                     ("last-modified", Self.httpDate(now))], body: Data())
    }

    func getObject(bucket: String, name: String, head: Bool) throws(APIError) -> ServerResponse {
        let info: StoredObject
        let file: URL
        do {
            info = try store.info(namespace: namespace, bucket: bucket, object: name)
            file = try store.fileURL(namespace: namespace, bucket: bucket, object: name)
        } catch { throw objectNotFound(bucket, name) }
        var headers: [(String, String)] = [("content-type", info.contentType), ("etag", info.etag),
                                           ("last-modified", Self.httpDate(info.timeCreated)), ("accept-ranges", "bytes")]
        if let mp = info.multipartMD5 { headers.append(("opc-multipart-md5", mp)) } else { headers.append(("content-md5", info.md5)) }
        for (k, v) in info.metadata.sorted(by: { $0.key < $1.key }) { headers.append(("opc-meta-\(k)", v)) }
        if head {
            headers.append(("content-length", String(info.size)))
            return ServerResponse(status: 200, headers: headers, body: Data())
        }
        var response = ServerResponse(status: 200, headers: headers, body: Data())
        response.bodyFile = file
        response.bodyLength = info.size
        return response
    }

    func list(_ bucket: String, query: [(String, String)]) throws(APIError) -> ServerResponse {
        func q(_ n: String) -> String? { query.last { $0.0 == n }?.1 }
        var limit = defaultListLimit
        if let l = q("limit") {
            guard let n = Int(l), (1...1000).contains(n) else { throw .invalid("limit", "expected a number from 1 to 1000, got '\(l)'") }
            limit = n
        }
        let fields = Set((q("fields") ?? "name").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) })
        let page: (objects: [StoredObject], nextStart: String?)
        do { page = try store.list(namespace: namespace, bucket: bucket, prefix: q("prefix") ?? "", start: q("start"), limit: limit) }
        catch { throw Self.internalError(error) }
        let objects: [JSONValue] = page.objects.map { o in
            var j: JSONValue = ["name": .string(o.name)]
            if fields.contains("size") { j.set("size", .int(Int(o.size))) }
            if fields.contains("md5") { j.set("md5", .string(o.multipartMD5 ?? o.md5)) }
            if fields.contains("etag") { j.set("etag", .string(o.etag)) }
            if fields.contains("timeCreated") { j.set("timeCreated", .string(Timestamps.rfc3339(o.timeCreated))) }
            return j
        }
        var body: JSONValue = ["objects": .array(objects), "prefixes": .array([])]
        if let next = page.nextStart { body.set("nextStartWith", .string(next)) }
        return Self.json(200, body)
    }

    // MARK: multipart (one directory per upload under `{root}/.uploads/`, so uploads survive a restart)

    struct Upload {
        let id: String
        let dir: URL
        let bucket: String
        let name: String
        let contentType: String
        let metadata: [String: String]
    }

    private var uploadsRoot: URL { store.root.appendingPathComponent(".uploads", isDirectory: true) }

    private func uploadDir(_ id: String) -> URL? {
        guard !id.isEmpty, id.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" }) else { return nil }
        return uploadsRoot.appendingPathComponent(id, isDirectory: true)
    }

    private func createUpload(_ request: ServerRequest, bucket: String, now: Date) throws(APIError) -> ServerResponse {
        let body: JSONValue
        do { body = try JSONParser.parse(request.body) } catch { throw .cannotParse("The request body is not valid JSON: \(error.description).") }
        guard let name = body["object"]?.stringValue else { throw .missing("object") }
        if let problem = ObjectStorageClient.objectNameProblem(name) { throw .invalid("object", problem) }
        let id = UUID().uuidString.lowercased()
        var meta: [(String, JSONValue)] = []
        if case let .object(members)? = body["metadata"] { meta = members }
        let record: JSONValue = ["uploadId": .string(id), "namespace": .string(namespace), "bucket": .string(bucket), "object": .string(name),
                                 "contentType": body["contentType"] ?? .string("application/octet-stream"), "metadata": .object(meta),
                                 "timeCreated": .string(Timestamps.rfc3339(now))]
        guard let dir = uploadDir(id) else { throw Self.internalError(ObjectStoreError.io("bad upload id")) }
        do {
            try fileManager.createDirectory(at: dir, withIntermediateDirectories: true)
            try record.data.write(to: dir.appendingPathComponent("upload.json"), options: .atomic)
        } catch { throw Self.internalError(error) }
        var answer = record
        answer.set("storageTier", "Standard")
        return Self.json(200, answer)
    }

    /// ListMultipartUploads: the bucket's uploads not yet committed or aborted, as MultipartUpload objects.
    private func listUploads(_ bucket: String) -> ServerResponse {
        let ids = (try? fileManager.contentsOfDirectory(atPath: uploadsRoot.path)) ?? []
        let uploads: [JSONValue] = ids.compactMap { id in
            guard let dir = uploadDir(id), let data = try? Data(contentsOf: dir.appendingPathComponent("upload.json")),
                  let json = try? JSONParser.parse(data), json["bucket"]?.stringValue == bucket else { return nil }
            var upload: JSONValue = [:]
            for key in ["namespace", "bucket", "object", "uploadId", "timeCreated"] { upload.set(key, json[key] ?? .null) }
            upload.set("storageTier", "Standard")
            return upload
        }.sorted { ($0["object"]?.stringValue ?? "", $0["uploadId"]?.stringValue ?? "") < ($1["object"]?.stringValue ?? "", $1["uploadId"]?.stringValue ?? "") }
        return Self.json(200, .array(uploads))
    }

    private func loadUpload(_ id: String, bucket: String, name: String) throws(APIError) -> Upload {
        let missing = APIError(status: 404, code: "NoSuchUpload", message: "The upload '\(id)' does not exist for object '\(name)' in bucket '\(bucket)'")
        guard let dir = uploadDir(id), let data = try? Data(contentsOf: dir.appendingPathComponent("upload.json")),
              let json = try? JSONParser.parse(data), json["bucket"]?.stringValue == bucket, json["object"]?.stringValue == name else { throw missing }
        var meta: [String: String] = [:]
        if case let .object(members)? = json["metadata"] { for (k, v) in members { meta[k] = v.stringValue ?? "" } }
        return Upload(id: id, dir: dir, bucket: bucket, name: name, contentType: json["contentType"]?.stringValue ?? "application/octet-stream", metadata: meta)
    }

    private func uploadPart(_ request: ServerRequest, upload: Upload, query: [(String, String)]) throws(APIError) -> ServerResponse {
        guard let text = query.last(where: { $0.0 == "uploadPartNum" })?.1 else { throw .missing("uploadPartNum") }
        guard let n = Int(text), (1...10_000).contains(n) else { throw .invalid("uploadPartNum", "expected a number from 1 to 10000, got '\(text)'") }
        let file = try bodyFile(request)
        defer { try? fileManager.removeItem(at: file) }
        let (size, digest) = try Self.bodyHash(request, file)
        let md5 = digest.base64EncodedString()
        try Self.checkMD5(request, md5: md5)
        let etag = UUID().uuidString.lowercased()
        let meta: JSONValue = ["partNumber": .int(n), "etag": .string(etag), "md5": .string(md5), "size": .int(Int(size))]
        let target = upload.dir.appendingPathComponent("part-\(n)")
        do {
            try lock.withLock {
                guard fileManager.fileExists(atPath: upload.dir.path) else { throw ObjectStoreError.io("upload gone") }
                guard rename(file.path, target.path) == 0 else { throw ObjectStoreError.io("rename failed: errno \(errno)") }
                try meta.data.write(to: upload.dir.appendingPathComponent("part-\(n).json"), options: .atomic)
            }
        } catch { throw Self.internalError(error) }
        return ServerResponse(status: 200, headers: [("etag", etag), ("opc-content-md5", md5)], body: Data())
    }

    private func parts(_ upload: Upload) -> [JSONValue] {
        let files = (try? fileManager.contentsOfDirectory(atPath: upload.dir.path)) ?? []
        return files.filter { $0.hasPrefix("part-") && $0.hasSuffix(".json") }
            .compactMap { (try? Data(contentsOf: upload.dir.appendingPathComponent($0))).flatMap { try? JSONParser.parse($0) } }
            .sorted { ($0["partNumber"]?.intValue ?? 0) < ($1["partNumber"]?.intValue ?? 0) }
    }

    private func listParts(_ upload: Upload, query: [(String, String)]) throws(APIError) -> ServerResponse {
        func q(_ n: String) -> String? { query.last { $0.0 == n }?.1 }
        let limit = q("limit").flatMap(Int.init) ?? 1000
        guard (1...1000).contains(limit) else { throw .invalid("limit", "expected a number from 1 to 1000") }
        let after = q("page").flatMap(Int.init) ?? 0
        let all = parts(upload).filter { ($0["partNumber"]?.intValue ?? 0) > after }
        let page = Array(all.prefix(limit))
        var headers: [(String, String)] = []
        if all.count > limit, let last = page.last?["partNumber"]?.intValue { headers.append(("opc-next-page", String(last))) }
        return Self.json(200, .array(page), headers: headers)
    }

    private func commit(_ request: ServerRequest, upload: Upload, now: Date) throws(APIError) -> ServerResponse {
        let body: JSONValue
        do { body = try JSONParser.parse(request.body) } catch { throw .cannotParse("The request body is not valid JSON: \(error.description).") }
        guard let commits = body["partsToCommit"]?.arrayValue, !commits.isEmpty else { throw .missing("partsToCommit") }
        let held = Dictionary(parts(upload).compactMap { p in p["partNumber"]?.intValue.map { ($0, p) } }, uniquingKeysWith: { a, _ in a })
        var chosen: [(Int, JSONValue)] = []
        for c in commits {
            guard let n = c["partNum"]?.intValue, let etag = c["etag"]?.stringValue else { throw .invalid("partsToCommit", "each entry needs partNum and etag") }
            guard let part = held[n] else { throw .invalid("partsToCommit", "part \(n) was not uploaded") }
            guard part["etag"]?.stringValue == etag else { throw .invalid("partsToCommit", "the etag of part \(n) does not match the uploaded part") }
            chosen.append((n, part))
        }
        chosen.sort { $0.0 < $1.0 }
        // Concatenate the parts into one file, 1 MiB at a time.
        let assembled = store.temporaryFile()
        var joinedMD5 = Data()
        do {
            guard fileManager.createFile(atPath: assembled.path, contents: nil), let out = FileHandle(forWritingAtPath: assembled.path) else {
                throw ObjectStoreError.io("cannot create \(assembled.path)")
            }
            defer { try? out.close() }
            for (n, part) in chosen {
                joinedMD5.append(Data(base64Encoded: part["md5"]?.stringValue ?? "") ?? Data())
                guard let input = FileHandle(forReadingAtPath: upload.dir.appendingPathComponent("part-\(n)").path) else {
                    throw ObjectStoreError.io("part \(n) is missing")
                }
                defer { try? input.close() }
                while let chunk = try input.read(upToCount: 1 << 20), !chunk.isEmpty { try out.write(contentsOf: chunk) }
            }
        } catch {
            try? fileManager.removeItem(at: assembled)
            throw Self.internalError(error)
        }
        let multipartMD5 = "\(Digest.md5(joinedMD5).base64EncodedString())-\(chosen.count)"
        let info: StoredObject
        do {
            info = try store.put(namespace: namespace, bucket: upload.bucket, object: upload.name, movingFile: assembled,
                                 contentType: upload.contentType, metadata: upload.metadata, now: now, multipartMD5: multipartMD5)
        } catch {
            try? fileManager.removeItem(at: assembled)
            throw Self.internalError(error)
        }
        lock.withLock { try? fileManager.removeItem(at: upload.dir) }
        return ServerResponse(status: 200, headers: [("etag", info.etag), ("opc-multipart-md5", multipartMD5),
                                                     ("last-modified", Self.httpDate(now))], body: Data())
    }

    // MARK: helpers

    private static func userMetadata(_ request: ServerRequest) -> [String: String] {
        var meta: [String: String] = [:]
        for (k, v) in request.headers where k.lowercased().hasPrefix("opc-meta-") { meta[String(k.lowercased().dropFirst(9))] = v }
        return meta
    }

    static func internalError(_ error: any Error) -> APIError {
        APIError(status: 500, code: "InternalServerError", message: "The emulator's object store failed: \(error)")
    }

    static func httpDate(_ date: Date) -> String { OCIRequestSigner.httpDate(date) }

    static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> ServerResponse {
        ServerResponse(status: status, headers: [("content-type", "application/json")] + headers, body: value.data)
    }
}
