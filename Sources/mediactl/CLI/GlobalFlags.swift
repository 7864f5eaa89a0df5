// Flags every command accepts, and the clients they configure.
import FoundationEssentials
import MediaKit

enum GlobalFlags {
    static let output = Flag.choice("output", OutputFormat.self, meta: "FORMAT",
                                    help: "text for people, json for the API's objects as received, id for just the OCID(s)")
        .short("o").env("MEDIACTL_OUTPUT").defaulting(to: .text)
    static let configFile = Flag.file("config-file", help: "OCI config file (default ~/.oci/config)")
        .env("OCI_CLI_CONFIG_FILE").notFromDefaultsFile()
    static let profile = Flag.text("profile", meta: "NAME", help: "profile in the config file (default DEFAULT)")
        .env("OCI_CLI_PROFILE").notFromDefaultsFile()
    static let auth = Flag.choice("auth", AuthMode.self, meta: "MODE",
                                  help: "how to authenticate: api_key (the profile's key), instance_principal (on an OCI compute instance), "
                                    + "resource_principal (OCI_RESOURCE_PRINCIPAL_* variables), security_token (`oci session authenticate`), "
                                    + "instance_obo_user (Cloud Shell: instance principal with the user's delegation token), "
                                    + "oke_workload_identity (a pod's service account in an OKE enhanced cluster); docs/auth-modes.md says which to use")
        .env("OCI_CLI_AUTH").notFromDefaultsFile()
    static let metadataURL = Flag.text("metadata-url", meta: "URL",
                                       help: "instance metadata service base URL for instance_principal (default http://169.254.169.254/opc/v2)")
        .env("OCI_METADATA_BASE_URL").notFromDefaultsFile()
    static let federationEndpoint = Flag.text("federation-endpoint", meta: "URL",
                                              help: "auth service URL for instance_principal tokens (default https://auth.REGION.DOMAIN/v1/x509)")
        .env("OCI_CLI_FEDERATION_ENDPOINT").notFromDefaultsFile()
    static let region = Flag.text("region", meta: "REGION", help: "region identifier or short code (us-ashburn-1, iad); overrides the profile")
        .env("OCI_CLI_REGION")
    static let endpoint = Flag.text("endpoint", meta: "URL", help: "Media Services endpoint, e.g. a local emulator (default: derived from the region)")
        .env("MEDIACTL_ENDPOINT")
    static let realmSpecificEndpoint = Switch("realm-specific-endpoint",
                                              help: "use the realm-specific endpoint templates, as the SDK does (Object Storage in oc1: NAMESPACE.objectstorage.REGION.oci.customer-oci.com)",
                                              env: "OCI_REALM_SPECIFIC_SERVICE_ENDPOINT_TEMPLATE_ENABLED").fromDefaultsFile()
    static let dualStack = Switch("enable-dual-stack",
                                  help: "use the IPv4/IPv6 dual-stack endpoints, as the SDK does (Object Storage: objectstorage.REGION.ds.oci.DOMAIN; Media Services has none)",
                                  env: "OCI_DUAL_STACK_ENDPOINT_ENABLED").fromDefaultsFile()
    static let caBundle = Flag.file("ca-bundle", help: "extra trusted CA certificates (PEM) for TLS").env("OCI_CLI_CERT_BUNDLE")
    static let proxy = Flag.text("proxy", meta: "URL",
                                 help: "proxy for service calls, e.g. http://user:password@proxy:3128 (default: HTTPS_PROXY, https_proxy or ALL_PROXY, "
                                    + "minus NO_PROXY hosts; the password never shows in --debug)")
    static let opcRequestID = Flag.text("opc-request-id", meta: "ID",
                                        help: "send this opc-request-id on every request of the command, to trace it with Oracle support (default: one per request)")
        .notFromDefaultsFile()
    static let connectTimeout = Flag.number("connect-timeout", 0.1...600, help: "connect timeout per request")
        .env("MEDIACTL_CONNECT_TIMEOUT").defaulting(to: 10)
    static let readTimeout = Flag.number("read-timeout", 0.1...3600, help: "total time allowed per request")
        .env("MEDIACTL_READ_TIMEOUT").defaulting(to: 60)
    static let maxRetries = Flag.integer("max-retries", 0...20,
                                         help: "retries of throttled (429), conflicting-state and 5xx responses and network errors")
        .env("MEDIACTL_MAX_RETRIES").defaulting(to: 7)
    static let noRetry = Switch("no-retry", help: "send each request once (same as --max-retries 0)", env: "MEDIACTL_NO_RETRY")
    static let defaultsFile = Flag.file("defaults-file", help: "defaults for flags (default $XDG_CONFIG_HOME/mediactl/defaults)")
        .env("MEDIACTL_DEFAULTS_FILE").notFromDefaultsFile()
    static let noInput = Switch("no-input", help: "never prompt; a missing value is an error", env: "MEDIACTL_NO_INPUT")
    static let quiet = Switch("quiet", short: "q", help: "no progress output on stderr", env: "MEDIACTL_QUIET")
    static let debug = Switch("debug", help: "log each request and response to stderr, secrets redacted", env: "MEDIACTL_DEBUG")

