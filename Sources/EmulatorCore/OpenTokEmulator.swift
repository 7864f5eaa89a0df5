// The OpenTok REST API (protocols.md §7) in memory, without a transport: it checks each call's
// X-OPENTOK-AUTH JWT (an OpenTok project) or Bearer RS256 JWT (a Vonage application) and its exact method,
// path and body as opentok 3.15 sends them, keeps the state in OpenTokEmulatorState, and answers with the
// service's shapes and statuses.
import Foundation
import MediaKit

/// One call as the emulator saw it, rejected ones included.
public struct OpenTokCall: Sendable {
    public let method: String
    /// The raw path without the query, as received.
    public let path: String
    /// The raw query without "?", nil when absent.
    public let query: String?
    public let headers: [(String, String)]
    public let body: Data
    public let status: Int
    /// The verified X-OPENTOK-AUTH (or Vonage Bearer) claims; nil when the JWT was missing or refused.
    public let claims: JSONValue?

    public func header(_ name: String) -> String? { headers.last { $0.0.lowercased() == name.lowercased() }?.1 }
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}

/// A refusal, answered as `{"code": status, "message": …}` in one place (OpenTokEmulator.handle).
struct OpenTokFailure: Error, Sendable {
    let status: Int
    let message: String

    static func badRequest(_ message: String) -> OpenTokFailure { OpenTokFailure(status: 400, message: message) }
    static func forbidden(_ message: String) -> OpenTokFailure { OpenTokFailure(status: 403, message: message) }
    static func unauthorized(_ message: String) -> OpenTokFailure { OpenTokFailure(status: 401, message: message) }
    static func notFound(_ message: String) -> OpenTokFailure { OpenTokFailure(status: 404, message: message) }
    static func conflict(_ message: String) -> OpenTokFailure { OpenTokFailure(status: 409, message: message) }
    static func methodNotAllowed(_ method: String, _ path: String) -> OpenTokFailure {
        OpenTokFailure(status: 405, message: "\(method) is not supported on \(path)")
    }
}

public final class OpenTokEmulator: @unchecked Sendable {
    // @unchecked: `state` and `log` are only touched under `lock`.
    /// The project in paths: the OpenTok API key, or the Vonage application ID.
    public let apiKey: String
    private let auth: ProjectAuth
    private let now: @Sendable () -> Date
    /// Seconds an `iat` may lie ahead of the emulator's clock (the two clocks are one machine's here).
    private let maxClockSkew: Double
    /// Where the state goes after each call (OpenTok's share of the SQLite file in `mediactl-emulator`).
    private let persistence: any StatePersistence
    private let lock = NSLock()
    private var state: OpenTokEmulatorState
    private var log: [OpenTokCall] = []

