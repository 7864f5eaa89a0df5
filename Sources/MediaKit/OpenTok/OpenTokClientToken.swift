// Client tokens (protocols.md §7.7): what a browser or app uses to connect to a session. Made
// locally, never sent by mediactl; the JWT form is opentok 3.15's default, `T1==` the legacy one.
import FoundationEssentials

public enum OpenTokRole: String, CaseIterable, Sendable {
    case subscriber, publisher, publisheronly, moderator
}

public enum ClientTokenFormat: String, CaseIterable, Sendable {
    case jwt, legacy
}

/// What a token grants. Times are whole seconds since the epoch, as on the wire.
public struct ClientTokenRequest: Sendable, Equatable {
    public var sessionID: String
    public var role: OpenTokRole
    /// Nil: 24 hours after issue, as the SDK does.
    public var expireTime: Int?
    public var connectionData: String?
    public var initialLayoutClasses: [String]

    public init(sessionID: String, role: OpenTokRole = .publisher, expireTime: Int? = nil, connectionData: String? = nil,
                initialLayoutClasses: [String] = []) {
        self.sessionID = sessionID
        self.role = role
        self.expireTime = expireTime
        self.connectionData = connectionData
        self.initialLayoutClasses = initialLayoutClasses
    }
}

public enum OpenTokClientToken {
    public static let defaultLifetime = 86_400
    /// The SDK refuses expire times further than 30 days ahead.
    public static let maxLifetime = 2_592_000
    public static let maxConnectionData = 1000
    public static let maxLayoutClassList = 1000
    public static let legacyPrefix = "T1=="

    /// Validates as the SDK does, then makes the token. `nonce` is the SDK's random 0–999999.
    public static func make(_ request: ClientTokenRequest, credentials: OpenTokCredentials, format: ClientTokenFormat = .jwt,
                            now: Date, nonce: Int) throws(MediaError) -> String {
        let issued = Int(now.timeIntervalSince1970.rounded(.down))
        let checked = try validate(request, apiKey: credentials.apiKey, now: issued)
        switch format {
        case .jwt:
            var claims: [(String, JSONValue)] = [("session_id", .string(request.sessionID)), ("role", .string(request.role.rawValue)),
                                                 ("iat", .int(issued)), ("exp", .int(checked.expireTime)), ("scope", "session.connect")]
            if !checked.layoutClassList.isEmpty { claims.append(("initial_layout_class_list", .string(checked.layoutClassList))) }
            if let data = request.connectionData, !data.isEmpty { claims.append(("connection_data", .string(data))) }
            claims += [("iss", .string(credentials.apiKey)), ("ist", "project"), ("nonce", .int(nonce))]
            return HS256JWT.sign(claims: .object(claims), key: credentials.signingKey)
        case .legacy:
            var fields: [(String, String)] = [("session_id", request.sessionID), ("create_time", String(issued)),
                                              ("expire_time", String(checked.expireTime)), ("role", request.role.rawValue),
                                              ("nonce", String(nonce)), ("initial_layout_class_list", checked.layoutClassList)]
            if let data = request.connectionData, !data.isEmpty { fields.append(("connection_data", data)) }
            let dataString = FormEncoding.string(fields)
            let sig = Digest.hmacSHA1(key: credentials.signingKey, message: Data(dataString.utf8)).hexLowercase
            return legacyPrefix + Data("partner_id=\(credentials.apiKey)&sig=\(sig):\(dataString)".utf8).base64EncodedString()
        }
    }

    /// The expire time to use and the space-joined class list, or the first rule broken.
    /// `apiKey` is the project the session must belong to (a Vonage application ID for Vonage tokens, whose
    /// default lifetime is shorter: `defaultLifetime`).
    public static func validate(_ request: ClientTokenRequest, apiKey: String, now: Int, defaultLifetime: Int = defaultLifetime,
                                owner: String = "API key") throws(MediaError) -> (expireTime: Int, layoutClassList: String) {
        try OpenTokSessionID.check(request.sessionID, belongsTo: apiKey, owner: owner)
        let expire = request.expireTime ?? now + defaultLifetime
        if expire < now { throw .usage("the token's expire time \(EpochSeconds.describe(expire)) is in the past") }
        if expire > now + maxLifetime {
            throw .usage("the token's expire time \(EpochSeconds.describe(expire)) is more than 30 days ahead (latest \(EpochSeconds.describe(now + maxLifetime)))")
        }
        // Python's len() counts code points, so unicode scalars, not grapheme clusters or bytes.
        if let data = request.connectionData, data.unicodeScalars.count > maxConnectionData {
            throw .usage("connection data is \(data.unicodeScalars.count) characters; at most \(maxConnectionData) are allowed")
        }
        for name in request.initialLayoutClasses where name.isEmpty || name.contains(where: \.isWhitespace) {
            throw .usage("layout class '\(name)' must be one non-empty word: the list is sent joined with spaces")
        }
        let joined = request.initialLayoutClasses.joined(separator: " ")
        if joined.unicodeScalars.count > maxLayoutClassList {
            throw .usage("the initial layout class list is \(joined.unicodeScalars.count) characters joined; at most \(maxLayoutClassList) are allowed")
        }
        return (expire, joined)
    }

