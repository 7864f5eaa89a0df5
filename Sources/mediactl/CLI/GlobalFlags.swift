// Flags every command accepts; Connections.swift turns them into clients.
import FoundationEssentials
import MediaKit

enum GlobalFlags {
    static let output = Flag.choice("output", OutputFormat.self, meta: "FORMAT",
                                    help: "text for people, json for the API's objects as received, id for just the id(s), table for aligned columns")
        .short("o").env("MEDIACTL_OUTPUT").defaulting(to: .text)
    static let query = Flag.text("query", meta: "JMESPATH",
                                 help: "JMESPath expression applied to the JSON result before printing, as the OCI CLI's --query (e.g. 'items[].id')")
        .env("MEDIACTL_QUERY").notFromDefaultsFile()
    static let configFile = Flag.file("config-file", help: "OCI config file (default ~/.oci/config)")
        .env("OCI_CLI_CONFIG_FILE", "OCI_CONFIG_FILE").notFromDefaultsFile()
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
        .env("MEDIACTL_ENDPOINT", "OCI_CLI_ENDPOINT")
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
        output, query, configFile, profile, auth, metadataURL, federationEndpoint, region, endpoint, realmSpecificEndpoint, dualStack,
        caBundle, proxy, opcRequestID, connectTimeout, readTimeout, maxRetries, noRetry, defaultsFile, noInput, quiet, debug,
    ]
    static let all: [FlagSpec] = declarations.map(\.spec)
}

extension GlobalFlags {
    /// Variables read directly, not as a flag's value: MediaKit's own, then the CLI's. The docs and man page list them.
    static let environment: [EnvironmentVariable] = EnvironmentVariables.all + [
        EnvironmentVariable("OPENTOK_API_SECRET", "the OpenTok API secret (never a flag value)", flag: "api-secret-file"),
        EnvironmentVariable("OPENTOK_SIP_PASSWORD", "the SIP password for `sip dial` (never a flag value)", flag: "sip-password-file"),
        EnvironmentVariable("VONAGE_PRIVATE_KEY_PASSPHRASE", "pass phrase of an encrypted Vonage private key", flag: "private-key-file"),
        EnvironmentVariable(OwnClientToken.variable, "a client token of your own for captions, render and the Audio Connector", flag: "token-file"),
        EnvironmentVariable("XDG_CONFIG_HOME", "where the defaults file lives (default ~/.config)", flag: "defaults-file"),
        EnvironmentVariable("NO_COLOR", "turns colour off"),
    ]
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
}
