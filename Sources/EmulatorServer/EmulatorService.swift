// One call's path through the emulator, without a transport: admin endpoints, injected faults, then OpenTok or Media Services.
import EmulatorCore
import Foundation
import MediaKit

/// What the transport must do with one call.
public enum EmulatorReply: Sendable {
    case respond(ServerResponse, delayMilliseconds: Int)
    /// Close the connection without answering (a fault), after the delay.
    case drop(delayMilliseconds: Int)
}

public final class EmulatorService: Sendable {
    public static let adminPrefix = "/_emulator/"
    /// A transport-free service for one family of paths.
    public typealias Handler = @Sendable (ServerRequest) -> ServerResponse

    public let media: MediaServicesEmulator
    /// The OpenTok REST API (see OpenTokRoute.swift); nil answers its paths with 404.
    public let openTok: Handler?
    public let faults: FaultInjector
    /// Object Storage, whose PUT bodies the transport streams into its store.
    public let objectStorage: ObjectStorageEmulator?
    /// Calls served, for `GET /_emulator/stats` (bench/ counts a waiter's polls with it).
    public let stats = RequestStats()
    private let started = Date()

    public init(media: MediaServicesEmulator, openTok: Handler?, faults: FaultInjector, objectStorage: ObjectStorageEmulator? = nil) {
        self.media = media
        self.openTok = openTok
        self.faults = faults
        self.objectStorage = objectStorage
    }

    /// OpenTok's REST paths (protocols.md §7); everything else is Media Services / Media Stream.
    static func isOpenTok(_ path: String) -> Bool {
        path == "/session/create" || path.hasPrefix("/v2/project/")
    }

    public func handle(_ request: ServerRequest) -> EmulatorReply {
        let path = String(request.target.prefix { $0 != "?" })
        if path.hasPrefix(Self.adminPrefix) {
            return .respond(Self.withRequestID(admin(request, path: path), request), delayMilliseconds: 0)
        }
        stats.count(method: request.method, path: path)
        let decision = faults.decide(method: request.method, path: path)
        if decision.afterHandling { _ = route(request, path: path) }
        if decision.dropConnection { return .drop(delayMilliseconds: decision.delayMilliseconds) }
        if let status = decision.failureStatus {
            var headers: [(String, String)] = [("content-type", "application/json")]
            if let seconds = decision.retryAfter { headers.append(("retry-after", String(seconds))) }
            let response = ServerResponse(status: status, headers: headers, body: FaultInjector.errorBody(status: status).data)
            return .respond(Self.withRequestID(response, request), delayMilliseconds: decision.delayMilliseconds)
        }
        return .respond(route(request, path: path), delayMilliseconds: decision.delayMilliseconds)
    }

    private func route(_ request: ServerRequest, path: String) -> ServerResponse {
        guard Self.isOpenTok(path) else { return media.handle(request) }
        guard let openTok else {
            return Self.withRequestID(Self.json(404, ["code": 404, "message": "OpenTok is not emulated by this build"]), request)
        }
        return Self.withRequestID(openTok(request), request)
    }

    /// `opc-request-id` on every response: echo the client's, else make one.
    static func withRequestID(_ response: ServerResponse, _ request: ServerRequest) -> ServerResponse {
        guard !response.headers.contains(where: { $0.0.lowercased() == "opc-request-id" }) else { return response }
        var r = response
        let given = request.headers.last { $0.0.lowercased() == "opc-request-id" }?.1
        r.headers.append(("opc-request-id", given.flatMap { $0.isEmpty ? nil : $0 } ?? Self.newRequestID()))
        return r
    }

    static func newRequestID() -> String {
        Digest.randomBytes(16).map { String(format: "%02X", $0) }.joined()
    }

    // MARK: - Admin (unsigned; the emulator only listens on loopback)