    /// A random nonce in the SDK's range.
    @Sendable public static func randomNonce() -> Int {
        let bytes = Digest.randomBytes(4)
        return Int(bytes.reduce(UInt32(0)) { $0 << 8 | UInt32($1) } % 1_000_000)
    }

    /// The fields inside a legacy token, for tests and the emulator: partner_id, sig and the signed data string.
    public static func decodeLegacy(_ token: String) -> (partnerID: String, sig: String, dataString: String)? {
        guard token.hasPrefix(legacyPrefix), let raw = Data(base64Encoded: String(token.dropFirst(legacyPrefix.count))),
              let text = String(data: raw, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        var partner: String?, sig: String?
        for pair in text[..<colon].split(separator: "&") {
            let kv = pair.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { continue }
            if kv[0] == "partner_id" { partner = kv[1] } else if kv[0] == "sig" { sig = kv[1] }
        }
        guard let partner, let sig else { return nil }
        return (partner, sig, String(text[text.index(after: colon)...]))
    }
}

/// OpenTok session IDs: `{1|2}_` + base64url of `~`-separated parts, one of which is the API key.
public enum OpenTokSessionID {
    /// The `~`-separated parts, or nil when the ID does not decode (protocols.md §7.7).
    public static func parts(_ sessionID: String) -> [String]? {
        guard sessionID.count > 2 else { return nil }
        guard let data = Data(base64URLEncoded: String(sessionID.dropFirst(2))), let text = String(data: data, encoding: .utf8) else { return nil }
        return text.split(separator: "~", omittingEmptySubsequences: false).map(String.init)
    }

    /// The SDK's check before it makes a token: the session must belong to this API key.
    public static func check(_ sessionID: String, belongsTo apiKey: String, owner: String = "API key") throws(MediaError) {
        guard let parts = parts(sessionID) else {
            throw .usage("'\(sessionID.prefix(120))' is not an OpenTok session ID (expected the ID `session create` printed, such as 1_MX4...)")
        }
        guard parts.contains(apiKey) else {
            throw .usage("session \(sessionID.prefix(120)) does not belong to \(owner) \(apiKey)")
        }
    }

    /// A session ID in the service's shape, for the emulator: `1_` + base64url("1~key~~ms~random~~mode").
    public static func make(apiKey: String, createdMillis: Int64, random: String, routed: Bool) -> String {
        "1_" + Data("1~\(apiKey)~~\(createdMillis)~\(random)~~\(routed ? "MR" : "P2P")".utf8).base64URLEncoded
    }
}

/// `application/x-www-form-urlencoded` as Python's urlencode writes it (quote_plus): letters, digits
/// and `_.-~` kept, space → `+`, everything else %XX in upper case.
public enum FormEncoding {
    static let kept = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-~".utf8)

    public static func encode(_ value: String) -> String {
        var out = ""
        for b in value.utf8 {
            if kept.contains(b) { out.append(Character(Unicode.Scalar(b))) }
            else if b == UInt8(ascii: " ") { out += "+" }
            else { out += String(cFormat: "%%%02X", b) }
        }
        return out
    }

    public static func string(_ pairs: [(String, String)]) -> String {
        pairs.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
    }

    /// Decodes a form body into pairs, in order; nil on a malformed escape.
    public static func decode(_ body: String) -> [(String, String)]? {
        var out: [(String, String)] = []
        for pair in body.split(separator: "&", omittingEmptySubsequences: true) {
            let kv = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
            guard let key = unescape(kv[0]), let value = unescape(kv.count > 1 ? kv[1] : "") else { return nil }
            out.append((key, value))
        }
        return out
    }

    static func unescape(_ text: String) -> String? {
        var bytes: [UInt8] = []
        var i = text.utf8.startIndex
        let u = text.utf8
        while i < u.endIndex {
            let b = u[i]
            if b == UInt8(ascii: "+") { bytes.append(0x20) }
            else if b == UInt8(ascii: "%") {
                let h1 = u.index(after: i)
                guard h1 < u.endIndex else { return nil }
                let h2 = u.index(after: h1)
                guard h2 < u.endIndex, let v = UInt8(String(decoding: [u[h1], u[h2]], as: UTF8.self), radix: 16) else { return nil }
                bytes.append(v)
                i = h2
            } else { bytes.append(b) }
            i = u.index(after: i)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}

/// Epoch seconds shown with their ISO-8601 UTC form in messages.
public enum EpochSeconds {
    public static func describe(_ seconds: Int) -> String {
        "\(seconds) (\(Date(timeIntervalSince1970: Double(seconds)).internetDateTime()))"
    }
}
