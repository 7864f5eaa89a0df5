// The one way the OCI clients (Media Services, Media Stream, Object Storage) make a call: the URL from a path
// and query, a JSON body, the opc-* and if-match headers, sent through the transport; a refusal becomes a
// MediaError from the OCI error body; the answer's JSON and its etag / opc-next-page headers are read out.
import FoundationEssentials

/// What came back from one call: the answer's JSON (null for an empty body or a DELETE) and its response.
struct OCIReply: Sendable {
    let json: JSONValue
    let response: HTTPResponse

    var etag: String? { response.header("etag") }
    /// `opc-next-page`; nil on the last page (an empty header counts as none).
    var nextPage: String? { response.header("opc-next-page").flatMap { $0.isEmpty ? nil : $0 } }
}

struct OCIRequestCore: Sendable {
    let transport: any HTTPTransport
    /// The endpoint a path goes to (Object Storage picks a per-namespace host for some realms).
    let base: @Sendable (String) -> RequestURL
    let requestID: @Sendable () -> String

    init(transport: any HTTPTransport, endpoint: RequestURL, requestID: @escaping @Sendable () -> String) {
        self.init(transport: transport, base: { _ in endpoint }, requestID: requestID)
    }

    init(transport: any HTTPTransport, base: @escaping @Sendable (String) -> RequestURL, requestID: @escaping @Sendable () -> String) {
        self.transport = transport
        self.base = base
        self.requestID = requestID
    }

    /// A request with the headers every OCI call carries: `accept` and a fresh `opc-request-id`; then a JSON body
    /// with its content type, then `headers` (if-match, opc-retry-token, …) in the order given.
    func request(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                 headers: [(String, String)] = [], accept: String = "application/json") -> HTTPRequest {
        let url = base(path).appending(path: path, query: query.isEmpty ? nil : Query.string(query))
        var request = HTTPRequest(method: method, url: url)
        request.setHeader("accept", accept)
        request.setHeader("opc-request-id", requestID())
        if let body {
            request.body = body.data
            request.setHeader("content-type", "application/json")
        }
        for (name, value) in headers { request.setHeader(name, value) }
        return request
    }

    /// Sends `request`; a non-2xx answer is thrown as the MediaError its status and error body describe.
    func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        let response = try transport.send(request)
        guard response.isSuccess else { throw MediaError.from(OCIErrorBody.failure(response, request: request)) }
        return response
    }

    /// Sends and reads the answer as JSON (null when it is empty, or the call is a DELETE).
    func json(_ request: HTTPRequest) throws(MediaError) -> OCIReply {
        let response = try send(request)
        if response.body.isEmpty || request.method == "DELETE" { return OCIReply(json: .null, response: response) }
        do { return OCIReply(json: try JSONParser.parse(response.body), response: response) } catch {
            throw .network("\(request.method) \(request.url.path): the response is not valid JSON (\(error.description))")
        }
    }

    func json(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
              headers: [(String, String)] = []) throws(MediaError) -> OCIReply {
        try json(request(method, path, query: query, body: body, headers: headers))
    }

    /// A single resource answer: an object with a string id, or a network error naming what came instead
    /// (a proxy's page or a truncated answer must not print as a resource with an empty id).
    func resource(_ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
                  headers: [(String, String)] = [], requireID: Bool = true) throws(MediaError) -> Resource {
        let reply = try json(method, path, query: query, body: body, headers: headers)
        let what = "\(method) \(base(path).appending(path: path).path)"
        if reply.response.body.isEmpty { throw .network("\(what): the response is empty, not an object") }
        guard reply.json.isObject else { throw .network("\(what): the response is \(reply.json.typeName.withArticle), not an object") }
        if requireID {
            guard let id = reply.json["id"]?.stringValue, !id.isEmpty else { throw .network("\(what): the response has no id") }
        }
        return Resource(json: reply.json, etag: reply.etag)
    }

    /// One page of a collection answer `{"items": [objects]}` (or a bare array); any other shape is a broken answer,
    /// not an empty list.
    func page(_ path: String, query: [(String, String)]) throws(MediaError) -> Page {
        let reply = try json("GET", path, query: query)
        let what = "GET \(base(path).appending(path: path).path)"
        guard let list = reply.json["items"]?.arrayValue ?? reply.json.arrayValue else {
            let shape = reply.json["items"].map { "items is \($0.typeName.withArticle)" } ?? "has no items"
            throw .network("\(what): the response's \(shape), not an array")
        }
        for (i, item) in list.enumerated() where !item.isObject {
            throw .network("\(what): the response's items/\(i) is \(item.typeName.withArticle), not an object")
        }
        return Page(items: list.map { Resource(json: $0) }, nextPage: reply.nextPage)
    }

    /// Every page from `first`, following `opc-next-page` (bounded, and stopping if a server repeats a token).
    static func allPages<Item>(maxPages: Int = 10_000,
                               _ fetch: (_ page: String?) throws(MediaError) -> (items: [Item], next: String?)) throws(MediaError) -> [Item] {
        var all: [Item] = []
        var page: String?
        var seen = Set<String>()
        for _ in 0..<maxPages {
            let p = try fetch(page)
            all += p.items
            guard let next = p.next, seen.insert(next).inserted else { return all }
            page = next
        }
        return all
    }
}

/// Optional headers and query parameters, added only when given (the SDK drops missing ones).
extension Array where Element == (String, String) {
    mutating func add(_ name: String, _ value: String?) {
        if let value { append((name, value)) }
    }

    mutating func add(_ name: String, _ value: Int?) {
        if let value { append((name, String(value))) }
    }

    /// Booleans go as `true` / `false` (protocols.md §6.2).
    mutating func add(_ name: String, _ value: Bool?) {
        if let value { append((name, value ? "true" : "false")) }
    }
}
