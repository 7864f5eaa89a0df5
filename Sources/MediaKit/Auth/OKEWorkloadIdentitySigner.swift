// OKE workload identity (the SDK's `OkeWorkloadIdentityResourcePrincipalSigner`): the pod's Kubernetes
// service-account token is exchanged at the cluster's proxymux for a resource principal session token
// bound to a fresh session key; the token is renewed once half its lifetime has passed.
import FoundationEssentials

/// Signs with `ST$<rpst>` and the session key; thread-safe (one lock guards the session, a renewal happens under it).
public final class OKEWorkloadIdentitySigner: OCISigner, @unchecked Sendable {
    // @unchecked: `session` is read and written only with `lock` held.
    public static let tokenPathVariable = "OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_PATH"
    public static let tokenStringVariable = "OCI_KUBERNETES_SERVICE_ACCOUNT_TOKEN_STRING"
    public static let certPathVariable = "OCI_KUBERNETES_SERVICE_ACCOUNT_CERT_PATH"
    public static let hostVariable = "KUBERNETES_SERVICE_HOST"
    /// Not an SDK variable: the SDK always uses 12250. Lets a test (or a port-forward) reach a proxymux elsewhere.
    public static let portVariable = "MEDIACTL_OKE_PROXYMUX_PORT"
    public static let defaultTokenPath = "/var/run/secrets/kubernetes.io/serviceaccount/token"
    public static let defaultCertPath = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"
    public static let proxymuxPort = 12250
    /// The SDK's proxymux retries go through its default strategy; a CLI stops after three tries.
    static let maxAttempts = 3

    public let region: String?
    /// `https://{KUBERNETES_SERVICE_HOST}:12250/resourcePrincipalSessionTokens`
    public let endpoint: RequestURL
    let serviceAccountToken: ServiceAccountToken
    let network: PrincipalNetwork
    let fileSystem: FileReading
    let makeSessionKey: @Sendable () -> RSAPrivateKey?
    private let lock = Lock()
    private var session: Session

    /// Where the service-account token comes from: a literal (`…_TOKEN_STRING`) or a file, read again at
    /// every exchange because the kubelet rotates projected tokens in place.
    enum ServiceAccountToken: Sendable {
        case literal(String)
        case file(String, variable: String?)
    }

    struct Session {
        var token: String
        var key: RSAPrivateKey
        var issuedAt: Date?
        var expiresAt: Date?
        var claims: JSONValue
    }

    /// The CA file the proxymux's certificate is checked against (`verify=` in the SDK): the cluster CA only.
    public static func caCertificatePath(environment: [String: String]) -> String {
        value(environment, certPathVariable) ?? defaultCertPath
    }

