// OCI request signing (draft-cavage HTTP Signatures, version 1) as a pure function:
// request, key id, key and date in; signed headers out. No clock, no I/O (protocols.md §1).
import FoundationEssentials
import Glibc

public enum OCIRequestSigner {
    /// The signed header lists, in the SDK's order (protocols.md §1.3).
    /// `bodyHeaders: false` is the SDK's `enforce_content_headers=False` (Object Storage PutObject and
    /// UploadPart): a PUT signed with the GET list, so a streamed body need not be hashed first.
    /// `extra` are signed after `host` and before the body headers (the SDK's `generic_headers`, e.g. `opc-obo-token`).
    public static func signedHeaderNames(method: String, signHost: Bool = true, bodyHeaders: Bool = true,
                                         extra: [String] = []) -> [String] {
        var names = ["date", "(request-target)"]
        if signHost { names.append("host") }
        names += extra
        if bodyHeaders, ["POST", "PUT", "PATCH"].contains(method.uppercased()) {
            names += ["content-length", "content-type", "x-content-sha256"]
        }
        return names
    }

    /// Adds `date`, `host`-derived and body headers, then `authorization`, to `request`.
    /// `signHost: false` is the federation (`/v1/x509`) variant (§3 step 6).
    public static func sign(_ request: inout HTTPRequest, keyID: String, key: RSAPrivateKey, date: Date,
                            signHost: Bool = true, extraSignedHeaders: [String] = []) throws(MediaError) {
        try sign(&request, keyID: keyID, key: key, dateHeader: httpDate(date), signHost: signHost, extraSignedHeaders: extraSignedHeaders)
    }

    /// The same with the `date` header text given as is (golden vectors carry theirs verbatim).
    public static func sign(_ request: inout HTTPRequest, keyID: String, key: RSAPrivateKey, dateHeader: String,
                            signHost: Bool = true, extraSignedHeaders: [String] = []) throws(MediaError) {
        let names = signedHeaderNames(method: request.method, signHost: signHost, bodyHeaders: request.signsBodyHeaders,
                                      extra: extraSignedHeaders)
        request.setHeader("date", dateHeader)
        if request.bodyFile != nil && request.signsBodyHeaders {
            throw .usage("a body streamed from a file can only be sent on a call signed without content headers")
        }
        if !request.signsBodyHeaders, ["POST", "PUT", "PATCH"].contains(request.method) {
            // Sent but not signed, as the SDK does for a stream body (content-type defaults to octet-stream).
            if request.header("content-type") == nil { request.setHeader("content-type", "application/octet-stream") }
            request.setHeader("content-length", String(request.bodyLength))
        } else if names.contains("x-content-sha256") {
            // OCI signs x-content-sha256, content-length and content-type on POST/PUT/PATCH, even for empty bodies.
            if request.header("content-type") == nil { request.setHeader("content-type", "application/json") }
            request.setHeader("content-length", String(request.body.count))
            request.setHeader("x-content-sha256", Digest.sha256(request.body).base64EncodedString())
        }
        let text = signingString(request, names: names)
        guard let signature = key.signSHA256(Data(text.utf8)) else {
            throw .auth("the private key could not sign the request", nil)
        }
        request.setHeader("authorization", authorizationValue(names: names, keyID: keyID, signature: signature))
    }

    /// `name: value` lines joined by LF, no trailing newline (§1.4).
    public static func signingString(_ request: HTTPRequest, names: [String]) -> String {
        names.map { name in
            switch name {
            case "(request-target)": return "(request-target): \(request.method.lowercased()) \(request.url.target)"
            case "host": return "host: \(request.header("host") ?? request.url.authority)"
            default: return "\(name): \(request.header(name) ?? "")"
            }
        }.joined(separator: "\n")
    }

    public static func authorizationValue(names: [String], keyID: String, signature: Data) -> String {
        "Signature algorithm=\"rsa-sha256\",headers=\"\(names.joined(separator: " "))\",keyId=\"\(keyID)\","
            + "signature=\"\(signature.base64EncodedString())\",version=\"1\""
    }

    /// RFC 7231 IMF-fixdate in GMT, English names regardless of locale.
    public static func httpDate(_ date: Date) -> String {
        var t = time_t(date.timeIntervalSince1970.rounded(.down))
        var tm = tm()
        gmtime_r(&t, &tm)
        let days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(days[Int(tm.tm_wday)]), " + String(cFormat: "%02d ", tm.tm_mday) + "\(months[Int(tm.tm_mon)]) "
            + String(cFormat: "%04d %02d:%02d:%02d GMT", Int(tm.tm_year) + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec)
    }

    /// Parses an IMF-fixdate (used by the emulator to check clock skew).
    public static func parseHTTPDate(_ text: String) -> Date? {
        let parts = text.split(separator: " ")
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        guard parts.count == 6, parts[5] == "GMT", let day = Int(parts[1]),
              let month = months.firstIndex(of: String(parts[2])), let year = Int(parts[3]) else { return nil }
        let hms = parts[4].split(separator: ":").compactMap { Int($0) }
        guard hms.count == 3 else { return nil }
        var tm = tm()
        tm.tm_year = Int32(year - 1900)
        tm.tm_mon = Int32(month)
        tm.tm_mday = Int32(day)
        tm.tm_hour = Int32(hms[0])
        tm.tm_min = Int32(hms[1])
        tm.tm_sec = Int32(hms[2])
        return Date(timeIntervalSince1970: TimeInterval(timegm(&tm)))
    }
}

/// A principal that can sign OCI requests: API key, security token, instance or resource principal.
public protocol OCISigner: Sendable {
    /// The region the credentials belong to, when they know it (instance and resource principals).
    var region: String? { get }
    func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError)
    /// Called once after a 401; returns true when fresh credentials make a resend worthwhile.
    func refreshAfterUnauthorized() -> Bool
}

extension OCISigner {
    public var region: String? { nil }
    public func refreshAfterUnauthorized() -> Bool { false }
}

/// API-key auth: keyId `{tenancy}/{user}/{fingerprint}`.
public struct APIKeySigner: OCISigner {
    public let keyID: String
    let key: RSAPrivateKey

    public init(tenancy: String, user: String, fingerprint: String, key: RSAPrivateKey) {
        keyID = "\(tenancy)/\(user)/\(fingerprint)"
        self.key = key
    }

    public func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) {
        try OCIRequestSigner.sign(&request, keyID: keyID, key: key, date: now)
    }
}

/// Security-token auth (`oci session authenticate`): keyId `ST$<token>`, signed with the session key.
public struct SecurityTokenSigner: OCISigner {
    let token: String
    let key: RSAPrivateKey
    /// The token file and the token's `exp`, so the CLI can warn before the token runs out.
    public let file: String?
    public let expiresAt: Date?

    public init(token: String, key: RSAPrivateKey, file: String? = nil, expiresAt: Date? = nil) {
        self.token = token
        self.key = key
        self.file = file
        self.expiresAt = expiresAt
    }

    public func sign(_ request: inout HTTPRequest, now: Date) throws(MediaError) {
        try OCIRequestSigner.sign(&request, keyID: "ST$\(token)", key: key, date: now)
    }
}
