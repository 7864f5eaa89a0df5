// Object Storage beyond objects and uploads: CopyObject (asynchronous in OCI: 202 with a work request id, and the work
// request readable at /workRequests/{id}) and pre-authenticated requests (create/get/list/delete, and a GET or PUT
// through the PAR's access URI with no signature: the way to hand an object to someone without credentials).
import Foundation
import MediaKit

extension ObjectStorageEmulator {
    /// A pre-authenticated request as stored: its secret token is the access URI's first segment.
    struct PAR: Sendable {
        let id: String
        let token: String
        let bucket: String
        let json: JSONValue
        var objectName: String? { json["objectName"]?.stringValue }
        var accessType: String { json["accessType"]?.stringValue ?? "" }
        var expires: Date? { json["timeExpires"]?.stringValue.flatMap(ObjectStore.parseTime) }
    }

    static let parAccessTypes = ["ObjectRead", "ObjectWrite", "ObjectReadWrite", "AnyObjectWrite", "AnyObjectRead", "AnyObjectReadWrite"]

    /// Where PARs and work requests are kept: beside the objects, so they survive a restart as the objects do.
    private var parFile: URL { store.root.appendingPathComponent(".pars.json") }

    func loadPARs() -> [PAR] {
        guard let data = try? Data(contentsOf: parFile), let json = try? JSONParser.parse(data) else { return [] }
        return (json.arrayValue ?? []).compactMap { v in
            guard let id = v["id"]?.stringValue, let token = v["token"]?.stringValue, let bucket = v["bucket"]?.stringValue, let par = v["par"] else { return nil }
            return PAR(id: id, token: token, bucket: bucket, json: par)
        }
    }

    private func savePARs(_ pars: [PAR]) throws(APIError) {
        let json = JSONValue.array(pars.map { ["id": .string($0.id), "token": .string($0.token), "bucket": .string($0.bucket), "par": $0.json] })
        do { try json.data.write(to: parFile, options: .atomic) } catch { throw Self.internalError(error) }
    }

    private static func parseJSON(_ request: ServerRequest) throws(APIError) -> Fields {
        let body: JSONValue
        do { body = try JSONParser.parse(request.body) } catch { throw .cannotParse("The request body is not valid JSON: \(error.description).") }
        return try Fields(body)
    }

    // MARK: - Pre-authenticated requests

    /// POST /n/{ns}/b/{bucket}/p/: `name`, `accessType`, `timeExpires` (future) required; `objectName` names the object
    /// (the Object* types need one, the AnyObject* types cover the bucket); `bucketListingAction` Deny | ListObjects.
    func createPAR(_ request: ServerRequest, bucket: String, now: Date) throws(APIError) -> ServerResponse {
        let f = try Self.parseJSON(request)
        let name = try f.requiredString("name")
        let accessType = try f.oneOf("accessType", Self.parAccessTypes)
        let expiresText = try f.requiredString("timeExpires")
        guard let expires = ObjectStore.parseTime(expiresText) else { throw .invalid("timeExpires", "\"\(expiresText)\" is not an RFC 3339 time") }
        guard expires > now else { throw .invalid("timeExpires", "\(expiresText) is in the past") }
        let objectName = try f.string("objectName")
        if accessType.hasPrefix("Object"), objectName == nil { throw .invalid("objectName", "an \(accessType) request names one object") }
        let listing = try f.string("bucketListingAction") ?? "Deny"
        guard ["Deny", "ListObjects"].contains(listing) else { throw .invalid("bucketListingAction", "\"\(listing)\" is not one of Deny, ListObjects") }

        let token = Digest.randomBytes(32).base64URLEncoded
        // Never a leading '-': an id read as a flag needs `--` before it on a command line (mediactl's error says so).
        var id = Digest.randomBytes(24).base64URLEncoded
        while id.hasPrefix("-") { id = Digest.randomBytes(24).base64URLEncoded }
        let path = "/p/\(token)/n/\(namespace)/b/\(Query.encode(bucket))/o/" + (objectName.map { Query.encode($0) } ?? "")
        var json: JSONValue = ["id": .string(id), "name": .string(name), "accessType": .string(accessType),
                               "bucketListingAction": .string(listing), "timeExpires": .string(Timestamps.rfc3339(expires)),
                               "timeCreated": .string(Timestamps.rfc3339(now))]
        if let objectName { json.set("objectName", .string(objectName)) }
        let par = PAR(id: id, token: token, bucket: bucket, json: json)
        lock.lock()
        defer { lock.unlock() }
        try savePARs(loadPARs() + [par])
        var answer = json
        answer.set("accessUri", .string(path))
        if let base = request.header("host").map({ "http://\($0)" }) { answer.set("fullPath", .string(base + path)) }
        return Self.json(200, answer)
    }

