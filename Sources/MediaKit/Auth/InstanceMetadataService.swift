// The instance metadata service (IMDS v2) as instance principals use it (protocols.md §3 steps 1–4):
// leaf certificate, its key, the intermediate certificate and the region, with the SDK's retries.
import FoundationEssentials
import Glibc

/// How instance-principal credentials reach the network: one transport for the metadata service and
/// the auth service (the federation call signs itself), the clock, and the retry budget.
public struct PrincipalNetwork: Sendable {
    public var transport: any HTTPTransport
    public var clock: Clock
    /// The caller's retry budget; metadata and federation calls use at most the SDK's own limits within it.
    public var retryPolicy: RetryPolicy
    /// Told about each retry (the CLI shows it as progress, or in --debug).
    public var onRetry: @Sendable (String) -> Void
    /// Whether 169.254.169.254 is routable over IPv4 (the SDK's UDP probe); injected so tests never probe.
    public var hasIPv4MetadataRoute: @Sendable () -> Bool

    public init(transport: any HTTPTransport, clock: Clock = .system, retryPolicy: RetryPolicy = RetryPolicy(),
                onRetry: @escaping @Sendable (String) -> Void = { _ in },
                hasIPv4MetadataRoute: @escaping @Sendable () -> Bool = InstanceMetadataService.probeIPv4Route) {
        self.transport = transport
        self.clock = clock
        self.retryPolicy = retryPolicy
        self.onRetry = onRetry
        self.hasIPv4MetadataRoute = hasIPv4MetadataRoute
    }

    /// libcurl with the SDK's metadata/auth timeouts (connect 10 s, read 60 s).
    public static func standard() throws(MediaError) -> PrincipalNetwork {
        PrincipalNetwork(transport: try CurlTransport(options: TransferOptions(connectTimeout: 10, totalTimeout: 60)))
    }

    /// Sleeps before retry `n`; throws when interrupted.
    func pause(retry n: Int, what: String, reason: String) throws(MediaError) {
        let wait = retryPolicy.delay(retry: n, jitter: 0, retryAfter: nil)
        onRetry("retry \(n) of \(what) in \(String(cFormat: "%.1f", wait)) s after \(reason)")
        guard clock.sleep(wait) else { throw .cancelled("interrupted while waiting to retry \(what)") }
    }
}

/// What the metadata service hands an instance for federation.
public struct InstanceIdentity: Sendable {
    public let leaf: X509Certificate
    public let leafKey: RSAPrivateKey
    public let intermediates: [X509Certificate]
}

public struct InstanceMetadataService: Sendable {
    public static let defaultBaseIPv4 = "http://169.254.169.254/opc/v2"
    public static let defaultBaseIPv6 = "http://[fd00:c1::a9fe:a9fe]/opc/v2"
    /// IMDS v2 refuses requests without this header (v1 is never used, as in the SDK).
    public static let authorization = ("Authorization", "Bearer Oracle")
    /// The SDK's metadata retry limits: 8 attempts within 180 s on 404, 429 and 5xx.
    static let maxAttempts = 8, maxElapsed = 180.0
    /// A connection that fails outright is retried once: a metadata service that is not there is not
    /// coming back, and a CLI should say so in seconds rather than minutes.
    static let maxConnectAttempts = 2

    public let base: RequestURL
    let network: PrincipalNetwork

    public init(base: RequestURL, network: PrincipalNetwork) {
        self.base = base
        self.network = network
    }

    /// The base URLs to try, in order: an explicit one (`--metadata-url`, `OCI_METADATA_BASE_URL`) alone;
    /// else IPv4 when routable; else IPv6 then IPv4 (the SDK's `_get_metadata_base_url_candidates`).
    public static func candidates(explicit: String?, network: PrincipalNetwork) throws(MediaError) -> [InstanceMetadataService] {
        let texts: [String]
        if let explicit = explicit?.trimming(.whitespacesAndNewlines), !explicit.isEmpty {
            texts = [explicit]
        } else if network.hasIPv4MetadataRoute() {
            texts = [defaultBaseIPv4]
        } else {
            texts = [defaultBaseIPv6, defaultBaseIPv4]
        }
        return try texts.map { text throws(MediaError) in
            guard var url = RequestURL(text) else {
                throw .usage("--metadata-url: '\(text)' is not an http(s) URL (expected e.g. \(defaultBaseIPv4))")
            }
            url.query = nil
            if url.path.hasSuffix("/") { url.path.removeLast() }
            return InstanceMetadataService(base: url, network: network)
        }
    }