    static let declarations: [any FlagDeclaration] = [
        output, configFile, profile, auth, metadataURL, federationEndpoint, region, endpoint, realmSpecificEndpoint, dualStack,
        caBundle, proxy, opcRequestID, connectTimeout, readTimeout, maxRetries, noRetry, defaultsFile, noInput, quiet, debug,
    ]
    static let all: [FlagSpec] = declarations.map(\.spec)
}

extension Invocation {
    var outputFormat: String { (try? string("output")) ?? "text" }

    /// The global flags every command reads before it runs (the rest configure connections, on first use).
    func readRunnerGlobals() throws(MediaError) {
        io.quiet = try value(GlobalFlags.quiet)
        io.noInput = try value(GlobalFlags.noInput)
    }

    /// Validates every global flag given, so a bad value fails before any work starts.
    func checkGlobals() throws(MediaError) {
        for spec in globals { _ = try string(spec.name) }
    }

    /// A command's own --timeout (the waits'): no request or retry sequence may outlast it.
    var commandTimeout: Double? {
        get throws(MediaError) { line.command.flags.contains { $0.name == "timeout" } ? try double("timeout") : nil }
    }

    var retryPolicy: RetryPolicy {
        get throws(MediaError) {
            if try bool("no-retry") { return .none }
            var policy = RetryPolicy(maxAttempts: (try int("max-retries") ?? 7) + 1)
            if let limit = try commandTimeout { policy.maxElapsed = min(policy.maxElapsed, limit) }
            return policy
        }
    }

    /// Timeouts, CA bundle and proxy from the global flags; a wait's --timeout caps each request too.
    func transferOptions() throws(MediaError) -> TransferOptions {
        var total = try double("read-timeout") ?? 60
        if let limit = try commandTimeout { total = min(total, limit) }
        let proxy = try string("proxy").map { text throws(MediaError) in try call { () throws(MediaError) in try ProxySetting.validated(text) } }
        return TransferOptions(connectTimeout: try double("connect-timeout") ?? 10, totalTimeout: total,
                               caBundle: try string("ca-bundle").map(expand), proxy: proxy)
    }

    /// `--opc-request-id`, checked.
    var fixedRequestID: String? {
        get throws(MediaError) {
            try string("opc-request-id").map { id throws(MediaError) in try call { () throws(MediaError) in try FixedRequestIDTransport.validated(id) } }
        }
    }

    /// libcurl, then (outermost first) retries → signing → redacted debug log → the wire.
    func ociTransport(signer: any OCISigner) throws(MediaError) -> any HTTPTransport {
        let options = try transferOptions()
        var transport: any HTTPTransport
        do { transport = try CurlTransport(options: options) } catch { throw error }
        let io = self.io
        if try bool("debug") { transport = DebugLogTransport(inner: transport, log: { io.debug($0) }) }
        if let id = try fixedRequestID { transport = FixedRequestIDTransport(inner: transport, requestID: id) }
        transport = SigningTransport(inner: transport, signer: signer, clock: clock)
        let debug = try bool("debug")
        return RetryingTransport(inner: transport, policy: try retryPolicy, clock: clock,
                                 onRetry: { message in if debug { io.debug(message) } else { io.progress(message) } })
    }

