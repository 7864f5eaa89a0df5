// Resource principal version 3.0 (the SDK's `NestedResourcePrincipals`): a leaf resource principal (1.1, 2.1.x
// or 2.2, from the `*_FOR_LEAF_RESOURCE` variables) signs the GET of its parent's RPT and the session-token POST;
// the parent's session token is bound to the leaf's session key, and calls sign with `ST$<parent rpst>` and it.
import FoundationEssentials

/// A resource principal a parent can be nested on: the key its session is bound to, and the SDK's
/// `refresh_security_token`, which every parent exchange calls on its child first.
public protocol NestableResourcePrincipal: OCISigner, AnyObject {
    var tenancy: String? { get }
    var currentSessionKey: RSAPrivateKey { get }
    func renewForParent() throws(MediaError)
}

public final class NestedResourcePrincipalSigner: NestableResourcePrincipal, Sendable {
    public static let version = "3.0"
    public static let leafSuffix = "_FOR_LEAF_RESOURCE"
    public static let leafVersionVariable = "OCI_RESOURCE_PRINCIPAL_VERSION_FOR_LEAF_RESOURCE"
    public static let parentTokenURLVariable = "OCI_RESOURCE_PRINCIPAL_RPT_URL_FOR_PARENT_RESOURCE"
    public static let parentSessionEndpointVariable = "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT_FOR_PARENT_RESOURCE"
    /// The response header naming a further parent's RPT URL.
    public static let parentHeader = "opc-parent-rpt-url"
    /// The SDK's MAX_NESTED_PARENT_DEPTH.
    static let maxDepth = 10

    public let region: String?
    public let depth: Int
    /// The RPT URL as given (variable or header): the SDK's cycle check compares the texts.
    public let tokenURLText: String
    let child: NestableResourcePrincipal
    let exchange: ResourcePrincipalTokenExchange
    private let session: RenewingSession

    init(tokenURLText: String, sessionEndpoint: RequestURL, child: NestableResourcePrincipal, depth: Int,
         network: PrincipalNetwork) throws(MediaError) {
        guard let tokenURL = RequestURL(tokenURLText) else {
            throw .auth("the parent resource principal token URL '\(tokenURLText)' is not an http(s) URL", nil)
        }
        self.tokenURLText = tokenURLText
        self.child = child
        self.depth = depth
        region = child.region
        let from = depth == 0 ? Self.parentTokenURLVariable : "the \(Self.parentHeader) header of the first parent"
        exchange = ResourcePrincipalTokenExchange(
            tokenURL: tokenURL, sessionTokenURL: sessionEndpoint.appending(path: "/v1/resourcePrincipalSessionToken"),
            securityContext: nil, network: network,
            signCall: { request, now throws(MediaError) in try child.sign(&request, now: now) },
            refusalHint: "resource principal 3.0, parent \(depth + 1) signed by its child): check \(from), "
                + "\(Self.parentSessionEndpointVariable) and the policies letting the child act for its parent",
            tokenVariable: from, sessionVariable: Self.parentSessionEndpointVariable)
        // The SDK's `_refresh_security_token_inner`, also its constructor: the child first, then the exchange with the child's key.
        let exchange = self.exchange
        session = try RenewingSession { () throws(MediaError) in
            try child.renewForParent()
            let key = child.currentSessionKey
            return (try exchange.fetch(sessionKey: key), key)
        }
    }