    /// Reads the settings from the environment and exchanges the token once; `network` must trust the
    /// cluster CA (its transport built with `caCertificatePath`).
    public init(environment: [String: String], network: PrincipalNetwork, fileSystem: FileReading = LocalFiles(),
                defaultRealm: String? = nil,
                makeSessionKey: @escaping @Sendable () -> RSAPrivateKey? = { RSAPrivateKey.generate() }) throws(MediaError) {
        guard let host = Self.value(environment, Self.hostVariable) else {
            throw .config("\(Self.hostVariable) is not set: --auth oke_workload_identity works inside a Kubernetes pod of an OKE "
                + "enhanced cluster, where Kubernetes sets it")
        }
        var port = Self.proxymuxPort
        if let text = Self.value(environment, Self.portVariable) {
            guard let p = Int(text), (1...65535).contains(p) else {
                throw .config("\(Self.portVariable) is '\(text)': expected a TCP port number (1-65535)")
            }
            port = p
        }
        // An IPv6 service host needs brackets in a URL.
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        guard let url = RequestURL("https://\(hostPart):\(port)/resourcePrincipalSessionTokens") else {
            throw .config("\(Self.hostVariable) is '\(host)': expected a host name or IP address")
        }
        endpoint = url
        if let literal = Self.value(environment, Self.tokenStringVariable) {
            serviceAccountToken = .literal(literal)
        } else if let path = Self.value(environment, Self.tokenPathVariable) {
            serviceAccountToken = .file(path, variable: Self.tokenPathVariable)
        } else {
            serviceAccountToken = .file(Self.defaultTokenPath, variable: nil)
        }
        if let regionText = Self.value(environment, ResourcePrincipalSigner.regionVariable) {
            do { region = try Regions.resolve(regionText, defaultRealm: defaultRealm).identifier } catch {
                throw .config("\(ResourcePrincipalSigner.regionVariable): \(error.message)")
            }
        } else {
            region = nil
        }
        // Checked here so a pod without the cluster CA hears that, not a TLS error from libcurl.
        let caPath = Self.caCertificatePath(environment: environment)
        do { _ = try fileSystem.read(caPath) } catch {
            throw .auth("the cluster CA certificate \(caPath) cannot be read (\(error.reason)): set \(Self.certPathVariable) "
                + "to the CA that signed the proxymux's certificate", nil)
        }
        self.network = network
        self.fileSystem = fileSystem
        self.makeSessionKey = makeSessionKey
        session = try Self.exchange(endpoint: url, saToken: serviceAccountToken, network: network, fileSystem: fileSystem,
                                    makeSessionKey: makeSessionKey)
    }

    /// The tenancy the session token speaks for (`res_tenant`), when it says.
    public var tenancy: String? { lock.withLock { session.claims["res_tenant"]?.stringValue } }

    /// The current token's expiry (tests and --debug).
    public var tokenExpiry: Date? { lock.withLock { session.expiresAt } }

