// Instance-principal auth (protocols.md §3 steps 5–9): a session key, a security token from the auth
// service's /v1/x509 signed with the instance's leaf key, refreshed before `exp − 60 s` and after a 401.
import FoundationEssentials

/// The auth service's X.509 federation call (the SDK's `X509FederationClient`).
public struct FederationClient: Sendable {
    /// The full `/v1/x509` URL.
    public let endpoint: RequestURL
    let network: PrincipalNetwork
    /// The SDK's federation retries: 3 attempts on connection errors and 5xx.
    static let maxAttempts = 3

    public init(endpoint: RequestURL, network: PrincipalNetwork) {
        self.endpoint = endpoint
        self.network = network
    }

    /// `https://auth.{region}.{domain}/v1/x509`, or an explicit endpoint: a bare base URL gets `/v1/x509`
    /// appended, a URL with a path is used as given.
    public static func endpoint(explicit: String?, region: RegionInfo?, regionText: String) throws(MediaError) -> RequestURL {
        if let explicit = explicit?.trimming(.whitespacesAndNewlines), !explicit.isEmpty {
            guard var url = RequestURL(explicit) else {
                throw .usage("--federation-endpoint: '\(explicit)' is not an http(s) URL (expected e.g. https://auth.us-ashburn-1.oraclecloud.com)")
            }
            if url.path == "/" { url.path = "/v1/x509" }
            return url
        }
        guard let region else {
            throw .config("the instance metadata service gave region '\(regionText)', which this version does not know: "
                + "pass --federation-endpoint (OCI_CLI_FEDERATION_ENDPOINT), or set OCI_DEFAULT_REALM")
        }
        return Regions.authEndpoint(region).appending(path: "/v1/x509")
    }

    /// The JSON body, keys in the SDK's order; certificates and key as one-line base64 DER.
    public static func body(leaf: X509Certificate, intermediates: [X509Certificate], sessionKey: RSAPrivateKey) -> Data {
        let value: JSONValue = [
            "certificate": .string(leaf.base64DER),
            "publicKey": .string(sessionKey.publicKeyDER.base64EncodedString()),
            "intermediateCertificates": .array(intermediates.map { .string($0.base64DER) }),
        ]
        return value.data
    }

    /// Asks for a security token for `sessionKey`, signing with the leaf key (keyId
    /// `{tenancy}/fed-x509/{SHA-1 fingerprint}`, `host` not signed).
    public func requestToken(identity: InstanceIdentity, tenancy: String, sessionKey: RSAPrivateKey) throws(MediaError) -> String {
        let keyID = "\(tenancy)/fed-x509/\(identity.leaf.sha1Fingerprint)"
        let body = Self.body(leaf: identity.leaf, intermediates: identity.intermediates, sessionKey: sessionKey)
        let limit = min(network.retryPolicy.maxAttempts, Self.maxAttempts)
        var attempt = 1
        while true {
            var request = HTTPRequest(method: "POST", url: endpoint, headers: [("content-type", "application/json")], body: body)
            try OCIRequestSigner.sign(&request, keyID: keyID, key: identity.leafKey, date: network.clock.now(), signHost: false)
            let reason: String
            do throws(MediaError) {
                let response = try network.transport.send(request)
                if response.isSuccess { return try token(in: response) }
                let failure = OCIErrorBody.failure(response, request: request)
                guard response.status >= 500, attempt < limit else {
                    if (400..<500).contains(response.status) && response.status != 429 {
                        throw MediaError.auth("the auth service refused the instance principal's certificate (\(endpoint))", failure)
                    }
                    throw MediaError.from(failure)
                }
                reason = "HTTP \(response.status)"
            } catch {
                switch error {
                case .network, .timeout, .unreachable:
                    guard attempt < limit else {
                        throw .network("the auth service could not be reached for an instance-principal token (\(error.message)); "
                            + "check the network, or pass --federation-endpoint (OCI_CLI_FEDERATION_ENDPOINT)")
                    }
                    reason = error.message
                default: throw error
                }
            }
            try network.pause(retry: attempt, what: "POST \(endpoint)", reason: reason)
            attempt += 1
        }
    }

    private func token(in response: HTTPResponse) throws(MediaError) -> String {
        guard let json = try? JSONParser.parse(response.body), let token = json["token"]?.stringValue, !token.isEmpty else {
            throw .auth("the auth service at \(endpoint) answered HTTP \(response.status) without a token", nil)
        }
        return token
    }
}

/// Signs with `ST$<token>` and the session key; the token comes from federation and is renewed without
/// user action. Thread-safe: one lock guards the session, and a refresh happens under it.
public final class InstancePrincipalSigner: OCISigner, @unchecked Sendable {
    // @unchecked: every mutable field is read and written only with `lock` held.
    /// The region identifier (or raw name, if unknown) the metadata service reported.
    public let region: String?
    public let tenancy: String
    public let federation: FederationClient
    let metadata: InstanceMetadataService
    let makeSessionKey: @Sendable () -> RSAPrivateKey?
    /// The user's delegation token (instance_obo_user), sent and signed as `opc-obo-token`.
    let delegationToken: String?
    public static let delegationTokenHeader = "opc-obo-token"
    private let lock = Lock()
    private var session: Session
    /// Refresh this long before the token's `exp` (the SDK's `DEFAULT_EXPIRY_JITTER_SECONDS`).
    public static let expiryMargin: Double = 60