    /// Instance-principal calls (metadata service, auth service) go through libcurl with the same
    /// timeouts, CA bundle, retry budget and redacted --debug log as service calls, but unsigned.
    /// `caBundle` replaces the trusted CAs (the OKE proxymux is checked against the cluster CA only).
    func principalNetwork(caBundle: String? = nil) throws(MediaError) -> PrincipalNetwork {
        var options = try transferOptions()
        if let caBundle { options.caBundle = caBundle }
        // As in oci-cli, --proxy is for service calls: the SDK's signers make their metadata-service, auth-service
        // and proxymux calls on their own sessions, where only the proxy variables (and NO_PROXY) apply.
        options.proxy = nil
        var transport: any HTTPTransport
        do { transport = try CurlTransport(options: options) } catch { throw error }
        let io = self.io
        let debug = try bool("debug")
        if debug { transport = DebugLogTransport(inner: transport, log: { io.debug($0) }) }
        return PrincipalNetwork(transport: transport, clock: clock, retryPolicy: try retryPolicy,
                                onRetry: { message in if debug { io.debug(message) } else { io.progress(message) } })
    }

    func ociConnection() throws(MediaError) -> OCIConnection {
        let settings = OCISettings(configFile: try string("config-file"), profile: try string("profile"),
                                   region: try string("region"), endpoint: try string("endpoint"),
                                   auth: try string("auth"), metadataURL: try string("metadata-url"),
                                   federationEndpoint: try string("federation-endpoint"),
                                   environment: environment, homeDirectory: home)
        let mode = try call { () throws(MediaError) in try settings.authMode() }
        let network: PrincipalNetwork?
        switch mode {
        case .instancePrincipal, .instanceOBOUser, .resourcePrincipal: network = try principalNetwork()
        case .okeWorkloadIdentity: network = try principalNetwork(caBundle: OKEWorkloadIdentitySigner.caCertificatePath(environment: environment))
        default: network = nil
        }
        if try bool("debug") {
            let options = try transferOptions()
            io.debug("proxy " + (options.proxy.map(ProxySetting.redacted) ?? "from the environment (HTTPS_PROXY, NO_PROXY), if set"))
        }
        let connection = try call { () throws(MediaError) in try OCIConfigLoader.load(settings, network: network) }
        for file in connection.secretFiles { warnAboutPermissions(of: file) }
        warnAboutPlainHTTP(connection.endpoint, what: "--endpoint")
        warnAboutTokenExpiry(connection.signer, profile: settings.profileName)
        if try bool("debug") {
            let source = mode.isPrincipal ? "tenancy \(connection.tenancy ?? "?")" : "profile \(settings.profileName) of \(settings.configPath)"
            io.debug("auth \(mode.rawValue), \(source), endpoint \(connection.endpoint)")
        }
        return connection
    }

    /// A security token about to run out is named before the call that would fail with a 401.
    func warnAboutTokenExpiry(_ signer: any OCISigner, profile: String) {
        guard let token = signer as? SecurityTokenSigner, let expiresAt = token.expiresAt else { return }
        let left = expiresAt.timeIntervalSince(clock.now())
        guard left < SecurityTokenRefresh.warningWindow else { return }
        let minutes = max(0, Int((left / 60).rounded(.down)))
        io.warn("the security token in \(token.file ?? "the profile") expires in \(minutes) min (at \(expiresAt.internetDateTime())); "
            + "renew it with `mediactl auth refresh --profile \(profile)`")
    }

    func mediaServices() throws(MediaError) -> (MediaServicesClient, OCIConnection) {
        let connection = try ociConnection()
        return (MediaServicesClient(transport: try ociTransport(signer: connection.signer), endpoint: connection.endpoint), connection)
    }

    func mediaStream(domainName: String, connection: OCIConnection) throws(MediaError) -> MediaStreamClient {
        let transport = try ociTransport(signer: connection.signer)
        return try call { () throws(MediaError) in try MediaStreamClient(transport: transport, domainName: domainName, scheme: connection.endpoint.scheme) }
    }
}