    /// Leaf certificate and key, then the intermediate certificate(s), checked as PEM.
    public func identity() throws(MediaError) -> InstanceIdentity {
        let certText = try text("/identity/cert.pem")
        let keyText = try text("/identity/key.pem")
        let intermediateText = try text("/identity/intermediate.pem")
        guard let leaf = X509Certificate(pem: Data(certText.utf8)) else {
            throw .auth("the instance metadata service's identity/cert.pem (\(base)) is not a PEM certificate", nil)
        }
        let key: RSAPrivateKey
        do { key = try RSAPrivateKey.load(pem: Data(keyText.utf8), passphrase: nil) } catch {
            throw .auth("the instance metadata service's identity/key.pem (\(base)) is not a usable private key: \(error.message)", nil)
        }
        guard key.publicKeyDER == leaf.publicKeyDER else {
            throw .auth("the instance metadata service's identity/key.pem does not belong to identity/cert.pem (\(base)); try again, the certificate may have just rotated", nil)
        }
        let intermediates = X509Certificate.all(pem: Data(intermediateText.utf8))
        guard !intermediates.isEmpty else {
            throw .auth("the instance metadata service's identity/intermediate.pem (\(base)) holds no PEM certificate", nil)
        }
        return InstanceIdentity(leaf: leaf, leafKey: key, intermediates: intermediates)
    }

    /// The instance's region as IMDS says it (`iad` or `us-ashburn-1`), trimmed and lower-cased.
    public func region() throws(MediaError) -> String {
        try text("/instance/region").lowercased()
    }

    /// One GET with `Authorization: Bearer Oracle`; 404, 429 and 5xx are retried as the SDK does
    /// (certificates can be missing for a moment after boot). The body comes back whitespace-trimmed.
    public func text(_ path: String) throws(MediaError) -> String {
        let url = base.appending(path: path)
        let request = HTTPRequest(method: "GET", url: url, headers: [Self.authorization])
        let policy = network.retryPolicy
        let started = network.clock.now()
        var attempt = 1
        var connectFailures = 0
        while true {
            let reason: String
            do throws(MediaError) {
                let response = try network.transport.send(request)
                if response.isSuccess {
                    return String(decoding: response.body, as: UTF8.self).trimming(.whitespacesAndNewlines)
                }
                let retryable = response.status == 404 || response.status == 429 || response.status >= 500
                let elapsed = network.clock.now().timeIntervalSince(started)
                if !retryable || attempt >= min(policy.maxAttempts, Self.maxAttempts) || elapsed >= Self.maxElapsed {
                    throw MediaError.auth("the instance metadata service answered HTTP \(response.status) for GET \(url)"
                        + (response.status == 401 ? " (IMDS v2 refused the request)" : "") + "; " + Self.usageHint, nil)
                }
                reason = "HTTP \(response.status)"
            } catch {
                switch error {
                case .network, .timeout, .unreachable:
                    connectFailures += 1
                    if connectFailures >= min(policy.maxAttempts, Self.maxConnectAttempts) {
                        throw .auth("the instance metadata service at \(base) could not be reached (\(error.message)); " + Self.usageHint, nil)
                    }
                    reason = error.message
                default: throw error
                }
            }
            try network.pause(retry: attempt, what: "GET \(url)", reason: reason)
            attempt += 1
        }
    }

    static let usageHint = "instance principals work only on an OCI compute instance: elsewhere use --auth api_key or "
        + "security_token, or point --metadata-url (OCI_METADATA_BASE_URL) at a metadata service"

    /// The SDK's probe: can a UDP socket be connected to 169.254.169.254:80 (is there an IPv4 route)?
    /// Nothing is sent.
    @Sendable public static func probeIPv4Route() -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_DGRAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_port = in_port_t(UInt16(80).bigEndian)
        addr.sin_addr.s_addr = inet_addr("169.254.169.254")
        let result = withUnsafePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }
}
