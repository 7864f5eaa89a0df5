// Request and response values, the URL form that is signed exactly as sent, and the Transport seam.
import FoundationEssentials

/// A URL kept as the exact strings that go on the wire: nothing re-encodes it after signing.
public struct RequestURL: Equatable, Sendable, CustomStringConvertible {
    public var scheme: String          // "https" or "http"
    public var host: String            // as written, IPv6 with brackets
    public var port: Int?
    public var path: String            // percent-encoded, starts with "/"
    public var query: String?          // percent-encoded, without "?"

    public init(scheme: String, host: String, port: Int? = nil, path: String, query: String? = nil) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.path = path.isEmpty ? "/" : path
        self.query = query
    }

    /// Parses `scheme://host[:port][/path][?query]`; nil for anything else.
    public init?(_ text: String) {
        guard let sep = text.firstRange(of: "://") else { return nil }
        let scheme = text[..<sep.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { return nil }
        var rest = Substring(text[sep.upperBound...])
        if let hash = rest.firstIndex(of: "#") { rest = rest[..<hash] }
        let authorityEnd = rest.firstIndex(where: { $0 == "/" || $0 == "?" }) ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard !authority.isEmpty, !authority.contains("@"), !authority.contains(where: { $0 == " " }) else { return nil }
        var host = String(authority)
        var port: Int?
        if let colon = authority.lastIndex(of: ":"), !authority[colon...].contains("]") {
            guard let p = Int(authority[authority.index(after: colon)...]), (1...65535).contains(p) else { return nil }
            port = p
            host = String(authority[..<colon])
        }
        guard !host.isEmpty else { return nil }
        let remainder = rest[authorityEnd...]
        var path = String(remainder)
        var query: String?
        if let q = remainder.firstIndex(of: "?") {
            path = String(remainder[..<q])
            query = String(remainder[remainder.index(after: q)...])
        }
        self.init(scheme: scheme, host: host.lowercased(), port: port, path: path, query: query)
    }

    /// The `host` value OCI signs: the authority as curl sends it (port only when not the default).
    public var authority: String {
        if let port, !(scheme == "https" && port == 443), !(scheme == "http" && port == 80) { return "\(host):\(port)" }
        return host
    }

    /// Path and query as sent: the `(request-target)` text after the method.
    public var target: String {
        if let query, !query.isEmpty { return "\(path)?\(query)" }
        return path
    }

    public var description: String { "\(scheme)://\(authority)\(target)" }

    /// Joins a path below this URL's path ("/20211101" + "/mediaWorkflows").
    public func appending(path extra: String, query: String? = nil) -> RequestURL {
        var base = path
        if base.hasSuffix("/") { base.removeLast() }
        return RequestURL(scheme: scheme, host: host, port: port, path: base + extra, query: query)
    }
}

public struct HTTPRequest: Sendable {
    public var method: String
    public var url: RequestURL
    /// Ordered; names as given. Lookups are case-insensitive.
    public var headers: [(String, String)]
    public var body: Data
    /// Marks requests whose repetition is harmless (reads, and creates carrying a retry token).
    public var isRetrySafe: Bool
    /// A body streamed from a region of a file instead of `body` (Object Storage uploads); re-read from its
    /// offset on every attempt, so a retry sends the same bytes.
    public var bodyFile: FileRegion?
    /// Where a successful (2xx) response body goes instead of memory; each attempt truncates it first.
    /// Error bodies stay in `HTTPResponse.body`, so they can still be parsed.
    public var responseFile: String?
    /// The SDK's `enforce_content_headers`: false signs a PUT/POST with the GET header list (no
    /// content-length, content-type or x-content-sha256), as Object Storage's PutObject and UploadPart are.
    public var signsBodyHeaders: Bool = true
    /// Told the bytes sent and received so far during the transfer (from libcurl's progress callback).
    public var progress: (@Sendable (_ sent: Int64, _ received: Int64) -> Void)?
    /// Told each time the request goes out on the wire: 1 for the first send, more when the transport sent it
    /// again by itself (libcurl re-sends once a reused connection closes without an answer). The retry layer
    /// counts these as attempts and --debug logs them.
    public var onSend: (@Sendable (_ send: Int) -> Void)?
    /// Whether the transport may send the request again by itself (see `onSend`); nil means `isRetrySafe`. The retry
    /// layer turns it off on its last attempt, so `--no-retry` and `--max-retries` bound every send.
    public var allowsTransportResend: Bool?
    public var transportMayResend: Bool { allowsTransportResend ?? isRetrySafe }

    public init(method: String, url: RequestURL, headers: [(String, String)] = [], body: Data = Data(), isRetrySafe: Bool = true) {
        self.method = method.uppercased()
        self.url = url
        self.headers = headers
        self.body = body
        self.isRetrySafe = isRetrySafe
    }

    /// The body's length: the file region's or the in-memory body's.
    public var bodyLength: Int64 { bodyFile?.length ?? Int64(body.count) }

    public func header(_ name: String) -> String? {
        headers.last { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Sets a header, replacing any of the same name.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        headers.append((name, value))
    }
}

/// `length` bytes of the file at `path` from `offset`: one part of a multipart upload, or a whole file.
public struct FileRegion: Sendable, Equatable {
    public var path: String
    public var offset: Int64
    public var length: Int64

    public init(path: String, offset: Int64 = 0, length: Int64) {
        self.path = path
        self.offset = offset
        self.length = length
    }
}

public struct HTTPResponse: Sendable {
    public var status: Int
    /// Names lower-cased.
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)] = [], body: Data = Data()) {
        self.status = status
        self.headers = headers.map { ($0.0.lowercased(), $0.1) }
        self.body = body
    }

    public func header(_ name: String) -> String? {
        let n = name.lowercased()
        return headers.last { $0.0 == n }?.1
    }

    public var isSuccess: Bool { (200..<300).contains(status) }
}

/// The seam between "build a typed request" and "move bytes". Layers (signing, retries, logging)
/// wrap a transport and are transports themselves.
public protocol HTTPTransport: Sendable {
    func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse
}

/// Timeouts and TLS settings for one transport.
public struct TransferOptions: Sendable, Equatable {
    public var connectTimeout: Double
    public var totalTimeout: Double
    /// PEM bundle of extra trusted CAs (`--ca-bundle`); the system store otherwise.
    public var caBundle: String?
    /// Responses larger than this are refused rather than held in memory.
    public var maxResponseBytes: Int
    public var userAgent: String
    /// An explicit proxy URL (`--proxy`); when nil libcurl reads HTTPS_PROXY / https_proxy / ALL_PROXY /
    /// NO_PROXY from the environment itself, as the SDK's requests library does.
    public var proxy: String?

    public init(connectTimeout: Double = 10, totalTimeout: Double = 60, caBundle: String? = nil,
                maxResponseBytes: Int = 64 << 20, userAgent: String = "mediactl/\(MediaKitVersion.string)",
                proxy: String? = nil) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.caBundle = caBundle
        self.proxy = proxy
        self.maxResponseBytes = maxResponseBytes
        self.userAgent = userAgent
    }
}

public enum MediaKitVersion {
    public static let string = "0.1.0"
}
