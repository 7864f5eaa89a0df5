// The one owner of the transport stack: resolved settings in, ready clients out. Every service client gets
// libcurl → redacted debug log → fixed opc-request-id → signing → retries (inner to outer), with one retry
// report; MediaKit never prints, so what a user should see arrives through `ConnectionEvents`.
import FoundationEssentials

/// Where the factory's messages go (the CLI: stderr). Wording is the caller's to show, not to change.
public struct ConnectionEvents: Sendable {
    /// --debug lines: requests, responses (redacted), auth and endpoint facts, retries.
    public var debug: @Sendable (String) -> Void
    /// Progress a user may want without --debug (a retry's wait).
    public var progress: @Sendable (String) -> Void
    /// Warnings: open file permissions, plain-http endpoints, a security token about to expire.
    public var warn: @Sendable (String) -> Void

    public init(debug: @escaping @Sendable (String) -> Void, progress: @escaping @Sendable (String) -> Void,
                warn: @escaping @Sendable (String) -> Void) {
        self.debug = debug
        self.progress = progress
        self.warn = warn
    }

    public static let silent = ConnectionEvents(debug: { _ in }, progress: { _ in }, warn: { _ in })
}

/// Every setting a connection needs, already resolved by the caller (the CLI: flag > its variable > defaults
/// file > table default). Only what is genuinely environment (`EnvironmentVariables.all`) is read from
/// `environment`.
public struct ConnectionSettings: Sendable {
    /// The OCI part: config file, profile, region, Media Services endpoint, auth and the principals' URLs, with the
    /// environment and home they resolve against (also what the config loader and the security-token refresh take).
    public var oci: OCISettings
    /// Object Storage endpoint (`--objectstorage-endpoint`): else derived from the region.
    public var objectStorageEndpoint: String?
    public var realmSpecificEndpoint = false
    public var dualStack = false

    // Transfer
    public var connectTimeout: Double = 10
    /// Total time per request (`--read-timeout`).
    public var readTimeout: Double = 60
    /// A command's own limit (a wait's --timeout): caps each request's total time and the retry budget.
    public var commandTimeout: Double?
    public var caBundle: String?
    /// `--proxy` as given; nil lets libcurl read the proxy variables.
    public var proxy: String?
    public var maxRetries = 7
    public var noRetry = false
    /// `--opc-request-id`: sent on every OCI request of the command.
    public var requestID: String?
    public var debug = false

    // Video
    public var openTokURL = "https://api.opentok.com"
    public var vonageURL = "https://video.api.vonage.com"
    /// Total time per OpenTok / Vonage request (`--request-timeout`); else `readTimeout`.
    public var videoRequestTimeout: Double?

    public init(environment: [String: String], homeDirectory: String) {
        oci = OCISettings(environment: environment, homeDirectory: homeDirectory)
    }

    /// The variables MediaKit reads itself (`EnvironmentVariables.all`).
    public var environment: [String: String] { oci.environment }

    /// The SDKs' retry strategy with `maxRetries`; `commandTimeout` caps its time budget.
    public var retryPolicy: RetryPolicy {
        if noRetry { return .none }
        var policy = RetryPolicy(maxAttempts: maxRetries + 1)
        if let commandTimeout { policy.maxElapsed = min(policy.maxElapsed, commandTimeout) }
        return policy
    }
}

/// Builds every client from one `ConnectionSettings`. The OCI connection (config, signer, endpoint) is loaded
/// once and shared by the clients made after it, so its warnings are told once.
public final class ConnectionFactory: @unchecked Sendable {
    // @unchecked: `loaded` and `warned` are touched only under `lock`.
    public let settings: ConnectionSettings
    let clock: Clock
    let events: ConnectionEvents
    /// `--proxy`, checked.
    let proxy: String?
    private let lock = Lock()
    private var loaded: OCIConnection?
    private var warned = Set<String>()

