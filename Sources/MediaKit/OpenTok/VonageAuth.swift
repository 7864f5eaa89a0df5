// The Vonage Video API's `Authorization: Bearer {JWT}` (vonage-jwt 1.1 / vonage-http-client 1.5): an RS256
// application JWT per attempt; and the one transport layer that signs each attempt for either platform, with the
// clock and the jti injected.
import FoundationEssentials
import Glibc

public enum VonageAuthHeader {
    public static let name = "Authorization"
    /// vonage-jwt's default lifetime: `exp = iat + 15 * 60`.
    public static let lifetime = 900

    /// Claims in vonage-jwt's order: application_id, iat, jti, exp.
    public static func claims(applicationID: String, issuedAt: Int, jti: String) -> JSONValue {
        ["application_id": .string(applicationID), "iat": .int(issuedAt), "jti": .string(jti), "exp": .int(issuedAt + lifetime)]
    }

    public static func make(_ credentials: VonageCredentials, now: Date, jti: String) throws(MediaError) -> String {
        let claims = claims(applicationID: credentials.applicationID, issuedAt: Int(now.timeIntervalSince1970.rounded(.down)), jti: jti)
        guard let token = RS256JWT.sign(claims: claims, key: credentials.privateKey) else {
            throw .config("OpenSSL could not sign with the Vonage private key")
        }
        return token
    }

    /// A unique jti per request: a random UUID, as vonage-jwt's `str(uuid4())` (the same as OpenTok's).
    @Sendable public static func randomJTI() -> String { OpenTokAuthHeader.randomJTI() }
}

/// Adds the platform's auth header to each attempt just before it is sent, so a retry carries a new jti and iat:
/// X-OPENTOK-AUTH (HS256 with the API secret) or `Authorization: Bearer` (RS256 with the application's key).
public struct VideoAuthTransport: HTTPTransport {
    let inner: any HTTPTransport
    let credentials: VideoCredentials
    let clock: Clock
    let jti: @Sendable () -> String

    /// `jti` defaults to each platform's SDK form: a random UUID for both (opentok's `str(random.random())` is
    /// only required to be unique).
    public init(inner: any HTTPTransport, credentials: VideoCredentials, clock: Clock = .system,
                jti: @escaping @Sendable () -> String = VonageAuthHeader.randomJTI) {
        self.inner = inner
        self.credentials = credentials
        self.clock = clock
        self.jti = jti
    }

    public func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        var signed = request
        switch credentials {
        case let .openTok(c):
            signed.setHeader(OpenTokAuthHeader.name, OpenTokAuthHeader.make(c, now: clock.now(), jti: jti()))
        case let .vonage(c):
            signed.setHeader(VonageAuthHeader.name, "Bearer " + (try VonageAuthHeader.make(c, now: clock.now(), jti: jti())))
        }
        return try inner.send(signed)
    }
}