    /// GET /p/{parId}: the summary (no access URI: it is shown once, at creation).
    func getPAR(bucket: String, id: String) throws(APIError) -> ServerResponse {
        guard let par = loadPARs().first(where: { $0.id == id && $0.bucket == bucket }) else { throw Self.parNotFound(id) }
        return Self.json(200, par.json)
    }

    /// GET /p/: the bucket's PARs, `objectNamePrefix` filtering, paged by `limit` and `page` (an offset token).
    func listPARs(bucket: String, query: [(String, String)]) throws(APIError) -> ServerResponse {
        func q(_ n: String) -> String? { query.last { $0.0 == n }?.1 }
        var pars = loadPARs().filter { $0.bucket == bucket }
        if let prefix = q("objectNamePrefix") { pars = pars.filter { ($0.objectName ?? "").hasPrefix(prefix) } }
        var limit = 1000
        if let text = q("limit") {
            guard let n = Int(text), (1...1000).contains(n) else { throw .invalid("limit", "must be an integer from 1 to 1000, got \"\(text)\"") }
            limit = n
        }
        var start = 0
        if let page = q("page") {
            guard let n = Int(page), n >= 0 else { throw .invalid("page", "\"\(page)\" is not a page token this service issued") }
            start = min(n, pars.count)
        }
        let end = min(start + limit, pars.count)
        return Self.json(200, .array(pars[start..<end].map(\.json)), headers: end < pars.count ? [("opc-next-page", String(end))] : [])
    }

    func deletePAR(bucket: String, id: String) throws(APIError) -> ServerResponse {
        lock.lock()
        defer { lock.unlock() }
        let pars = loadPARs()
        guard pars.contains(where: { $0.id == id && $0.bucket == bucket }) else { throw Self.parNotFound(id) }
        try savePARs(pars.filter { $0.id != id })
        return ServerResponse(status: 204, headers: [], body: Data())
    }

    private static func parNotFound(_ id: String) -> APIError {
        APIError(status: 404, code: "NotAuthorizedOrNotFound", message: "The pre-authenticated request \(id) was not found.")
    }

    /// Unsigned: `/p/{token}/n/{ns}/b/{bucket}/o/{object}` (GET/HEAD to read, PUT to write, as the access type allows;
    /// GET of `/o/` lists when the PAR allows listing). Any refusal is the same 404, as the service gives nothing away.
    func servePAR(_ request: ServerRequest, path: String, query: [(String, String)], now: Date) throws(APIError) -> ServerResponse {
        let method = request.method.uppercased()
        let parts = path.split(separator: "/", maxSplits: 7, omittingEmptySubsequences: false).map(String.init)
        // "", "p", token, "n", ns, "b", bucket, "o/..."
        let refused = APIError(status: 404, code: "NotAuthorizedOrNotFound", message: APIError.notFoundMessage)
        guard parts.count == 8, parts[3] == "n", parts[5] == "b", parts[7].hasPrefix("o") else { throw refused }
        guard let par = loadPARs().first(where: { $0.token == parts[2] }), parts[4] == namespace,
              parts[6].removingPercentEncoding == par.bucket, par.expires.map({ $0 > now }) ?? false else { throw refused }
        let raw = parts[7].dropFirst(parts[7].hasPrefix("o/") ? 2 : 1)
        let object = String(raw).removingPercentEncoding ?? String(raw)
        let reads = par.accessType.contains("Read"), writes = par.accessType.contains("Write")
        if let named = par.objectName, named != object, !(object.isEmpty && method == "GET") { throw refused }
        switch method {
        case "GET" where object.isEmpty:
            guard par.json["bucketListingAction"]?.stringValue == "ListObjects" else { throw refused }
            return try list(par.bucket, query: query)
        case "GET" where reads, "HEAD" where reads:
            return try getObject(bucket: par.bucket, name: object, head: method == "HEAD")
        case "PUT" where writes:
            return try putObject(request, bucket: par.bucket, name: object, now: now)
        default:
            throw refused
        }
    }

