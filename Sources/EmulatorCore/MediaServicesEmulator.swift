// The emulator's public face: request/response values, options, and the router that authenticates, dispatches and logs every call.
import Foundation
import MediaKit

/// One HTTP request as received, before any interpretation.
public struct ServerRequest: Sendable {
    public var method: String
    /// The raw request target, `path?query`, exactly as on the request line (it is what was signed).
    public var target: String
    /// In the order received, names as received.
    public var headers: [(String, String)]
    public var body: Data
    /// An object or part body the transport streamed to disk (inside the object store) instead of `body`.
    public var bodyFile: URL? = nil
    /// The MD5 of `bodyFile`, computed as the bytes streamed in (nil: the handler reads the file to hash it).
    public var bodyFileMD5: Data? = nil

    public init(method: String, target: String, headers: [(String, String)], body: Data) {
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }
}

public struct ServerResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data
    /// A body the transport streams from this file (GetObject) instead of `body`; it sends `bodyLength` bytes.
    public var bodyFile: URL? = nil
    public var bodyLength: Int64 = 0

    public init(status: Int, headers: [(String, String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }
}

/// What tests assert on: every request the emulator saw, with how it was answered.
public struct LoggedRequest: Sendable {
    public let method: String
    /// The raw path (no query), as received.
    public let path: String
    /// The raw query string without "?", nil when there was none.
    public let query: String?
    /// The keyId from the Authorization header, whether or not the signature verified.
    public let keyID: String?
    public let body: Data
    public let status: Int
}

public struct EmulatorOptions: Sendable {
    /// `host[:port]` reported as every channel's `domainName`; the same server answers Media Stream calls.
    public var streamHost: String
    /// How many GETs of a job report IN_PROGRESS before it ends.
    public var pollsInProgress: Int = 2
    public var pageSizeDefault: Int = 50
    /// Seconds the `date` header may be off the emulator's clock (the service allows 5 minutes).
    public var maxClockSkew: Double = 300
    public var now: @Sendable () -> Date = { Date() }
    /// Seconds a job takes from ACCEPTED to SUCCEEDED/FAILED on the clock (the real emulator); nil =
    /// one step per GET (`pollsInProgress`), which keeps tests of the fake exact and fast.
    public var jobDuration: Double? = nil
    /// Where state goes after each call (SQLite in `mediactl-emulator`); nothing survives by default.
    public var persistence: any StatePersistence = NoPersistence()
    /// Whether `requests` keeps every call: on for tests, off for a long-running server.
    public var keepsRequestLog = true
    /// The emulated Object Storage: real jobs read inputs from it and write outputs to it, playback serves
    /// assets from it. `mediactl-emulator serve` uses `<state>/objects`; nil: `objectStorage`'s store, else one in a fresh
    /// temporary directory, removed when the emulator goes away.
    public var objectStore: ObjectStore? = nil
    /// Real media processing with these programs (the `serve` default when ffmpeg and ffprobe are found);
    /// nil keeps the scripted lifecycle (per GET, or on the clock) that most tests rely on.
    public var mediaTools: MediaTools? = nil
    /// Where real jobs keep their files while they run (`{dir}/{jobID}`); default: the system temporary directory.
    public var mediaWorkDirectory: URL? = nil
    /// Lines for the emulator's log (the exact ffmpeg command of each transcode, failed tasks).
    public var log: @Sendable (String) -> Void = { _ in }
    /// Object Storage (`/n/...` paths) on the same server; nil answers them with 404.
    public var objectStorage: ObjectStorageEmulator? = nil

    public init(streamHost: String) {
        self.streamHost = streamHost
    }
}

/// The Media Services 20211101 and Media Stream API, in memory, without a transport: a test server
/// hands it requests (from many threads) and writes back its responses.
public final class MediaServicesEmulator: @unchecked Sendable {
    // @unchecked: all mutable state below is guarded by `lock`.
    public static let basePath = "/20211101"

    private let options: EmulatorOptions
    private let lock = NSLock()
    private var store: ResourceStore
    private var log: [LoggedRequest] = []
    private var apiKeys: [String: RSAPublicKey] = [:]
    private var sessionKeys: [String: RSAPublicKey] = [:]
    /// Present in real mode: runs jobs on its own queue, reporting back through `recordMediaProgress`.
    private let runner: MediaJobRunner?

    /// The store real jobs and playback use (nil only if a temporary one could not be created).
    public let objectStore: ObjectStore?
    /// Set when `objectStore` is the emulator's own temporary one, removed on deinit.
    private let temporaryObjectStore: URL?
    public var executesMedia: Bool { runner != nil }

    public init(options: EmulatorOptions) {
        self.options = options
        if let given = options.objectStore ?? options.objectStorage?.store {
            objectStore = given
            temporaryObjectStore = nil
        } else {
            let root = FileManager.default.temporaryDirectory.appendingPathComponent("mediactl-emulator-objects-\(UUID().uuidString)", isDirectory: true)
            objectStore = try? ObjectStore(root: root)
            temporaryObjectStore = root
        }
        if let tools = options.mediaTools, let objects = objectStore {
            runner = MediaJobRunner(tools: tools, objects: objects,
                                    workRoot: options.mediaWorkDirectory ?? FileManager.default.temporaryDirectory
                                        .appendingPathComponent("mediactl-emulator-work", isDirectory: true),
                                    log: options.log)
        } else {
            runner = nil
        }
        store = ResourceStore(streamHost: options.streamHost, pollsInProgress: options.pollsInProgress, jobDuration: options.jobDuration,
                              executesMedia: runner != nil, objects: objectStore)
    }

    deinit {
        if let temporaryObjectStore { try? FileManager.default.removeItem(at: temporaryObjectStore) }
    }

    /// Blocks until every real job created so far has ended (tests; a no-op in simulated mode).
    public func waitForMediaJobs() { runner?.drain() }

    /// Loads what `options.persistence` holds (call once, before serving). Returns how many records were restored.
    @discardableResult
    public func restoreState() throws -> Int {
        let now = options.now()
        var restored = 0
        // Each record goes into the store as it is read, so a restart never holds all of them twice.
        try lock.withLock {
            try options.persistence.forEachRecord(scope: nil) { record in if store.restore(record) { restored += 1 } }
            store.finishRestore()
        }
        try locked { (store: inout ResourceStore) throws(APIError) in store.failInterruptedMediaJobs(now: now) }
        return restored
    }

    /// Moves clock-driven jobs along and saves the steps; a server calls it on a timer so jobs end
    /// (and are saved as ended) even when nobody polls.
    public func tick() {
        let now = options.now()
        _ = try? locked { (store: inout ResourceStore) throws(APIError) in store.advanceJobsByClock(now: now) }
    }

    /// Scripts simulated jobs or ingests to fail (JobFaults.swift); the admin endpoint and `--fault` add them.
    public func addJobFault(_ rule: JobFaultRule) { lock.withLock { store.jobFaults.append(rule) } }
    public func clearJobFaults() { lock.withLock { store.jobFaults.removeAll() } }
    /// The job fault rules not yet used up.
    public var jobFaults: [JobFaultRule] { lock.withLock { store.jobFaults } }

    /// Every request received, in the order its answer was produced, rejected ones included.
    public var requests: [LoggedRequest] { lock.withLock { log } }

    /// Accepts signatures by `keyID` (`{tenancy}/{user}/{fingerprint}`).
    public func registerAPIKey(keyID: String, publicKey: RSAPublicKey) {
        lock.withLock { apiKeys[keyID] = publicKey }
    }

    /// Accepts signatures by keyId `ST$<token>` (security tokens, instance and resource principals).
    public func registerSessionKey(token: String, publicKey: RSAPublicKey) {
        lock.withLock { sessionKeys[token] = publicKey }
    }

    public func handle(_ request: ServerRequest) -> ServerResponse {
        let requestID = request.header("opc-request-id").flatMap { $0.isEmpty ? nil : $0 } ?? Identifiers.requestID()
        let (path, query) = Self.split(request.target)
        var response: ServerResponse
        do {
            response = try respond(request, path: path, query: Self.decodeQuery(query))
        } catch {
            response = Self.json(error.status, error.body, headers: error.headers)
        }
        response.headers.append(("opc-request-id", requestID))
        let entry = LoggedRequest(method: request.method, path: path, query: query, keyID: SignatureVerifier.keyID(of: request),
                                  body: request.body, status: response.status)
        if options.keepsRequestLog { lock.withLock { log.append(entry) } }
        return response
    }

    // MARK: - Routing

    private func playbackResponse(_ source: ResourceStore.PlaylistSource) throws(APIError) -> ServerResponse {
        switch source {
        case let .simulated(response): return response
        case let .stored(playback):
            guard let objects = objectStore else { throw .notFound }
            return try playback.response(from: objects)
        }
    }

    private func respond(_ request: ServerRequest, path: String, query: [(String, String)]) throws(APIError) -> ServerResponse {
        let now = options.now()
        let base = Self.basePath
        let method = request.method.uppercased()

        // Players fetch playlists with nothing but the session token, so this route may be unsigned; the SDK signs it
        // (and may leave the token out), and a signature that is there must verify.
        if path == base + "/actions/generatePlaylist" {
            guard method == "GET" else { throw .methodNotAllowed(method, allowed: ["GET"]) }
            let signed = request.header("authorization") != nil
            if signed {
                _ = try SignatureVerifier.verify(request, now: now, maxClockSkew: options.maxClockSkew, streamedUpload: false) { keyID in
                    publicKey(for: keyID)
                }
            }
            let source = try locked { (store: inout ResourceStore) throws(APIError) in try store.playlist(query: query, signed: signed, now: now) }
            return try playbackResponse(source)
        }
        // The variant playlists and segments generatePlaylist's URLs point at: unsigned too, the token is checked.
        if path.hasPrefix(HLSRoute.prefix) {
            guard method == "GET" else { throw .methodNotAllowed(method, allowed: ["GET"]) }
            let target = try HLSRoute.parse(rawPath: path)
            let source = try locked { (store: inout ResourceStore) throws(APIError) in try store.playbackFile(target, query: query, now: now) }
            return try playbackResponse(source)
        }

        // A pre-authenticated request's URI: the token in the path is the credential, there is no signature.
        if ObjectStorageEmulator.ownsUnsigned(path) {
            guard let objectStorage = options.objectStorage else { throw .notFound }
            return try objectStorage.servePAR(request, path: path, query: query, now: now)
        }

        // Authentication comes before routing, as on the service: an unsigned probe learns nothing about paths.
        let streamedUpload = ObjectStorageEmulator.isStreamedUpload(method: method, path: path)
        _ = try SignatureVerifier.verify(request, now: now, maxClockSkew: options.maxClockSkew, streamedUpload: streamedUpload) { keyID in publicKey(for: keyID) }

        if ObjectStorageEmulator.owns(path) {
            guard let objectStorage = options.objectStorage else { throw .notFound }
            return try objectStorage.respond(request, path: path, query: query, now: now)
        }

        guard path.hasPrefix(base + "/") else { throw .notFound }
        let segments = path.dropFirst(base.count + 1).split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.removingPercentEncoding ?? String($0) }

        if segments == ["actions", "generateSessionToken"] {
            guard method == "POST" else { throw .methodNotAllowed(method, allowed: ["POST"]) }
            let body = try Self.parseBody(request)
            let result = try locked { (store: inout ResourceStore) throws(APIError) in try store.generateSessionToken(body: body, now: now) }
            return Self.json(200, result)
        }

        // The service's own catalogues: read-only, the same for every caller.
        if segments == ["mediaWorkflowTaskDeclarations"] || segments == ["systemMediaWorkflows"] {
            guard method == "GET" else { throw .methodNotAllowed(method, allowed: ["GET"]) }
            let page = segments[0] == "systemMediaWorkflows"
                ? try SystemWorkflows.listWorkflows(query: query, defaultLimit: options.pageSizeDefault)
                : try SystemWorkflows.listTaskDeclarations(query: query, defaultLimit: options.pageSizeDefault)
            return Self.listResponse(page)
        }

        guard let kind = segments.first.flatMap(EmulatedKind.init(collection:)) else { throw .notFound }
        let lockOverride = query.contains { $0.0 == "isLockOverride" && $0.1 == "true" }
        let ifMatch = request.header("if-match").flatMap { $0.isEmpty ? nil : $0 }
        func param(_ name: String) -> String? { query.first { $0.0 == name }.map { $0.1 }.flatMap { $0.isEmpty ? nil : $0 } }
        switch segments.count {
        case 1:
            switch method {
            case "GET":
                let page = try locked { (store: inout ResourceStore) throws(APIError) in
                    try store.list(kind, query: query, defaultLimit: options.pageSizeDefault)
                }
                return Self.listResponse(page)
            case "POST":
                let body = try Self.parseBody(request)
                let result = try idempotent(request, operation: "POST \(path)", body: body, now: now) { (store: inout ResourceStore) throws(APIError) in
                    try store.create(kind, body: body, now: now)
                }
                return Self.resource(result)
            default:
                throw .methodNotAllowed(method, allowed: ["GET", "POST"])
            }
        case 2:
            let id = segments[1]
            switch method {
            case "GET":
                let json = try locked { (store: inout ResourceStore) throws(APIError) in try store.get(kind, id: id, now: now) }
                return Self.resource(json)
            case "PUT":
                let body = try Self.parseBody(request)
                let json = try locked { (store: inout ResourceStore) throws(APIError) in
                    try store.update(kind, id: id, body: body, now: now, lockOverride: lockOverride, ifMatch: ifMatch)
                }
                return Self.resource(json)
            case "DELETE":
                let deleteMode = param("deleteMode")
                try locked { (store: inout ResourceStore) throws(APIError) in
                    try store.delete(kind, id: id, lockOverride: lockOverride, ifMatch: ifMatch, deleteMode: deleteMode)
                }
                return ServerResponse(status: 204, headers: [], body: Data())
            default:
                throw .methodNotAllowed(method, allowed: ["GET", "PUT", "DELETE"])
            }
        case 3 where kind == .asset && segments[2] == "distributionChannelAttachments":
            guard method == "GET" else { throw .methodNotAllowed(method, allowed: ["GET"]) }
            let assetID = segments[1]
            let page = try locked { (store: inout ResourceStore) throws(APIError) in
                try store.listAttachments(assetID: assetID, query: query, defaultLimit: options.pageSizeDefault)
            }
            return Self.listResponse(page)
        case 4 where kind == .asset && segments[2] == "distributionChannelAttachments":
            let (assetID, channelID, version) = (segments[1], segments[3], param("version"))
            switch method {
            case "GET":
                let json = try locked { (store: inout ResourceStore) throws(APIError) in
                    try store.attachment(assetID: assetID, channelID: channelID, version: version)
                }
                return Self.resource(json)
            case "DELETE":
                try locked { (store: inout ResourceStore) throws(APIError) in
                    try store.detach(assetID: assetID, channelID: channelID, version: version, lockOverride: lockOverride, ifMatch: ifMatch)
                }
                return ServerResponse(status: 204, headers: [], body: Data())
            default:
                throw .methodNotAllowed(method, allowed: ["GET", "DELETE"])
            }
        case 4 where kind == .channel && segments[2] == "actions" && segments[3] == "ingest":
            guard method == "POST" else { throw .methodNotAllowed(method, allowed: ["POST"]) }
            let body = try Self.parseBody(request)
            let channelID = segments[1]
            let result = try idempotent(request, operation: "POST \(path)", body: body, now: now) { (store: inout ResourceStore) throws(APIError) in
                try store.ingest(channelID: channelID, body: body, now: now)
            }
            return Self.json(200, result)
        case 4 where segments[2] == "actions" && ["addLock", "removeLock", "changeCompartment"].contains(segments[3]):
            guard method == "POST" else { throw .methodNotAllowed(method, allowed: ["POST"]) }
            let body = try Self.parseBody(request)
            let (id, action) = (segments[1], segments[3])
            let result = try idempotent(request, operation: "POST \(path)", body: body, now: now) { (store: inout ResourceStore) throws(APIError) in
                try store.act(kind, id: id, action: action, body: body, now: now, lockOverride: lockOverride, ifMatch: ifMatch) ?? .null
            }
            return result == .null ? ServerResponse(status: 200, headers: [], body: Data()) : Self.resource(result)
        default:
            throw .notFound
        }
    }

    /// A resource with its etag header (protocols.md §5.4), as get, create, update and the lock actions answer.
    private static func resource(_ json: JSONValue) -> ServerResponse {
        Self.json(200, json, headers: [("etag", ResourceStore.etag(json))])
    }

    private static func listResponse(_ page: (items: [JSONValue], nextPage: String?)) -> ServerResponse {
        Self.json(200, ["items": .array(page.items)], headers: page.nextPage.map { [("opc-next-page", $0)] } ?? [])
    }

    /// Runs a create or action once per `opc-retry-token`: a repeat with the same body gets the first
    /// answer back instead of a duplicate resource. Only successes are remembered, so a retry after a
    /// 400 is judged afresh.
    private func idempotent(_ request: ServerRequest, operation: String, body: JSONValue, now: Date,
                            _ work: (inout ResourceStore) throws(APIError) -> JSONValue) throws(APIError) -> JSONValue {
        let token = request.header("opc-retry-token").flatMap { $0.isEmpty ? nil : $0 }
        return try locked { (store: inout ResourceStore) throws(APIError) -> JSONValue in
            if let token, let prior = try store.replay(retryToken: token, operation: operation, body: body, now: now) { return prior }
            let result = try work(&store)
            if let token { store.remember(retryToken: token, operation: operation, body: body, response: result, now: now) }
            return result
        }
    }

    /// Every touch of the store: jobs first catch up with the clock, then the work, then its changes
    /// are saved before the caller answers, so an answered call survives a crash.
    /// (NSLock.withLock rethrows as `any Error`; this keeps the typed error.)
    private func locked<T>(_ body: (inout ResourceStore) throws(APIError) -> T) throws(APIError) -> T {
        lock.lock()
        defer { lock.unlock() }
        store.advanceJobsByClock(now: options.now())
        let result: Result<T, APIError>
        do { result = .success(try body(&store)) } catch { result = .failure(error) }
        do { try options.persistence.save(&store.journal) } catch {
            throw APIError(status: 500, code: "InternalServerError", message: "The emulator could not save its state: \(error)")
        }
        // Real jobs start only once their creation is saved, so a job never runs without a record of it.
        if let runner, !store.pendingMedia.isEmpty {
            for (jobID, plan) in store.pendingMedia {
                runner.enqueue(jobID: jobID, plan: plan) { [weak self] progress in self?.recordMediaProgress(jobID, progress) }
            }
            store.pendingMedia.removeAll()
        }
        return try result.get()
    }

    /// A real job's progress, saved like any call's changes.
    private func recordMediaProgress(_ jobID: String, _ progress: MediaJobProgress) {
        let now = options.now()
        _ = try? locked { (store: inout ResourceStore) throws(APIError) in store.applyMediaProgress(jobID, progress, now: now) }
    }

    private func publicKey(for keyID: String) -> RSAPublicKey? {
        lock.withLock {
            keyID.hasPrefix("ST$") ? sessionKeys[String(keyID.dropFirst(3))] : apiKeys[keyID]
        }
    }

    // MARK: - Wire helpers

    private static func parseBody(_ request: ServerRequest) throws(APIError) -> JSONValue {
        guard !request.body.isEmpty else { throw .cannotParse("The request body is empty; a JSON object is required.") }
        do {
            return try JSONParser.parse(request.body)
        } catch {
            throw .cannotParse("The request body is not valid JSON: \(error.description).")
        }
    }

    static func json(_ status: Int, _ value: JSONValue, headers: [(String, String)] = []) -> ServerResponse {
        ServerResponse(status: status, headers: [("content-type", "application/json")] + headers, body: value.data)
    }

    /// `path?query` → raw path and raw query (nil when absent or empty).
    static func split(_ target: String) -> (path: String, query: String?) {
        guard let q = target.firstIndex(of: "?") else { return (target, nil) }
        let query = String(target[target.index(after: q)...])
        return (String(target[..<q]), query.isEmpty ? nil : query)
    }

    /// Percent-decodes `a=b&c=d`. A literal "+" stays "+": clients percent-encode spaces, and tokens
    /// pasted unencoded (lab gotcha G6) must survive.
    static func decodeQuery(_ query: String?) -> [(String, String)] {
        guard let query else { return [] }
        return query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = String(parts[0])
            let value = parts.count > 1 ? String(parts[1]) : ""
            return (name.removingPercentEncoding ?? name, value.removingPercentEncoding ?? value)
        }
    }
}
