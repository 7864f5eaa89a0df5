// Flags every command accepts, and the clients they configure.
import FoundationEssentials
import MediaKit

enum GlobalFlags {
    static let outputFormats = ["text", "json", "id"]

    static let all: [FlagSpec] = [
        FlagSpec(name: "output", short: "o", kind: .choice(outputFormats), meta: "FORMAT",
                 help: "text for people, json for the API's objects as received, id for just the OCID(s)",
                 env: "MEDIACTL_OUTPUT", defaultValue: "text", fromDefaultsFile: true),
        FlagSpec(name: "config-file", kind: .file, meta: "PATH", help: "OCI config file (default ~/.oci/config)",
                 env: "OCI_CLI_CONFIG_FILE", fromDefaultsFile: false),
        FlagSpec(name: "profile", meta: "NAME", help: "profile in the config file (default DEFAULT)",
                 env: "OCI_CLI_PROFILE", fromDefaultsFile: false),
        FlagSpec(name: "auth", kind: .choice(AuthMode.allCases.map(\.rawValue)), meta: "MODE",
                 help: "how to authenticate: api_key (the profile's key), instance_principal (on an OCI compute instance), "
                    + "resource_principal (OCI_RESOURCE_PRINCIPAL_* variables), security_token (`oci session authenticate`)",
                 env: "OCI_CLI_AUTH", fromDefaultsFile: false),
        FlagSpec(name: "metadata-url", meta: "URL",
                 help: "instance metadata service base URL for instance_principal (default http://169.254.169.254/opc/v2)",
                 env: "OCI_METADATA_BASE_URL", fromDefaultsFile: false),
        FlagSpec(name: "federation-endpoint", meta: "URL",
                 help: "auth service URL for instance_principal tokens (default https://auth.REGION.DOMAIN/v1/x509)",
                 env: "OCI_CLI_FEDERATION_ENDPOINT", fromDefaultsFile: false),
        FlagSpec(name: "region", meta: "REGION", help: "region identifier or short code (us-ashburn-1, iad); overrides the profile",
                 env: "OCI_CLI_REGION", fromDefaultsFile: true),
        FlagSpec(name: "endpoint", meta: "URL", help: "Media Services endpoint, e.g. a local emulator (default: derived from the region)",
                 env: "MEDIACTL_ENDPOINT", fromDefaultsFile: true),
        FlagSpec(name: "ca-bundle", kind: .file, meta: "PATH", help: "extra trusted CA certificates (PEM) for TLS",
                 env: "OCI_CLI_CERT_BUNDLE", fromDefaultsFile: true),
        FlagSpec(name: "connect-timeout", kind: .number(0.1...600), meta: "SECONDS", help: "connect timeout per request",
                 env: "MEDIACTL_CONNECT_TIMEOUT", defaultValue: "10"),
        FlagSpec(name: "read-timeout", kind: .number(0.1...3600), meta: "SECONDS", help: "total time allowed per request",
                 env: "MEDIACTL_READ_TIMEOUT", defaultValue: "60"),
        FlagSpec(name: "max-retries", kind: .integer(0...20), meta: "N",
                 help: "retries of throttled (429), conflicting-state and 5xx responses and network errors", env: "MEDIACTL_MAX_RETRIES", defaultValue: "7"),
        FlagSpec(name: "no-retry", kind: .bool, help: "send each request once (same as --max-retries 0)", env: "MEDIACTL_NO_RETRY", fromDefaultsFile: false),
        FlagSpec(name: "defaults-file", kind: .file, meta: "PATH",
                 help: "defaults for flags (default $XDG_CONFIG_HOME/mediactl/defaults)", env: "MEDIACTL_DEFAULTS_FILE", fromDefaultsFile: false),
        FlagSpec(name: "no-input", kind: .bool, help: "never prompt; a missing value is an error", env: "MEDIACTL_NO_INPUT", fromDefaultsFile: false),
        FlagSpec(name: "quiet", short: "q", kind: .bool, help: "no progress output on stderr", env: "MEDIACTL_QUIET", fromDefaultsFile: false),
        FlagSpec(name: "debug", kind: .bool, help: "log each request and response to stderr, secrets redacted", env: "MEDIACTL_DEBUG", fromDefaultsFile: false),
    ]
}

extension Invocation {
    var outputFormat: String { (try? string("output")) ?? "text" }