    /// The SDK's `get_resource_principals_signer` for "3.0": the leaf, its first parent (from the variables),
    /// and one more parent when the first names one in `opc-parent-rpt-url`. Like the SDK it goes no further
    /// (a second parent's own header is not followed) and refuses a parent naming its own URL.
    public static func make(environment: [String: String], network: PrincipalNetwork,
                            leaf makeLeaf: (_ version: String, _ environment: [String: String]) throws(MediaError) -> NestableResourcePrincipal)
        throws(MediaError) -> NestedResourcePrincipalSigner {
        func variable(_ name: String) -> String? {
            guard let v = environment[name]?.trimming(.whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        let leafVersions = ["2.2", "1.1"] + ResourcePrincipalV21Signer.versions
        guard let leafVersion = variable(leafVersionVariable), leafVersions.contains(leafVersion) else {
            let given = variable(leafVersionVariable).map { "is '\($0)'" } ?? "is not set"
            throw .config("\(leafVersionVariable) \(given): resource principal 3.0 needs the leaf resource's version, one of "
                + leafVersions.joined(separator: ", "))
        }
        // The SDK checks the parent's variables after building the leaf; checking first sends nothing in vain.
        guard let parentURL = variable(parentTokenURLVariable) else {
            throw .config("\(parentTokenURLVariable) is not set: resource principal 3.0 needs the complete URL of the parent resource's token")
        }
        guard let sessionText = variable(parentSessionEndpointVariable), var sessionEndpoint = RequestURL(sessionText) else {
            throw .config("\(parentSessionEndpointVariable) is not set to an http(s) URL: resource principal 3.0 needs the parent's session token endpoint")
        }
        if sessionEndpoint.path.hasSuffix("/") { sessionEndpoint.path.removeLast() }
        let leaf: NestableResourcePrincipal
        do { leaf = try makeLeaf(leafVersion, leafEnvironment(environment)) } catch { throw leafError(error) }
        let first = try NestedResourcePrincipalSigner(tokenURLText: parentURL, sessionEndpoint: sessionEndpoint, child: leaf,
                                                      depth: 0, network: network)
        guard let next = first.parentTokenURL else { return first }
        if first.depth >= maxDepth || next == first.tokenURLText {
            throw .auth("the parent resource principal at \(first.tokenURLText) names itself in \(parentHeader): the nested resource "
                + "principals went over the allowed depth of \(maxDepth), or form a cycle", nil)
        }
        return try NestedResourcePrincipalSigner(tokenURLText: next, sessionEndpoint: sessionEndpoint, child: first,
                                                 depth: first.depth + 1, network: network)
    }

    /// The leaf reads the plain variables' `_FOR_LEAF_RESOURCE` twins; the parent's plain ones are hidden from it.
    static func leafEnvironment(_ environment: [String: String]) -> [String: String] {
        var leaf = environment.filter { !$0.key.hasPrefix("OCI_RESOURCE_PRINCIPAL_") }
        for (name, value) in environment where name.hasPrefix("OCI_RESOURCE_PRINCIPAL_") && name.hasSuffix(leafSuffix) {
            leaf[String(name.dropLast(leafSuffix.count))] = value
        }
        return leaf
    }

    /// The leaf's messages name the plain variables; the user set their `_FOR_LEAF_RESOURCE` twins.
    static func leafError(_ error: MediaError) -> MediaError {
        switch error {
        case let .config(m): return .config(leafNames(m))
        case let .auth(m, failure): return .auth(leafNames(m), failure)
        default: return error
        }
    }

    static func leafNames(_ text: String) -> String {
        var out = ""
        var word = ""
        func flush() {
            out += word.hasPrefix("OCI_RESOURCE_PRINCIPAL_") && !word.hasSuffix(leafSuffix) ? word + leafSuffix : word
            word = ""
        }
        for c in text {
            if c.isUppercase || c.isNumber || c == "_" { word.append(c) } else { flush(); out.append(c) }
        }
        flush()
        return out
    }

    /// The further parent this parent's last RPT answer named, if any.
    public var parentTokenURL: String? { session.parentTokenURL }
    public var tenancy: String? { session.tenancy }
    public var currentSessionKey: RSAPrivateKey { session.currentKey }
    public func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) { try session.sign(&request, now: now) }
    public func refreshAfterUnauthorized() -> Bool { session.refreshAfterUnauthorized() }
    public func renewForParent() throws(MediaError) { try session.renew() }
}