    struct Session {
        var token: String
        var key: RSAPrivateKey
        var expiresAt: Date?
    }

    /// Reads the identity and region from the metadata service, then federates once. `metadataURL` and
    /// `federationEndpoint` override the defaults (`--metadata-url`, `--federation-endpoint`).
    /// `delegationToken` makes it the SDK's `InstancePrincipalsDelegationTokenSigner` (`--auth instance_obo_user`,
    /// Cloud Shell): each request carries the token as `opc-obo-token`, and signs it.
    public convenience init(metadataURL: String?, federationEndpoint: String?, defaultRealm: String?,
                            network: PrincipalNetwork, delegationToken: String? = nil) throws(MediaError) {
        // The first candidate that answers serves every later call (the SDK's candidate loop).
        let candidates = try InstanceMetadataService.candidates(explicit: metadataURL, network: network)
        var chosen: (InstanceMetadataService, InstanceIdentity)?
        var lastError: MediaError?
        for service in candidates {
            do { chosen = (service, try service.identity()); break } catch { lastError = error }
        }
        guard let (metadata, identity) = chosen else {
            throw lastError ?? .auth("no instance metadata service candidate", nil)
        }
        let regionText = try metadata.region()
        let region = try? Regions.resolve(regionText, defaultRealm: defaultRealm)
        let endpoint = try FederationClient.endpoint(explicit: federationEndpoint, region: region, regionText: regionText)
        try self.init(metadata: metadata, identity: identity, region: region?.identifier ?? regionText,
                      federation: FederationClient(endpoint: endpoint, network: network), delegationToken: delegationToken)
    }

    init(metadata: InstanceMetadataService, identity: InstanceIdentity, region: String?, federation: FederationClient,
         delegationToken: String? = nil,
         makeSessionKey: @escaping @Sendable () -> RSAPrivateKey? = { RSAPrivateKey.generate() }) throws(MediaError) {
        guard let tenancy = identity.leaf.tenancyOCID else {
            throw .auth("the instance's leaf certificate names no tenancy (no opc-tenant: or opc-identity: value in its subject \(identity.leaf.subjectLine))", nil)
        }
        self.metadata = metadata
        self.region = region
        self.tenancy = tenancy
        self.federation = federation
        self.makeSessionKey = makeSessionKey
        self.delegationToken = delegationToken
        session = try Self.federate(identity: identity, tenancy: tenancy, federation: federation, makeSessionKey: makeSessionKey)
    }

    public func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) {
        lock.lock()
        defer { lock.unlock() }
        if let expiresAt = session.expiresAt, now > expiresAt.addingTimeInterval(-Self.expiryMargin) {
            try refreshLocked()
        }
        if let delegationToken {
            request.setHeader(Self.delegationTokenHeader, delegationToken)
            try OCIRequestSigner.sign(&request, keyID: "ST$\(session.token)", key: session.key, date: now,
                                      extraSignedHeaders: [Self.delegationTokenHeader])
        } else {
            try OCIRequestSigner.sign(&request, keyID: "ST$\(session.token)", key: session.key, date: now)
        }
    }

    /// After a 401: a new session key, a fresh identity from the metadata service, a new token.
    public func refreshAfterUnauthorized() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        do { try refreshLocked(); return true } catch { return false }
    }

    /// The current token's expiry (tests and --debug).
    public var tokenExpiry: Date? {
        lock.lock()
        defer { lock.unlock() }
        return session.expiresAt
    }

    private func refreshLocked() throws(MediaError) {
        let identity = try metadata.identity()
        // The SDK refuses a certificate that suddenly names another tenancy.
        guard let renewed = identity.leaf.tenancyOCID, renewed == tenancy else {
            throw .auth("the instance's renewed leaf certificate names tenancy \(identity.leaf.tenancyOCID ?? "(none)"), not \(tenancy)", nil)
        }
        session = try Self.federate(identity: identity, tenancy: tenancy, federation: federation, makeSessionKey: makeSessionKey)
    }

    private static func federate(identity: InstanceIdentity, tenancy: String, federation: FederationClient,
                                 makeSessionKey: @Sendable () -> RSAPrivateKey?) throws(MediaError) -> Session {
        guard let key = makeSessionKey() else { throw .auth("could not generate an RSA session key", nil) }
        let token = try federation.requestToken(identity: identity, tenancy: tenancy, sessionKey: key)
        let claims: JSONValue
        do { claims = try JWTClaims.decodeUnverified(token, what: "token") } catch {
            throw .auth("the auth service at \(federation.endpoint) returned a token that is not a JWT", nil)
        }
        return Session(token: token, key: key, expiresAt: claims["exp"]?.intValue.map { Date(timeIntervalSince1970: Double($0)) })
    }
}