    // MARK: - CopyObject and its work request

    /// POST /n/{ns}/b/{bucket}/actions/copyObject: the copy is made at once (within this one emulated region) and the
    /// answer is 202 with an `opc-work-request-id`, as the service's asynchronous copy answers.
    func copyObject(_ request: ServerRequest, bucket: String, now: Date) throws(APIError) -> ServerResponse {
        let f = try Self.parseJSON(request)
        let source = try f.requiredString("sourceObjectName")
        _ = try f.requiredString("destinationRegion")
        let destinationNamespace = try f.requiredString("destinationNamespace")
        let destinationBucket = try f.requiredString("destinationBucket")
        let destinationName = try f.requiredString("destinationObjectName")
        guard destinationNamespace == namespace else { throw .invalid("destinationNamespace", "\"\(destinationNamespace)\" is not this tenancy's namespace") }
        if let problem = ObjectStorageClient.objectNameProblem(destinationName) { throw .invalid("destinationObjectName", problem) }
        guard store.bucketExists(namespace: namespace, bucket: destinationBucket) else {
            throw APIError(status: 404, code: "BucketNotFound", message: ObjectStoreError.bucketNotFound(namespace: namespace, bucket: destinationBucket).description)
        }
        let info: StoredObject
        let file: URL
        do {
            info = try store.info(namespace: namespace, bucket: bucket, object: source)
            file = try store.fileURL(namespace: namespace, bucket: bucket, object: source)
        } catch { throw objectNotFound(bucket, source) }
        if let etag = try f.string("sourceObjectIfMatchETag"), etag != info.etag {
            throw APIError(status: 412, code: "IfMatchFailed", message: "The source object's etag is not \(etag).")
        }
        let copy = store.temporaryFile()
        do {
            try FileManager.default.copyItem(at: file, to: copy)
            var metadata = info.metadata
            if case let .object(members)? = f.value("destinationObjectMetadata") {
                metadata = Dictionary(members.compactMap { k, v in v.stringValue.map { (k.hasPrefix("opc-meta-") ? String(k.dropFirst(9)) : k, $0) } }) { a, _ in a }
            }
            try store.put(namespace: namespace, bucket: destinationBucket, object: destinationName, movingFile: copy,
                          contentType: info.contentType, metadata: metadata, now: now)
        } catch { throw Self.internalError(error) }
        let id = "ocid1.objectstorageworkrequest.oc1.iad." + Digest.randomBytes(20).hexLowercase
        let stamp = JSONValue.string(Timestamps.rfc3339(now))
        let workRequest: JSONValue = [
            "id": .string(id), "operationType": "COPY_OBJECT", "status": "COMPLETED", "compartmentId": .string(bucketCompartment(bucket)),
            "percentComplete": 100, "timeAccepted": stamp, "timeStarted": stamp, "timeFinished": stamp,
            "resources": [["actionType": "WRITTEN", "entityType": "object", "entityUri": .string("/n/\(namespace)/b/\(destinationBucket)/o/\(destinationName)"),
                           "namespace": .string(namespace), "bucketName": .string(destinationBucket), "objectName": .string(destinationName)]],
        ]
        lock.withLock { workRequests[id] = workRequest }
        return ServerResponse(status: 202, headers: [("opc-work-request-id", id)], body: Data())
    }

    /// GET /workRequests/{id}: a copy's work request (always COMPLETED: the copy was made when it was asked for).
    func workRequest(_ id: String) throws(APIError) -> ServerResponse {
        guard let json = lock.withLock({ workRequests[id] }) else { throw .notFound }
        return Self.json(200, json)
    }
}
