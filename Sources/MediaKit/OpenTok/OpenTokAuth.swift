// The X-OPENTOK-AUTH header (protocols.md §7.1): a fresh HS256 JWT per attempt, made by a transport
// layer so the clock and the jti source are injected and golden tests are exact.
import FoundationEssentials

public enum OpenTokAuthHeader {
    public static let name = "X-OPENTOK-AUTH"
    /// The SDK's lifetime (3 minutes); Vonage allows at most 5.
    public static let lifetime = 180

    /// Claims in the SDK's key order: ist, iat, exp, iss, jti.
    public static func claims(apiKey: String, issuedAt: Int, jti: String) -> JSONValue {
        ["ist": "project", "iat": .int(issuedAt), "exp": .int(issuedAt + lifetime), "iss": .string(apiKey), "jti": .string(jti)]
    }

    public static func make(_ credentials: OpenTokCredentials, now: Date, jti: String) -> String {
        HS256JWT.sign(claims: claims(apiKey: credentials.apiKey, issuedAt: Int(now.timeIntervalSince1970.rounded(.down)), jti: jti),
                      key: credentials.signingKey)
    }

    /// A unique jti per request: a random UUID (the SDK uses `str(random.random())`; any unique string is accepted).
    @Sendable public static func randomJTI() -> String { UUID().uuidString.lowercased() }
}

/// Adds X-OPENTOK-AUTH to each attempt just before it is sent, so a retry carries a new jti and iat.
public struct OpenTokAuthTransport: HTTPTransport {
    let inner: any HTTPTransport
    let credentials: OpenTokCredentials
    let clock: Clock
    let jti: @Sendable () -> String

    public init(inner: any HTTPTransport, credentials: OpenTokCredentials, clock: Clock = .system,
                jti: @escaping @Sendable () -> String = OpenTokAuthHeader.randomJTI) {
        self.inner = inner
        self.credentials = credentials
        self.clock = clock
        self.jti = jti
    }

    public func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        var signed = request
        signed.setHeader(OpenTokAuthHeader.name, OpenTokAuthHeader.make(credentials, now: clock.now(), jti: jti()))
        return try inner.send(signed)
    }
}