    public init(apiKey: String, apiSecret: String, maxClockSkew: Double = 5, persistence: any StatePersistence = NoPersistence(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        self.apiKey = apiKey
        auth = .secret(Data(apiSecret.utf8))
        self.now = now
        self.maxClockSkew = maxClockSkew
        self.persistence = persistence
        state = OpenTokEmulatorState(apiKey: apiKey, secret: Data(apiSecret.utf8))
    }

    /// A Vonage application: every call carries `Authorization: Bearer {RS256 JWT}` signed with the application's
    /// private key, and paths use the application ID where OpenTok has the API key.
    public init(applicationID: String, publicKey: RSAPublicKey, maxClockSkew: Double = 5, persistence: any StatePersistence = NoPersistence(),
                now: @escaping @Sendable () -> Date = { Date() }) {
        apiKey = applicationID
        auth = .publicKey(publicKey)
        self.now = now
        self.maxClockSkew = maxClockSkew
        self.persistence = persistence
        state = OpenTokEmulatorState(apiKey: applicationID, secret: Data(), publicKey: publicKey)
    }

    /// How calls prove they come from the project.
    enum ProjectAuth {
        case secret(Data)
        case publicKey(RSAPublicKey)
    }

    /// Whether calls authenticate with a Vonage application's Bearer JWT (else OpenTok's X-OPENTOK-AUTH).
    public var isVonageApplication: Bool {
        if case .publicKey = auth { return true }
        return false
    }

    /// The longest a Vonage application JWT may live (vonage-jwt makes 15-minute ones).
    public static let maxVonageJWTLifetime = 900

    /// Loads what `persistence` holds (call once, before serving). Returns how many records were restored.
    @discardableResult
    public func restoreState() throws -> Int {
        let records = try persistence.loadAll()
        let time = now()
        return try lock.withLock {
            let restored = state.restore(records, now: time).restored
            // Used JWT ids that expired while the emulator was down are dropped from storage too.
            try persistence.save(&state.journal)
            return restored
        }
    }

    /// Every call, in the order it was answered.
    public var calls: [OpenTokCall] { lock.withLock { log } }

    public func handle(method: String, target: String, headers: [(String, String)], body: Data) -> HTTPResponse {
        let (path, query) = Self.split(target)
        var claims: JSONValue?
        var response: HTTPResponse
        do {
            claims = try authenticate(headers)
            response = try route(method.uppercased(), path: path, query: query, headers: headers, body: body)
        } catch {
            response = Self.json(error.status, ["code": .int(error.status), "message": .string(error.message)])
        }
        // What this call changed is saved before it is answered, so an answered call survives a crash (kill -9).
        if let failure = save() {
            response = Self.json(500, ["code": 500, "message": .string("The emulator could not save its state: \(failure)")])
        }
        let call = OpenTokCall(method: method, path: path, query: query, headers: headers, body: body, status: response.status, claims: claims)
        lock.withLock { log.append(call) }
        return response
    }

    // MARK: - test hooks

    /// A routed (or relayed) session that exists without a `session create` call.
    public func seedSession(routed: Bool = true) -> String {
        let time = now()
        return changing { $0.createSession(routed: routed, archiveAlways: false, e2ee: false, location: nil, now: time) }
    }

    /// A client joins `sessionID` and publishes one stream; nil when the session does not exist.
    public func connectClient(sessionID: String, streamName: String = "", videoType: String = "camera",
                              layoutClassList: [String] = []) -> (connectionID: String, streamID: String)? {
        changing { $0.connect(sessionID: sessionID, streamName: streamName, videoType: videoType, layoutClassList: layoutClassList) }
    }

    /// What happened to a session: connections, streams, signals, DTMF, mute state.
    public func session(_ id: String) -> OpenTokSessionView? { lock.withLock { state.view(id) } }

    // MARK: - auth

    /// X-OPENTOK-AUTH: an HS256 JWT signed with the project's secret; iss = the API key, ist = project,
    /// exp in the future and at most 5 minutes after iat, iat not in the future, a jti never seen before.
    private func authenticate(_ headers: [(String, String)]) throws(OpenTokFailure) -> JSONValue {
        let secret: Data
        switch auth {
        case let .publicKey(key): return try authenticateVonage(headers, publicKey: key)
        case let .secret(data): secret = data
        }
        guard let token = headers.last(where: { $0.0.lowercased() == "x-opentok-auth" })?.1, !token.isEmpty else {
            throw .forbidden("Missing X-OPENTOK-AUTH header")
        }
        guard let decoded = HS256JWT.decode(token) else { throw .forbidden("X-OPENTOK-AUTH is not a JWT") }
        guard decoded.header["alg"]?.stringValue == "HS256", decoded.header["typ"]?.stringValue == "JWT" else {
            throw .forbidden("X-OPENTOK-AUTH must be an HS256 JWT with typ JWT")
        }
        guard let claims = HS256JWT.verify(token, key: secret) else { throw .forbidden("Invalid X-OPENTOK-AUTH signature") }
        guard claims["iss"]?.stringValue == apiKey else { throw .forbidden("X-OPENTOK-AUTH iss must be the API key as a string") }
        guard claims["ist"]?.stringValue == "project" else { throw .forbidden("X-OPENTOK-AUTH ist must be \"project\"") }
        guard let iat = claims["iat"]?.intValue, let exp = claims["exp"]?.intValue else {
            throw .forbidden("X-OPENTOK-AUTH needs numeric iat and exp")
        }
        let current = now().timeIntervalSince1970
        if Double(exp) <= current { throw .forbidden("X-OPENTOK-AUTH has expired") }
        if Double(iat) > current + maxClockSkew { throw .forbidden("X-OPENTOK-AUTH iat is in the future") }
        if exp - iat > 300 { throw .forbidden("X-OPENTOK-AUTH lives longer than 5 minutes") }
        guard let jti = claims["jti"]?.stringValue, !jti.isEmpty else { throw .forbidden("X-OPENTOK-AUTH needs a jti") }
        let fresh = lock.withLock { state.useJTI(jti, expires: exp) }
        if !fresh { throw .forbidden("X-OPENTOK-AUTH jti \(jti) was already used") }
        return claims
    }

    /// `Authorization: Bearer {JWT}`: RS256 with the application's key, as vonage-jwt makes it: application_id =
    /// this application, numeric iat and exp, exp in the future and at most 15 minutes after iat, iat not in the
    /// future, a jti never seen before. 401 when refused, as the Vonage API answers a bad JWT.
    private func authenticateVonage(_ headers: [(String, String)], publicKey: RSAPublicKey) throws(OpenTokFailure) -> JSONValue {
        guard let value = headers.last(where: { $0.0.lowercased() == "authorization" })?.1, value.hasPrefix("Bearer ") else {
            throw .unauthorized("Missing Authorization: Bearer header (a Vonage application JWT)")
        }
        let token = String(value.dropFirst("Bearer ".count))
        guard let decoded = HS256JWT.decode(token) else { throw .unauthorized("The Bearer token is not a JWT") }
        guard decoded.header["alg"]?.stringValue == "RS256", decoded.header["typ"]?.stringValue == "JWT" else {
            throw .unauthorized("The Bearer JWT must be RS256 with typ JWT")
        }
        guard let claims = RS256JWT.verify(token, publicKey: publicKey) else { throw .unauthorized("Invalid Bearer JWT signature") }
        guard claims["application_id"]?.stringValue == apiKey else { throw .unauthorized("The Bearer JWT's application_id is not this application") }
        guard let iat = claims["iat"]?.intValue, let exp = claims["exp"]?.intValue else { throw .unauthorized("The Bearer JWT needs numeric iat and exp") }
        let current = now().timeIntervalSince1970
        if Double(exp) <= current { throw .unauthorized("The Bearer JWT has expired") }
        if Double(iat) > current + maxClockSkew { throw .unauthorized("The Bearer JWT's iat is in the future") }
        if exp - iat > Self.maxVonageJWTLifetime { throw .unauthorized("The Bearer JWT lives longer than 15 minutes") }
        guard let jti = claims["jti"]?.stringValue, !jti.isEmpty else { throw .unauthorized("The Bearer JWT needs a jti") }
        let fresh = lock.withLock { state.useJTI(jti, expires: exp) }
        if !fresh { throw .unauthorized("The Bearer JWT's jti \(jti) was already used") }
        return claims
    }

    // MARK: - routing

    private func route(_ method: String, path: String, query: String?, headers: [(String, String)], body: Data) throws(OpenTokFailure) -> HTTPResponse {
        func header(_ name: String) -> String? { headers.last { $0.0.lowercased() == name }?.1 }
        guard header("accept")?.lowercased().hasPrefix("application/json") == true else {
            throw .badRequest("Accept must be application/json")
        }
        let time = now()

        if path == "/session/create" {
            guard method == "POST" else { throw .methodNotAllowed(method, path) }
            // A form body, or none (vonage-video's create_session() sends none). vonage-video 1.6.1 also labels the form
            // `application/json` once an earlier JSON call has left that header in its shared headers; the service takes
            // it, so a form-shaped body is read as a form whatever the label, and only a JSON body is refused.
            let text = String(decoding: body, as: UTF8.self)
            let labelledForm = header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
            let looksJSON = text.first.map { $0 == "{" || $0 == "[" } ?? false
            guard body.isEmpty || labelledForm || !looksJSON else {
                throw .badRequest("session/create takes a form-encoded body (application/x-www-form-urlencoded)")
            }
            guard let fields = body.isEmpty ? [] : FormEncoding.decode(text) else { throw .badRequest("Malformed form body") }
            let session = try locked { () throws(OpenTokFailure) in try state.createSession(form: fields, now: time) }
            // The service answers with an array. Its content type is exactly `application/json`: opentok-python 3.15 parses
            // anything else as the legacy XML answer and fails (G13), and that SDK works against the real service.
            return Self.json(200, .array([session]))
        }

        let prefix = "/v2/project/"
        guard path.hasPrefix(prefix) else { throw .notFound("No such resource: \(path)") }
        var segments = path.dropFirst(prefix.count).split(separator: "/", omittingEmptySubsequences: false)
            .map { $0.removingPercentEncoding ?? String($0) }
        guard segments.first == apiKey else {
            throw .forbidden("The path's project \(segments.first ?? "") is not this \(isVonageApplication ? "application ID" : "API key")")
        }
        segments.removeFirst()
        // Only a body needs a JSON content type: vonage-video sends none on a GET until its first JSON call.
        guard body.isEmpty || header("content-type")?.lowercased().hasPrefix("application/json") == true else {
            throw .badRequest("Content-Type must be application/json")
        }
        let json = try Self.parse(body)
        let params = try Self.decodeQuery(query)
        if !params.isEmpty && !(method == "GET" && segments.count == 1) { throw .badRequest("\(path) takes no query parameters") }

        return try locked { () throws(OpenTokFailure) -> HTTPResponse in
            try dispatch(method, segments, path: path, params: params, body: json, now: time)
        }
    }

    /// Runs under `lock`. The route table (OpenTokRoutes.swift) decides: no pattern fits the path → 404, patterns fit but
    /// none for this method → 405, then the route's body rule, then its handler.
    private func dispatch(_ method: String, _ s: [String], path: String, params: [(String, String)], body: JSONValue?,
                          now: Date) throws(OpenTokFailure) -> HTTPResponse {
        let fitting = Self.routes.compactMap { route in route.match(s).map { (route, $0) } }
        guard !fitting.isEmpty else { throw .notFound("No such resource: \(path)") }
        guard let (route, parameters) = fitting.first(where: { $0.0.method == method }) else { throw .methodNotAllowed(method, path) }
        switch route.body {
        case .none: if body != nil { throw .badRequest("\(method) \(path) takes no body") }
        case .object: guard let body, body.isObject else { throw .badRequest("\(method) \(path) needs a JSON object body") }
        }
        return try route.handler(&state, OpenTokRouteCall(parameters: parameters, params: params, body: body, now: now))
    }

    /// Saves the changes noted since the last save (this call's, and any a test hook made); the error when it could not.
    private func save() -> (any Error)? {
        lock.withLock {
            do { try persistence.save(&state.journal) } catch { return error }
            return nil
        }
    }

    /// A test hook's change, saved at once (a hook has no answer to turn into a 500).
    private func changing<T>(_ body: (inout OpenTokEmulatorState) -> T) -> T {
        lock.withLock {
            let result = body(&state)
            try? persistence.save(&state.journal)
            return result
        }
    }

    /// NSLock.withLock rethrows as `any Error`; this keeps the typed error.
    private func locked<T>(_ body: () throws(OpenTokFailure) -> T) throws(OpenTokFailure) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    // MARK: - wire helpers

    static func json(_ status: Int, _ value: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, headers: [("content-type", "application/json")], body: value.data)
    }

    /// Nil for an empty body; a JSON value otherwise.
    static func parse(_ body: Data) throws(OpenTokFailure) -> JSONValue? {
        if body.isEmpty { return nil }
        do { return try JSONParser.parse(body) } catch { throw .badRequest("The body is not valid JSON: \(error.description)") }
    }

    static func split(_ target: String) -> (path: String, query: String?) {
        guard let q = target.firstIndex(of: "?") else { return (target, nil) }
        return (String(target[..<q]), String(target[target.index(after: q)...]))
    }

    static func decodeQuery(_ query: String?) throws(OpenTokFailure) -> [(String, String)] {
        guard let query, !query.isEmpty else { return [] }
        var out: [(String, String)] = []
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let name = parts[0].removingPercentEncoding, let value = (parts.count > 1 ? parts[1] : "").removingPercentEncoding else {
                throw .badRequest("Malformed query string")
            }
            out.append((name, value))
        }
        return out
    }
}
