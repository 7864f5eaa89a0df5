// Resource principal versions 2.1, 2.1.1 and 2.1.2 (the SDK's `EphemeralResourcePrincipalV21Signer`): the
// resource's own key signs a GET of a resource principal token (RPT) and a service principal session token
// (SPST), then a POST exchanging both for a resource principal session token; calls sign with `ST$<rpst>`.
import FoundationEssentials

public final class ResourcePrincipalV21Signer: NestableResourcePrincipal, Sendable {
    public static let versions = ["2.1", "2.1.1", "2.1.2"]
    public static let rptEndpointVariable = "OCI_RESOURCE_PRINCIPAL_RPT_ENDPOINT"
    public static let rpstEndpointVariable = "OCI_RESOURCE_PRINCIPAL_RPST_ENDPOINT"
    public static let resourceIDVariable = "OCI_RESOURCE_PRINCIPAL_RESOURCE_ID"
    public static let tenancyIDVariable = "OCI_RESOURCE_PRINCIPAL_TENANCY_ID"
    public static let securityContextVariable = "OCI_RESOURCE_PRINCIPAL_SECURITY_CONTEXT"
    public static let rptPathVariable = "OCI_RESOURCE_PRINCIPAL_RPT_PATH"

    public let region: String?
    public let version: String
    /// `resource/v2.1/{resource}` or `resource/v{version}/{tenancy}/{resource}` (the SDK's `KeyPairSigner`).
    public let resourceKeyID: String
    /// The full URL of the RPT GET, and of the RPST POST.
    public let tokenURL: RequestURL
    public let sessionTokenURL: RequestURL
    let key: RSAPrivateKey
    let exchange: ResourcePrincipalTokenExchange
    private let session: RenewingSession

    public init(version: String, environment: [String: String], network: PrincipalNetwork, fileSystem: FileReading = LocalFiles(),
                defaultRealm: String? = nil) throws(MediaError) {
        func variable(_ name: String) -> String? {
            guard let v = environment[name]?.trimming(.whitespacesAndNewlines), !v.isEmpty else { return nil }
            return v
        }
        func required(_ name: String, _ what: String) throws(MediaError) -> String {
            guard let v = variable(name) else {
                throw .config("\(name) is not set: resource principal version \(version) needs \(what)")
            }
            return v
        }
        func url(_ name: String, _ text: String) throws(MediaError) -> RequestURL {
            guard var u = RequestURL(text) else { throw .config("\(name) is '\(text)': expected an http(s) URL") }
            if u.path.hasSuffix("/") { u.path.removeLast() }
            return u
        }
        self.version = version
        let rptBase = try url(Self.rptEndpointVariable, try required(Self.rptEndpointVariable, "the resource principal token endpoint"))
        let rpstBase = try url(Self.rpstEndpointVariable, try required(Self.rpstEndpointVariable, "the session token endpoint"))
        let resource = try required(Self.resourceIDVariable, "the resource's OCID")
        if version == "2.1" {
            resourceKeyID = "resource/v2.1/\(resource)"
        } else {
            let tenancy = try required(Self.tenancyIDVariable, "the resource's tenancy OCID")
            resourceKeyID = "resource/v\(version)/\(tenancy)/\(resource)"
        }
        // 2.1.2 may name its own token path: a template ending `{}` takes the resource id there, else it is appended.
        var path = "/20180711/resourcePrincipalTokenV2/\(resource)"
        var securityContext: String?
        if version == "2.1.2" {
            if let custom = variable(Self.rptPathVariable) {
                path = custom.hasSuffix("{}") ? String(custom.dropLast(2)) + resource : (custom.hasSuffix("/") ? custom : custom + "/") + resource
            } else {
                path = "/20180711/resourcePrincipalTokenV212/\(resource)"
            }
            securityContext = variable(Self.securityContextVariable)
        }
        tokenURL = rptBase.appending(path: path)
        sessionTokenURL = rpstBase.appending(path: "/v1/resourcePrincipalSessionToken")

        let keyText = try required(ResourcePrincipalSigner.keyVariable, "the resource's private key (PEM, or an absolute path to one)")
        let pem = try ResourcePrincipalSigner.valueOrFile(keyText, variable: ResourcePrincipalSigner.keyVariable, fileSystem: fileSystem)
        var passphrase = variable(ResourcePrincipalSigner.passphraseVariable)
        if keyText.hasPrefix("/"), let p = passphrase, p.hasPrefix("/") {
            // As for 2.2: with a key file the SDK takes the pass phrase variable as a file too.
            passphrase = try ResourcePrincipalSigner.valueOrFile(p, variable: ResourcePrincipalSigner.passphraseVariable, fileSystem: fileSystem)
        }
        do { key = try RSAPrivateKey.load(pem: Data(pem.utf8), passphrase: passphrase) } catch {
            throw .config("\(ResourcePrincipalSigner.keyVariable): \(error.message)")
        }
        if let regionText = variable(ResourcePrincipalSigner.regionVariable) {
            do { region = try Regions.resolve(regionText, defaultRealm: defaultRealm).identifier } catch {
                throw .config("\(ResourcePrincipalSigner.regionVariable): \(error.message)")
            }
        } else {
            region = nil
        }
        let (keyID, signingKey) = (resourceKeyID, key)
        exchange = ResourcePrincipalTokenExchange(
            tokenURL: tokenURL, sessionTokenURL: sessionTokenURL, securityContext: securityContext, network: network,
            signCall: { request, now throws(MediaError) in try OCIRequestSigner.sign(&request, keyID: keyID, key: signingKey, date: now) },
            refusalHint: "resource principal \(version), keyId \(resourceKeyID)): check \(Self.resourceIDVariable)"
                + (version == "2.1" ? "" : ", \(Self.tenancyIDVariable)") + " and the key in \(ResourcePrincipalSigner.keyVariable)")
        // The session is bound to the resource's own key.
        let exchange = self.exchange
        session = try RenewingSession { () throws(MediaError) in (try exchange.fetch(sessionKey: signingKey), signingKey) }
    }

