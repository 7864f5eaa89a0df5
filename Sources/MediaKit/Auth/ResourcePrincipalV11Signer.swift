// Resource principal version 1.1 (the SDK's `ResourcePrincipalsFederationSigner`): on a compute host, the
// instance principal signs the GET of the resource principal token and the session-token POST, for a fresh
// session key each time; calls sign with `ST$<rpst>` and that key.
import FoundationEssentials

public final class ResourcePrincipalV11Signer: NestableResourcePrincipal, @unchecked Sendable {
    // @unchecked: `session` and `sessionKey` are read and written only with `lock` held.
    public static let rptIDVariable = "OCI_RESOURCE_PRINCIPAL_RPT_ID"

    public let region: String?
    public let tokenURL: RequestURL
    public let sessionTokenURL: RequestURL
    let exchange: ResourcePrincipalTokenExchange
    let makeSessionKey: @Sendable () -> RSAPrivateKey?
    private let lock = Lock()
    private var session: ResourcePrincipalSession
    private var sessionKey: RSAPrivateKey

    /// `instance` is the host's instance principal (from `--metadata-url` / `--federation-endpoint` as usual).
    public init(environment: [String: String], instance: InstancePrincipalSigner, network: PrincipalNetwork,
                defaultRealm: String? = nil,
                makeSessionKey: @escaping @Sendable () -> RSAPrivateKey? = { RSAPrivateKey.generate() }) throws(MediaError) {
        func variable(_ name: String) -> String? {
            guard let v = environment[name]?.trimming(.whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        guard let rptText = variable(ResourcePrincipalV21Signer.rptEndpointVariable), var rptBase = RequestURL(rptText) else {
            throw .config("\(ResourcePrincipalV21Signer.rptEndpointVariable) is not set to an http(s) URL: resource principal version 1.1 needs the resource principal token endpoint")
        }
        if rptBase.path.hasSuffix("/") { rptBase.path.removeLast() }
        // The session token endpoint defaults to the auth service of the instance's region.
        var rpstBase: RequestURL
        if let text = variable(ResourcePrincipalV21Signer.rpstEndpointVariable) {
            guard let u = RequestURL(text) else { throw .config("\(ResourcePrincipalV21Signer.rpstEndpointVariable) is '\(text)': expected an http(s) URL") }
            rpstBase = u
        } else {
            guard let regionName = instance.region, let region = try? Regions.resolve(regionName, defaultRealm: defaultRealm) else {
                throw .config("the instance's region '\(instance.region ?? "")' is unknown: set \(ResourcePrincipalV21Signer.rpstEndpointVariable)")
            }
            rpstBase = Regions.authEndpoint(region)
        }
        if rpstBase.path.hasSuffix("/") { rpstBase.path.removeLast() }
        // The SDK's DefaultRptPathProvider: OCI_RESOURCE_PRINCIPAL_RPT_PATH (a `{id}` template) or
        // /20180711/resourcePrincipalToken/{id}; the id from OCI_RESOURCE_PRINCIPAL_RPT_ID or the metadata service.
        let template = variable(ResourcePrincipalV21Signer.rptPathVariable) ?? "/20180711/resourcePrincipalToken/{id}"
        let id: String
        if let given = variable(Self.rptIDVariable) { id = given } else { id = try instance.metadata.text("/instance/id") }
        tokenURL = rptBase.appending(path: template.replacing("{id}", with: id))
        sessionTokenURL = rpstBase.appending(path: "/v1/resourcePrincipalSessionToken")
        region = instance.region
        self.makeSessionKey = makeSessionKey
        exchange = ResourcePrincipalTokenExchange(
            tokenURL: tokenURL, sessionTokenURL: sessionTokenURL, securityContext: nil, network: network,
            signCall: { request, now throws(MediaError) in try instance.sign(&request, now: now) },
            refusalHint: "resource principal 1.1, signed by the instance principal of tenancy \(instance.tenancy)): check "
                + "\(ResourcePrincipalV21Signer.rptEndpointVariable) and the dynamic group and policies of the instance")
        guard let key = makeSessionKey() else { throw .auth("could not generate an RSA session key", nil) }
        sessionKey = key
        session = try exchange.fetch(sessionKey: key)
    }

    public var tenancy: String? { lock.withLock { session.claims["res_tenant"]?.stringValue } }

    public func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) {
        lock.lock()
        defer { lock.unlock() }
        if let exp = session.expiresAt, now > exp.addingTimeInterval(-InstancePrincipalSigner.expiryMargin) { try renewLocked() }
        try OCIRequestSigner.sign(&request, keyID: "ST$\(session.token)", key: sessionKey, date: now)
    }

    public func refreshAfterUnauthorized() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        do { try renewLocked(); return true } catch { return false }
    }

    public var currentSessionKey: RSAPrivateKey { lock.withLock { sessionKey } }

    public func renewForParent() throws(MediaError) {
        lock.lock()
        defer { lock.unlock() }
        try renewLocked()
    }

    /// A new session key and token, as the SDK's refresh does.
    private func renewLocked() throws(MediaError) {
        guard let key = makeSessionKey() else { throw .auth("could not generate an RSA session key", nil) }
        session = try exchange.fetch(sessionKey: key)
        sessionKey = key
    }
}
