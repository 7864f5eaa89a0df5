// The X-OPENTOK-AUTH header (protocols.md §7.1): a fresh HS256 JWT per attempt, made by the transport
// layer (VideoAuthTransport in VonageAuth.swift) so the clock and the jti source are injected and golden tests are exact.
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
