// Network settings a user gives for every call: a proxy (checked, and shown without its password) and
// a fixed opc-request-id for tracing one invocation with Oracle support.
import FoundationEssentials

public enum ProxySetting {
    /// The schemes libcurl accepts for a proxy; a bare `host:port` means http, as in libcurl and requests.
    static let schemes = ["http", "https", "socks4", "socks4a", "socks5", "socks5h"]

    /// The proxy URL as given, once it is known to name a host (and at most a port).
    public static func validated(_ text: String, what: String = "--proxy") throws(MediaError) -> String {
        let trimmed = text.trimming(.whitespacesAndNewlines)
        let expected = "expected a proxy URL such as http://proxy.example.com:80 or http://user:password@proxy:3128"
        var rest = Substring(trimmed)
        if let sep = trimmed.firstRange(of: "://") {
            let scheme = trimmed[..<sep.lowerBound].lowercased()
            guard schemes.contains(scheme) else {
                throw .usage("\(what): the scheme '\(scheme)' is not one of \(schemes.joined(separator: ", ")); \(expected)")
            }
            rest = trimmed[sep.upperBound...]
        }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        let authority = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        var host = Substring(authority)
        if let colon = authority.lastIndex(of: ":"), !authority.hasSuffix("]") {
            let port = authority[authority.index(after: colon)...]
            guard let n = Int(port), (1...65535).contains(n) else { throw .usage("\(what): '\(redacted(trimmed))' has no valid port; \(expected)") }
            host = authority[..<colon]
        }
        guard !host.isEmpty, !trimmed.contains(where: { $0.isWhitespace || $0.asciiValue.map { $0 < 0x20 } ?? false }) else {
            throw .usage("\(what): '\(redacted(trimmed))' names no host; \(expected)")
        }
        return trimmed
    }

    /// The proxy URL with any password replaced, for --debug and messages.
    public static func redacted(_ text: String) -> String {
        guard let at = text.lastIndex(of: "@") else { return text }
        let start = text.firstRange(of: "://").map { $0.upperBound } ?? text.startIndex
        guard start < at else { return text }
        let userinfo = text[start..<at]
        let user = userinfo.split(separator: ":", maxSplits: 1).first ?? ""
        return text[..<start] + user + ":[REDACTED]" + text[at...]
    }
}

/// Sends every request with the same `opc-request-id` (oci-cli's `--request-id`): support can then find
/// each call of one invocation, retries included, by that id.
public struct FixedRequestIDTransport: HTTPTransport {
    let inner: any HTTPTransport
    let requestID: String

    public init(inner: any HTTPTransport, requestID: String) {
        self.inner = inner
        self.requestID = requestID
    }

    /// An id that fits in a header line: printable ASCII (no control characters, which would end the header).
    /// No length limit is imposed: the services' own limit is not documented.
    public static func validated(_ id: String) throws(MediaError) -> String {
        guard !id.isEmpty, id.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value < 0x7f }) else {
            throw .usage("--opc-request-id: expected printable ASCII characters, got '\(id.prefix(100).debugDescription.dropFirst().dropLast())'")
        }
        return id
    }

    public func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        var request = request
        request.setHeader("opc-request-id", requestID)
        return try inner.send(request)
    }
}