    private func admin(_ request: ServerRequest, path: String) -> ServerResponse {
        let method = request.method.uppercased()
        switch (method, path) {
        case ("GET", "/_emulator/health"):
            return Self.json(200, ["status": "ok", "pid": .int(Int(getpid())), "openTok": .bool(openTok != nil),
                                   "uptimeSeconds": .int(Int(Date().timeIntervalSince(started)))])
        case ("GET", "/_emulator/stats"):
            return Self.json(200, stats.json)
        case ("DELETE", "/_emulator/stats"):
            stats.reset()
            return ServerResponse(status: 204, headers: [], body: Data())
        case ("GET", "/_emulator/faults"):
            return Self.json(200, ["items": .array(activeFaults)])
        case ("DELETE", "/_emulator/faults"):
            faults.clear()
            media.clearJobFaults()
            return ServerResponse(status: 204, headers: [], body: Data())
        case ("POST", "/_emulator/faults"):
            do {
                let doc = try JSONParser.parse(request.body)
                // One rule or an array of rules, all checked before any is added.
                let rules = try (doc.arrayValue ?? [doc]).map { (item: JSONValue) throws(FaultRuleError) -> EmulatorFault in
                    try EmulatorFault(json: item)
                }
                for rule in rules { add(rule) }
                return Self.json(200, ["items": .array(activeFaults)])
            } catch let error as FaultRuleError {
                return Self.json(400, ["code": "InvalidParameter", "message": .string(error.description)])
            } catch {
                return Self.json(400, ["code": "CannotParseRequest", "message": .string("the body is not valid JSON: \(error)")])
            }
        default:
            return Self.json(404, ["code": "NotFound", "message": .string(
                "admin endpoints: GET /_emulator/health, GET|DELETE /_emulator/stats, GET|POST|DELETE /_emulator/faults")])
        }
    }

    /// Adds a rule where it acts: call rules to the injector, job rules to the Media Services store.
    public func add(_ rule: EmulatorFault) {
        switch rule {
        case let .call(rule): faults.add(rule)
        case let .job(rule): media.addJobFault(rule)
        }
    }

    /// Every rule still active, call rules first, as the admin endpoint lists them.
    private var activeFaults: [JSONValue] { faults.active.map(\.json) + media.jobFaults.map(\.json) }

    static func json(_ status: Int, _ value: JSONValue) -> ServerResponse {
        ServerResponse(status: status, headers: [("content-type", "application/json")], body: value.data)
    }
}

/// Counts of non-admin calls by method and by `METHOD /collection` (the path's first segment after
/// the API version, so `GET /mediaWorkflowJobs/{id}` counts as `GET /mediaWorkflowJobs`; Object Storage calls count
/// as `/n`, `/n/b`, `/n/b/o` or `/n/b/u`, so UploadPart is `PUT /n/b/u`).
public final class RequestStats: @unchecked Sendable {
    // @unchecked: `counts` is only touched under `lock`.
    private let lock = NSLock()
    private var counts: [String: Int] = [:]

    public init() {}

    public func count(method: String, path: String) {
        let key = "\(method.uppercased()) \(Self.collection(path))"
        lock.withLock { counts[key, default: 0] += 1 }
    }

    public func reset() { lock.withLock { counts.removeAll() } }

    static func collection(_ path: String) -> String {
        let segments = path.split(separator: "/")
        // Object Storage: `/n`, `/n/b` (buckets), `/n/b/o` (objects), `/n/b/u` (multipart uploads and parts).
        if segments.first == "n" {
            return ["/n", "/n", "/n/b", "/n/b", "/n/b/\(segments.count > 4 ? segments[4] : "")"][min(segments.count, 5) - 1]
        }
        let rest = segments.first.map { $0.allSatisfy(\.isNumber) } == true ? segments.dropFirst() : segments[...]
        return "/" + (rest.first.map(String.init) ?? "")
    }

    /// `{"total": N, "byCall": {"GET /mediaWorkflowJobs": n, ...}}`.
    public var json: JSONValue {
        let snapshot = lock.withLock { counts }
        let byCall = snapshot.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.int($0.value)) }
        return ["total": .int(snapshot.values.reduce(0, +)), "byCall": .object(byCall)]
    }
}