    /// Validates every global flag given, so a bad value fails before any work starts.
    func checkGlobals() throws(CLIError) {
        for spec in globals { _ = try string(spec.name) }
    }

    /// A command's own --timeout (the waits'): no request or retry sequence may outlast it.
    var commandTimeout: Double? {
        get throws(CLIError) { line.command.flags.contains { $0.name == "timeout" } ? try double("timeout") : nil }
    }

    var retryPolicy: RetryPolicy {
        get throws(CLIError) {
            if try bool("no-retry") { return .none }
            var policy = RetryPolicy(maxAttempts: (try int("max-retries") ?? 7) + 1)
            if let limit = try commandTimeout { policy.maxElapsed = min(policy.maxElapsed, limit) }
            return policy
        }
    }

    /// Timeouts and CA bundle from the global flags; a wait's --timeout caps each request too.
    func transferOptions() throws(CLIError) -> TransferOptions {
        var total = try double("read-timeout") ?? 60
        if let limit = try commandTimeout { total = min(total, limit) }
        return TransferOptions(connectTimeout: try double("connect-timeout") ?? 10, totalTimeout: total,
                               caBundle: try string("ca-bundle").map(expand))
    }

    /// libcurl, then (outermost first) retries → signing → redacted debug log → the wire.
    func ociTransport(signer: any OCISigner) throws(CLIError) -> any HTTPTransport {
        let options = try transferOptions()
        var transport: any HTTPTransport
        do { transport = try CurlTransport(options: options) } catch { throw .media(error) }
        let io = self.io
        if try bool("debug") { transport = DebugLogTransport(inner: transport, log: { io.debug($0) }) }
        transport = SigningTransport(inner: transport, signer: signer, clock: clock)
        let debug = try bool("debug")
        return RetryingTransport(inner: transport, policy: try retryPolicy, clock: clock,
                                 onRetry: { message in if debug { io.debug(message) } else { io.progress(message) } })
    }

    /// Instance-principal calls (metadata service, auth service) go through libcurl with the same
    /// timeouts, CA bundle, retry budget and redacted --debug log as service calls, but unsigned.
    func principalNetwork() throws(CLIError) -> PrincipalNetwork {
        let options = try transferOptions()
        var transport: any HTTPTransport
        do { transport = try CurlTransport(options: options) } catch { throw .media(error) }
        let io = self.io
        let debug = try bool("debug")
        if debug { transport = DebugLogTransport(inner: transport, log: { io.debug($0) }) }
        return PrincipalNetwork(transport: transport, clock: clock, retryPolicy: try retryPolicy,
                                onRetry: { message in if debug { io.debug(message) } else { io.progress(message) } })
    }

    func ociConnection() throws(CLIError) -> OCIConnection {
        let settings = OCISettings(configFile: try string("config-file"), profile: try string("profile"),
                                   region: try string("region"), endpoint: try string("endpoint"),
                                   auth: try string("auth"), metadataURL: try string("metadata-url"),
                                   federationEndpoint: try string("federation-endpoint"),
                                   environment: environment, homeDirectory: home)
        let mode = try call { () throws(MediaError) in try settings.authMode() }
        let network = mode == .instancePrincipal ? try principalNetwork() : nil
        let connection = try call { () throws(MediaError) in try OCIConfigLoader.load(settings, network: network) }
        for file in connection.secretFiles { warnAboutPermissions(of: file) }
        warnAboutPlainHTTP(connection.endpoint, what: "--endpoint")
        if try bool("debug") {
            let source = mode.isPrincipal ? "tenancy \(connection.tenancy ?? "?")" : "profile \(settings.profileName) of \(settings.configPath)"
            io.debug("auth \(mode.rawValue), \(source), endpoint \(connection.endpoint)")
        }
        return connection
    }

    func mediaServices() throws(CLIError) -> (MediaServicesClient, OCIConnection) {
        let connection = try ociConnection()
        return (MediaServicesClient(transport: try ociTransport(signer: connection.signer), endpoint: connection.endpoint), connection)
    }

    func mediaStream(domainName: String, connection: OCIConnection) throws(CLIError) -> MediaStreamClient {
        let transport = try ociTransport(signer: connection.signer)
        return try call { () throws(MediaError) in try MediaStreamClient(transport: transport, domainName: domainName, scheme: connection.endpoint.scheme) }
    }
}