    /// Checks the settings a bad value of would otherwise fail later: the proxy URL.
    public init(settings: ConnectionSettings, clock: Clock = .system, events: ConnectionEvents = .silent) throws(MediaError) {
        self.settings = settings
        self.clock = clock
        self.events = events
        proxy = try settings.proxy.map { text throws(MediaError) in try ProxySetting.validated(text) }
    }

    // MARK: transports

    /// Timeouts, CA bundle and proxy for service calls; the command timeout caps each request.
    var transferOptions: TransferOptions {
        var total = settings.readTimeout
        if let limit = settings.commandTimeout { total = min(total, limit) }
        return TransferOptions(connectTimeout: settings.connectTimeout, totalTimeout: total,
                               caBundle: settings.caBundle.map(settings.oci.expand), proxy: proxy)
    }

    /// The one retry report: a --debug line with --debug, else a progress line.
    var onRetry: @Sendable (String) -> Void {
        let events = events
        if settings.debug { return { events.debug($0) } }
        return { events.progress($0) }
    }

    /// libcurl, with the redacted --debug log when asked for.
    func wire(_ options: TransferOptions) throws(MediaError) -> any HTTPTransport {
        var transport: any HTTPTransport = try CurlTransport(options: options)
        if settings.debug {
            let events = events
            transport = DebugLogTransport(inner: transport, log: { events.debug($0) })
        }
        return transport
    }

    /// `--opc-request-id`, checked.
    func fixedRequestID() throws(MediaError) -> String? {
        try settings.requestID.map { id throws(MediaError) in try FixedRequestIDTransport.validated(id) }
    }

    /// A signed OCI stack: libcurl → debug log → fixed request id → signing → retries.
    public func ociTransport(signer: any OCISigner) throws(MediaError) -> any HTTPTransport {
        var transport = try wire(transferOptions)
        if let id = try fixedRequestID() { transport = FixedRequestIDTransport(inner: transport, requestID: id) }
        transport = SigningTransport(inner: transport, signer: signer, clock: clock)
        return RetryingTransport(inner: transport, policy: settings.retryPolicy, clock: clock, onRetry: onRetry)
    }

    /// For a call that signs itself and must not be repeated (the security-token refresh): libcurl → debug log →
    /// fixed request id, no retries.
    public func unsignedOCITransport() throws(MediaError) -> any HTTPTransport {
        var transport = try wire(transferOptions)
        if let id = try fixedRequestID() { transport = FixedRequestIDTransport(inner: transport, requestID: id) }
        return transport
    }

    /// Principal calls (metadata service, auth service, OKE proxymux) go through libcurl with the same timeouts,
    /// CA bundle, retry budget and redacted --debug log as service calls, but unsigned. `caBundle` replaces the
    /// trusted CAs (the OKE proxymux is checked against the cluster CA only).
    public func principalNetwork(caBundle: String? = nil) throws(MediaError) -> PrincipalNetwork {
        var options = transferOptions
        if let caBundle { options.caBundle = caBundle }
        // As in oci-cli, --proxy is for service calls: the SDK's signers make their metadata-service, auth-service
        // and proxymux calls on their own sessions, where only the proxy variables (and NO_PROXY) apply.
        options.proxy = nil
        return PrincipalNetwork(transport: try wire(options), clock: clock, retryPolicy: settings.retryPolicy, onRetry: onRetry)
    }

    /// An unsigned transport with no layers, for local checks (is the emulator answering?).
    public static func plainTransport(connectTimeout: Double, totalTimeout: Double) throws(MediaError) -> any HTTPTransport {
        try CurlTransport(options: TransferOptions(connectTimeout: connectTimeout, totalTimeout: totalTimeout))
    }

    // MARK: OCI