    public var tenancy: String? { session.tenancy }
    public func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) { try session.sign(&request, now: now) }
    public func refreshAfterUnauthorized() -> Bool { session.refreshAfterUnauthorized() }
    public var currentSessionKey: RSAPrivateKey { key }
    public func renewForParent() throws(MediaError) { try session.renew() }

    /// The body exactly as the SDK's `json.dumps` of its payload writes it (keys in its order).
    public static func sessionBody(rpt: String, spst: String, sessionKey: RSAPrivateKey) -> Data {
        ResourcePrincipalTokenExchange.sessionBody(rpt: rpt, spst: spst, sessionKey: sessionKey)
    }
}

/// A resource principal session token, its expiry and claims.
struct ResourcePrincipalSession: Sendable {
    var token: String
    var expiresAt: Date?
    var claims: JSONValue
    /// Version 3.0: the further parent the RPT answer named in `opc-parent-rpt-url`.
    var parentTokenURL: String? = nil
}

/// The two calls every token-exchanging resource principal makes (versions 1.1 and 2.1.x): a signed GET of the
/// RPT and SPST, then a signed POST of both with the session key's public half for a session token.
struct ResourcePrincipalTokenExchange: Sendable {
    let tokenURL: RequestURL
    let sessionTokenURL: RequestURL
    let securityContext: String?
    let network: PrincipalNetwork
    /// Signs the two calls: the resource's key (2.1.x) or the instance principal (1.1).
    let signCall: @Sendable (inout HTTPRequest, Date) throws(MediaError) -> Void
    /// The end of the message when a call is refused: which settings to check.
    let refusalHint: String
    /// The settings to check when the GET's or the POST's endpoint cannot be reached.
    var tokenVariable = ResourcePrincipalV21Signer.rptEndpointVariable
    var sessionVariable = ResourcePrincipalV21Signer.rpstEndpointVariable
    /// The SDK's token retries go through its default strategy; a CLI stops after three tries.
    static let maxAttempts = 3

