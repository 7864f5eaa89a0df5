// Vonage Video client tokens (vonage-video 1.6 `generate_client_token`): an RS256 JWT signed with the
// application's private key, with the video subject and the session ACL. Made locally, never sent by mediactl.
import FoundationEssentials
import Glibc

public enum VonageClientToken {
    /// vonage-video's default: `exp = iat + 15 * 60` (OpenTok's is 24 hours).
    public static let defaultLifetime = 900
    /// The ACL the SDK forces on every token (`enforce_acl_default_value`).
    public static let acl: JSONValue = ["paths": ["/session/**": .object([])]]

    /// Validates as OpenTok tokens are (role, expire time within 30 days, data and class-list lengths, the
    /// session belonging to the application), then signs. Claims in the SDK's order: session_id, role,
    /// [connection_data], [initial_layout_class_list (an array, unlike OpenTok's space-joined string)],
    /// exp, jti, iat, subject, scope, acl, application_id.
    public static func make(_ request: ClientTokenRequest, credentials: VonageCredentials, now: Date, jti: String) throws(MediaError) -> String {
        let issued = Int(now.timeIntervalSince1970.rounded(.down))
        let checked = try validate(request, applicationID: credentials.applicationID, now: issued)
        var claims: [(String, JSONValue)] = [("session_id", .string(request.sessionID)), ("role", .string(request.role.rawValue))]
        if let data = request.connectionData, !data.isEmpty { claims.append(("connection_data", .string(data))) }
        if !request.initialLayoutClasses.isEmpty {
            claims.append(("initial_layout_class_list", .array(request.initialLayoutClasses.map(JSONValue.string))))
        }
        claims += [("exp", .int(checked.expireTime)), ("jti", .string(jti)), ("iat", .int(issued)), ("subject", "video"),
                   ("scope", "session.connect"), ("acl", acl), ("application_id", .string(credentials.applicationID))]
        guard let token = RS256JWT.sign(claims: .object(claims), key: credentials.privateKey) else {
            throw .config("OpenSSL could not sign with the Vonage private key")
        }
        return token
    }

    public static func validate(_ request: ClientTokenRequest, applicationID: String, now: Int) throws(MediaError) -> (expireTime: Int, layoutClassList: String) {
        try OpenTokClientToken.validate(request, apiKey: applicationID, now: now, defaultLifetime: defaultLifetime, owner: "application")
    }
}

extension VideoCredentials {
    /// A client token for `request`: OpenTok's HS256 JWT or `T1==` form, or Vonage's RS256 JWT (JWT only).
    /// `nonce` feeds OpenTok tokens, `jti` Vonage ones.
    public func clientToken(_ request: ClientTokenRequest, format: ClientTokenFormat = .jwt, now: Date,
                            nonce: Int, jti: String) throws(MediaError) -> String {
        switch self {
        case let .openTok(c):
            return try OpenTokClientToken.make(request, credentials: c, format: format, now: now, nonce: nonce)
        case let .vonage(c):
            if format == .legacy { throw .usage("legacy T1== tokens exist only for OpenTok credentials; Vonage client tokens are JWTs") }
            return try VonageClientToken.make(request, credentials: c, now: now, jti: jti)
        }
    }

    /// The validation `clientToken` applies, before any key is read: the expire time and joined class list.
    public static func validate(_ request: ClientTokenRequest, platform: VideoPlatform, projectID: String, now: Int) throws(MediaError) -> (expireTime: Int, layoutClassList: String) {
        platform == .vonage ? try VonageClientToken.validate(request, applicationID: projectID, now: now)
                            : try OpenTokClientToken.validate(request, apiKey: projectID, now: now)
    }
}