    /// The signer, endpoint, region and tenancy, loaded on first use; its warnings and --debug facts are told then.
    public func ociConnection() throws(MediaError) -> OCIConnection {
        if let loaded = lock.withLock({ loaded }) { return loaded }
        let oci = settings.oci
        let mode = try oci.authMode()
        let network: PrincipalNetwork?
        switch mode {
        case .instancePrincipal, .instanceOBOUser, .resourcePrincipal: network = try principalNetwork()
        case .okeWorkloadIdentity: network = try principalNetwork(caBundle: OKEWorkloadIdentitySigner.caCertificatePath(environment: settings.environment))
        default: network = nil
        }
        if settings.debug {
            events.debug("proxy " + (proxy.map(ProxySetting.redacted) ?? "from the environment (HTTPS_PROXY, NO_PROXY), if set"))
        }
        let connection = try OCIConfigLoader.load(oci, network: network)
        for file in connection.secretFiles {
            if let text = FilePermissions.warning(for: file, environment: settings.environment) { warnOnce(file, text) }
        }
        warnAboutPlainHTTP(connection.endpoint, what: "--endpoint")
        warnAboutTokenExpiry(connection.signer, profile: oci.profileName)
        if settings.debug {
            let source = mode.isPrincipal ? "tenancy \(connection.tenancy ?? "?")" : "profile \(oci.profileName) of \(oci.configPath)"
            events.debug("auth \(mode.rawValue), \(source), endpoint \(connection.endpoint)")
        }
        lock.withLock { loaded = connection }
        return connection
    }

    public func mediaServices() throws(MediaError) -> MediaServicesClient {
        let connection = try ociConnection()
        return MediaServicesClient(transport: try ociTransport(signer: connection.signer), endpoint: connection.endpoint)
    }

    /// Media Stream calls go to a channel's own domain, with the Media Services endpoint's scheme.
    public func mediaStream(domain: String) throws(MediaError) -> MediaStreamClient {
        let connection = try ociConnection()
        return try MediaStreamClient(transport: try ociTransport(signer: connection.signer), domainName: domain,
                                     scheme: connection.endpoint.scheme)
    }

    /// An Object Storage client, plus a factory for one more per upload thread (each its own libcurl handle, made
    /// here up front): the first call of the factory hands out the returned client itself.
    /// `endpoint` overrides the settings' Object Storage endpoint (a command's own --objectstorage-endpoint).
    public func objectStorage(endpoint given: String? = nil, parallel: Int = 1) throws(MediaError) -> (ObjectStorageClient, ObjectUploader.ClientFactory) {
        let connection = try ociConnection()
        let endpoint: RequestURL
        var namespaced: (@Sendable (String) -> RequestURL)?
        if let explicit = given ?? settings.objectStorageEndpoint {
            endpoint = try Regions.explicitObjectStorageEndpoint(explicit, what: "--objectstorage-endpoint")
            warnAboutPlainHTTP(endpoint, what: "--objectstorage-endpoint")
        } else if let region = connection.region {
            let options = Regions.EndpointOptions(realmSpecific: settings.realmSpecificEndpoint, dualStack: settings.dualStack)
            // As the SDK: the namespace lookup goes to the bare host, every call naming a namespace to its own.
            endpoint = Regions.objectStorageEndpoint(region, options: options)
            if options.realmSpecific { namespaced = { Regions.objectStorageEndpoint(region, options: options, namespace: $0) } }
        } else {
            throw .config("no region for Object Storage: give --region or --objectstorage-endpoint (MEDIACTL_OBJECTSTORAGE_ENDPOINT)")
        }
        if settings.debug { events.debug("Object Storage endpoint \(endpoint)") }
        let namespacedEndpoint = namespaced
        let first = ObjectStorageClient(transport: try ociTransport(signer: connection.signer), endpoint: endpoint,
                                        namespacedEndpoint: namespacedEndpoint)
        var spare: [ObjectStorageClient] = []
        for _ in 0..<max(0, parallel - 1) {
            spare.append(ObjectStorageClient(transport: try ociTransport(signer: connection.signer), endpoint: endpoint,
                                             namespacedEndpoint: namespacedEndpoint))
        }
        let pool = ClientPool(first: first, spare: spare)
        return (first, { () throws(MediaError) -> ObjectStorageClient in
            guard let client = pool.take() else { throw .usage("internal: more upload threads than transports") }
            return client
        })
    }