    /// The body exactly as the SDK's `json.dumps` of its payload writes it (keys in its order).
    static func sessionBody(rpt: String, spst: String, sessionKey: RSAPrivateKey) -> Data {
        // Tokens and base64 hold no character JSON must escape; json.dumps puts a space after ':' and ','.
        Data(("{\"resourcePrincipalToken\": \"\(rpt)\", \"servicePrincipalSessionToken\": \"\(spst)\", "
            + "\"sessionPublicKey\": \"\(sessionKey.publicKeyDER.base64EncodedString())\"}").utf8)
    }

    func fetch(sessionKey: RSAPrivateKey) throws(MediaError) -> ResourcePrincipalSession {
        // The SDK's BaseClient sends `accept: */*` on both calls (its make_call names no accept header).
        var get = HTTPRequest(method: "GET", url: tokenURL, headers: [("accept", "*/*"), ("content-type", "application/json")])
        if let securityContext { get.setHeader("security-context", securityContext) }
        let (tokens, parentTokenURL) = try call(get, what: "resource principal token")
        guard let rpt = tokens["resourcePrincipalToken"]?.stringValue, let spst = tokens["servicePrincipalSessionToken"]?.stringValue else {
            throw .auth("the resource principal token endpoint \(tokenURL) answered without resourcePrincipalToken and servicePrincipalSessionToken", nil)
        }
        let post = HTTPRequest(method: "POST", url: sessionTokenURL, headers: [("accept", "*/*"), ("content-type", "application/json")],
                               body: Self.sessionBody(rpt: rpt, spst: spst, sessionKey: sessionKey))
        let (answer, _) = try call(post, what: "resource principal session token")
        guard let token = answer["token"]?.stringValue, !token.isEmpty else {
            throw .auth("the session token endpoint \(sessionTokenURL) answered without a token", nil)
        }
        let claims: JSONValue
        do { claims = try JWTClaims.decodeUnverified(token, what: "token") } catch {
            throw .auth("the session token endpoint \(sessionTokenURL) returned a token that is not a JWT", nil)
        }
        return ResourcePrincipalSession(token: token, expiresAt: claims["exp"]?.intValue.map { Date(timeIntervalSince1970: Double($0)) },
                                        claims: claims, parentTokenURL: parentTokenURL)
    }

    /// One signed call, retried on 429, 5xx and network errors: its JSON answer and `opc-parent-rpt-url`, if any.
    private func call(_ request: HTTPRequest, what: String) throws(MediaError) -> (JSONValue, String?) {
        var attempt = 1
        while true {
            var signed = request
            signed.setHeader("opc-request-id", OKEWorkloadIdentitySigner.requestID())
            try signCall(&signed, network.clock.now())
            let reason: String
            do throws(MediaError) {
                let response = try network.transport.send(signed)
                if response.isSuccess {
                    guard let json = try? JSONParser.parse(response.body), json.isObject else {
                        throw MediaError.auth("\(request.url) answered HTTP \(response.status) with no JSON object for the \(what)", nil)
                    }
                    return (json, response.header(NestedResourcePrincipalSigner.parentHeader))
                }
                guard response.status == 429 || response.status >= 500, attempt < min(network.retryPolicy.maxAttempts, Self.maxAttempts) else {
                    throw MediaError.auth("\(request.method) \(request.url) refused the \(what) (\(refusalHint)", OCIErrorBody.failure(response, request: signed))
                }
                reason = "HTTP \(response.status)"
            } catch {
                switch error {
                case .network, .timeout, .unreachable:
                    guard attempt < min(network.retryPolicy.maxAttempts, Self.maxAttempts) else {
                        throw .auth("\(request.url) could not be reached for the \(what) (\(error.message)); check "
                            + (request.method == "GET" ? tokenVariable : sessionVariable), nil)
                    }
                    reason = error.message
                default: throw error
                }
            }
            try network.pause(retry: attempt, what: "\(request.method) \(request.url)", reason: reason)
            attempt += 1
        }
    }
}