    public func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) {
        lock.lock()
        defer { lock.unlock() }
        if Self.needsRenewal(session, now: now) { try renewLocked() }
        try OCIRequestSigner.sign(&request, keyID: "ST$\(session.token)", key: session.key, date: now)
    }

    /// After a 401 a new exchange is worth one resend (the SDK only renews on age; a revoked token would
    /// otherwise fail every call until it aged out).
    public func refreshAfterUnauthorized() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        do { try renewLocked(); return true } catch { return false }
    }

    /// The SDK's `valid_with_half_expiration_time`: renew once `exp − (exp − iat)/2` has passed (or at
    /// `exp − 60 s` when the token has no `iat`).
    static func needsRenewal(_ session: Session, now: Date) -> Bool {
        guard let exp = session.expiresAt else { return false }
        let margin = session.issuedAt.map { exp.timeIntervalSince($0) / 2 } ?? InstancePrincipalSigner.expiryMargin
        return now.timeIntervalSince1970 > exp.timeIntervalSince1970 - margin
    }

    private func renewLocked() throws(MediaError) {
        session = try Self.exchange(endpoint: endpoint, saToken: serviceAccountToken, network: network, fileSystem: fileSystem,
                                    makeSessionKey: makeSessionKey)
    }

    /// The request body exactly as the SDK's `requests.post(json=…)` writes it: `{"podKey": "<base64 SPKI DER>"}`.
    public static func body(sessionKey: RSAPrivateKey) -> Data {
        Data("{\"podKey\": \"\(sessionKey.publicKeyDER.base64EncodedString())\"}".utf8)
    }

    /// The SDK's `generate_opc_request_id`: three 16-byte random values in lowercase hex, joined by `/`.
    public static func requestID() -> String {
        (0..<3).map { _ in Digest.randomBytes(16).map { String(cFormat: "%02x", $0) }.joined() }.joined(separator: "/")
    }

    private static func exchange(endpoint: RequestURL, saToken: ServiceAccountToken, network: PrincipalNetwork,
                                 fileSystem: FileReading, makeSessionKey: @Sendable () -> RSAPrivateKey?) throws(MediaError) -> Session {
        let bearer = try read(saToken, fileSystem: fileSystem)
        guard let key = makeSessionKey() else { throw .auth("could not generate an RSA session key", nil) }
        let body = body(sessionKey: key)
        var attempt = 1
        while true {
            let request = HTTPRequest(method: "POST", url: endpoint,
                                      headers: [("authorization", "Bearer \(bearer)"), ("content-type", "application/json"),
                                                ("opc-request-id", requestID())], body: body)
            let reason: String
            do throws(MediaError) {
                let response = try network.transport.send(request)
                if response.isSuccess { return try session(from: response, endpoint: endpoint, key: key) }
                let retryable = response.status == 429 || response.status >= 500
                if !retryable || attempt >= min(network.retryPolicy.maxAttempts, maxAttempts) {
                    let hint = response.status == 403
                        ? "workload identity needs an OKE enhanced cluster and a policy for this service account"
                        : "check the service account token (\(describe(saToken)))"
                    throw MediaError.auth("the OKE proxymux at \(endpoint) refused the token exchange (HTTP \(response.status)): \(hint)", nil)
                }
                reason = "HTTP \(response.status)"
            } catch {
                switch error {
                case .network, .timeout, .unreachable:
                    guard attempt < min(network.retryPolicy.maxAttempts, maxAttempts) else {
                        throw .auth("the OKE proxymux at \(endpoint) could not be reached (\(error.message)); check "
                            + "\(hostVariable) and that \(certPathVariable) (default \(defaultCertPath)) holds the cluster CA", nil)
                    }
                    reason = error.message
                default: throw error
                }
            }
            try network.pause(retry: attempt, what: "POST \(endpoint)", reason: reason)
            attempt += 1
        }
    }

    /// The proxymux answers with base64 of `{"token": "ST$<rpst>"}`; plain JSON is accepted too.
    private static func session(from response: HTTPResponse, endpoint: RequestURL, key: RSAPrivateKey) throws(MediaError) -> Session {
        let text = String(decoding: response.body, as: UTF8.self).trimming(.whitespacesAndNewlines)
        let decoded = Data(base64Encoded: text) ?? response.body
        guard let json = try? JSONParser.parse(decoded), var token = json["token"]?.stringValue else {
            throw .auth("the OKE proxymux at \(endpoint) answered HTTP \(response.status) without a token", nil)
        }
        if token.hasPrefix("ST$") { token.removeFirst(3) }
        let claims: JSONValue
        do { claims = try JWTClaims.decodeUnverified(token, what: "token") } catch {
            throw .auth("the OKE proxymux at \(endpoint) returned a token that is not a JWT", nil)
        }
        func date(_ name: String) -> Date? { claims[name]?.intValue.map { Date(timeIntervalSince1970: Double($0)) } }
        return Session(token: token, key: key, issuedAt: date("iat"), expiresAt: date("exp"), claims: claims)
    }

    private static func read(_ source: ServiceAccountToken, fileSystem: FileReading) throws(MediaError) -> String {
        switch source {
        case let .literal(text): return text
        case let .file(path, _):
            let text: String
            do { text = String(decoding: try fileSystem.read(path), as: UTF8.self).trimming(.whitespacesAndNewlines) } catch {
                throw .auth("the Kubernetes service account token \(describe(source)) cannot be read: \(error.reason); "
                    + "run in a pod with a service account token, or set \(tokenPathVariable) or \(tokenStringVariable)", nil)
            }
            guard !text.isEmpty else { throw .auth("the Kubernetes service account token \(describe(source)) is empty", nil) }
            return text
        }
    }

    private static func describe(_ source: ServiceAccountToken) -> String {
        switch source {
        case .literal: return "from \(tokenStringVariable)"
        case let .file(path, variable?): return "in \(path) (\(variable))"
        case let .file(path, nil): return "in \(path)"
        }
    }

    static func value(_ environment: [String: String], _ name: String) -> String? {
        guard let v = environment[name]?.trimming(.whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }
}
