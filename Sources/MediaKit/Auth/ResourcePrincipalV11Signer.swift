// Resource principal version 1.1 (the SDK's `ResourcePrincipalsFederationSigner`): on a compute host, the
// instance principal signs the GET of the resource principal token and the session-token POST, for a fresh
// session key each time; calls sign with `ST$<rpst>` and that key.
import FoundationEssentials

public final class ResourcePrincipalV11Signer: NestableResourcePrincipal, Sendable {
    public static let rptIDVariable = "OCI_RESOURCE_PRINCIPAL_RPT_ID"

    public let region: String?
    public let tokenURL: RequestURL
    public let sessionTokenURL: RequestURL
    let exchange: ResourcePrincipalTokenExchange
    let makeSessionKey: @Sendable () -> RSAPrivateKey?
    private let session: RenewingSession

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
        // A fresh session key each time, as the SDK's refresh does.
        let exchange = self.exchange
        session = try RenewingSession { () throws(MediaError) in
            guard let key = makeSessionKey() else { throw .auth("could not generate an RSA session key", nil) }
            return (try exchange.fetch(sessionKey: key), key)
        }
    }

    public var tenancy: String? { session.tenancy }
    public func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) { try session.sign(&request, now: now) }
    public func refreshAfterUnauthorized() -> Bool { session.refreshAfterUnauthorized() }
    public var currentSessionKey: RSAPrivateKey { session.currentKey }
    public func renewForParent() throws(MediaError) { try session.renew() }
}