    // MARK: OpenTok / Vonage

    /// The client for either platform: libcurl → debug log → X-OPENTOK-AUTH or Bearer JWT → retries, at
    /// `openTokURL` or `vonageURL`. `chosenBy` says, for --debug, why this platform.
    public func video(credentials: VideoCredentials, chosenBy: String) throws(MediaError) -> OpenTokClient {
        let platform = credentials.platform
        let (flag, text, example) = platform == .vonage ? ("video-url", settings.vonageURL, "https://video.api.vonage.com")
                                                        : ("api-url", settings.openTokURL, "https://api.opentok.com")
        guard let base = RequestURL(text), base.query == nil else {
            throw .usage("--\(flag): '\(text)' is not an http(s) URL such as \(example)")
        }
        if base.scheme == "http", !Self.loopbackHosts.contains(base.host) {
            events.warn("--\(flag) \(text) is plain http: anyone on the path can read and replay each request's JWT")
        }
        var options = transferOptions
        options.totalTimeout = settings.videoRequestTimeout ?? settings.readTimeout
        if let limit = settings.commandTimeout { options.totalTimeout = min(options.totalTimeout, limit) }
        var transport = try wire(options)
        transport = VideoAuthTransport(inner: transport, credentials: credentials, clock: clock)
        transport = RetryingTransport(inner: transport, policy: settings.retryPolicy, clock: clock, onRetry: onRetry)
        if settings.debug {
            let project = platform == .vonage ? "application \(credentials.projectID), Bearer RS256 JWT"
                                              : "API key \(credentials.projectID), X-OPENTOK-AUTH HS256 JWT"
            events.debug("Video platform: \(platform.displayName) at \(base) (\(project); chosen by \(chosenBy))")
        }
        return OpenTokClient(transport: transport, baseURL: base, apiKey: credentials.projectID, platform: platform)
    }

    // MARK: warnings

    static let loopbackHosts = ["127.0.0.1", "localhost", "[::1]"]

    private func warnOnce(_ key: String, _ text: String) {
        let first = lock.withLock { warned.insert(key).inserted }
        if first { events.warn(text) }
    }

    /// Signed requests that would cross the network without TLS.
    func warnAboutPlainHTTP(_ url: RequestURL, what: String) {
        guard url.scheme == "http", !Self.loopbackHosts.contains(url.host) else { return }
        warnOnce(url.description, "\(what) \(url.scheme)://\(url.authority) is plain http: TLS is off for it and anyone on the path can read each signed request")
    }

    /// A security token about to run out is named before the call that would fail with a 401.
    func warnAboutTokenExpiry(_ signer: any OCISigner, profile: String) {
        guard let token = signer as? SecurityTokenSigner, let expiresAt = token.expiresAt else { return }
        let left = expiresAt.timeIntervalSince(clock.now())
        guard left < SecurityTokenRefresh.warningWindow else { return }
        let minutes = max(0, Int((left / 60).rounded(.down)))
        events.warn("the security token in \(token.file ?? "the profile") expires in \(minutes) min (at \(expiresAt.internetDateTime())); "
            + "renew it with `mediactl auth refresh --profile \(profile)`")
    }
}

/// Clients made on the calling thread, handed to upload threads one each (the first one first).
final class ClientPool: @unchecked Sendable {
    // @unchecked: `items` and `firstTaken` are touched only under `lock`.
    private let lock = Lock()
    private let first: ObjectStorageClient
    private var firstTaken = false
    private var items: [ObjectStorageClient]
    init(first: ObjectStorageClient, spare: [ObjectStorageClient]) {
        self.first = first
        items = spare
    }
    func take() -> ObjectStorageClient? {
        lock.withLock {
            if !firstTaken { firstTaken = true; return first }
            return items.popLast()
        }
    }
}
