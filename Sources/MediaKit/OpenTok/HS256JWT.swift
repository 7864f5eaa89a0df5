// HS256 JSON Web Tokens (RFC 7519) in the exact compact form OpenTok's SDK writes: the
// X-OPENTOK-AUTH header, JWT client tokens, and their verification (used by the emulator and tests).
import FoundationEssentials

public enum HS256JWT {
    /// The SDK's header, byte for byte: `{"alg":"HS256","typ":"JWT"}`.
    public static let headerJSON = #"{"alg":"HS256","typ":"JWT"}"#

    /// Signs `claims` (an object, keys in the order given) with HMAC-SHA256.
    public static func sign(claims: JSONValue, key: Data) -> String {
        let input = Data(headerJSON.utf8).base64URLEncoded + "." + Data(asciiJSON(claims).utf8).base64URLEncoded
        return input + "." + Digest.hmacSHA256(key: key, message: Data(input.utf8)).base64URLEncoded
    }

    /// Compact JSON with every non-ASCII character escaped as `\uXXXX`, as Python's `json.dumps`
    /// (ensure_ascii) writes it inside the SDK, so tokens match the SDK's byte for byte.
    static func asciiJSON(_ value: JSONValue) -> String {
        var out = ""
        for scalar in value.compactText.unicodeScalars {
            if scalar.value < 0x7F { out.unicodeScalars.append(scalar); continue }
            // Outside strings compact JSON is pure ASCII, so every scalar here sits inside a string.
            for unit in String(scalar).utf16 { out += String(cFormat: "\\u%04x", unit) }
        }
        return out
    }

    public struct Decoded: Sendable {
        public let header: JSONValue
        public let claims: JSONValue
        public let signature: Data
        /// `base64url(header).base64url(claims)`, the bytes the signature covers.
        public let signingInput: String
    }

    /// Splits and decodes a compact JWT without checking the signature; nil when malformed.
    public static func decode(_ token: String) -> Decoded? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
              let headerData = Data(base64URLEncoded: String(parts[0])), let header = try? JSONParser.parse(headerData), header.isObject,
              let claimsData = Data(base64URLEncoded: String(parts[1])), let claims = try? JSONParser.parse(claimsData), claims.isObject,
              let signature = Data(base64URLEncoded: String(parts[2])) else { return nil }
        return Decoded(header: header, claims: claims, signature: signature, signingInput: "\(parts[0]).\(parts[1])")
    }

    /// The claims when the token is an HS256 JWT whose signature `key` made; nil otherwise.
    public static func verify(_ token: String, key: Data) -> JSONValue? {
        guard let decoded = decode(token), decoded.header["alg"]?.stringValue == "HS256" else { return nil }
        let expected = Digest.hmacSHA256(key: key, message: Data(decoded.signingInput.utf8))
        // Not a ternary: `cond ? claims : nil` would make the nil a JSONValue.null, never a missing value.
        guard constantTimeEqual(expected, decoded.signature) else { return nil }
        return decoded.claims
    }

    /// Compares MACs without an early exit, so timing says nothing about where they differ.
    public static func constantTimeEqual(_ a: Data, _ b: Data) -> Bool {
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for (x, y) in zip(a, b) { diff |= x ^ y }
        return diff == 0
    }
}
