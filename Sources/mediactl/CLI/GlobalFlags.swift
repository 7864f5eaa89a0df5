// Flags every command accepts; Connections.swift turns them into clients.
import FoundationEssentials
import MediaKit

enum GlobalFlags {
    static let outputFormats = ["text", "json", "id"]

    static let all: [FlagSpec] = [
        FlagSpec(name: "output", short: "o", kind: .choice(outputFormats), meta: "FORMAT",
                 help: "text for people, json for the API's objects as received, id for just the OCID(s)",
                 env: "MEDIACTL_OUTPUT", defaultValue: "text", fromDefaultsFile: true),
        FlagSpec(name: "config-file", kind: .file, meta: "PATH", help: "OCI config file (default ~/.oci/config)",
                 env: "OCI_CLI_CONFIG_FILE", extraEnv: ["OCI_CONFIG_FILE"], fromDefaultsFile: false),
        FlagSpec(name: "profile", meta: "NAME", help: "profile in the config file (default DEFAULT)",
                 env: "OCI_CLI_PROFILE", fromDefaultsFile: false),
        FlagSpec(name: "auth", kind: .choice(AuthMode.allCases.map(\.rawValue)), meta: "MODE",
                 help: "how to authenticate: api_key (the profile's key), instance_principal (on an OCI compute instance), "
                    + "resource_principal (OCI_RESOURCE_PRINCIPAL_* variables), security_token (`oci session authenticate`), "
                    + "instance_obo_user (Cloud Shell: instance principal with the user's delegation token), "
                    + "oke_workload_identity (a pod's service account in an OKE enhanced cluster); docs/auth-modes.md says which to use",
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
                 env: "MEDIACTL_ENDPOINT", extraEnv: ["OCI_CLI_ENDPOINT"], fromDefaultsFile: true),
        FlagSpec(name: "realm-specific-endpoint", kind: .bool,
                 help: "use the realm-specific endpoint templates, as the SDK does (Object Storage in oc1: NAMESPACE.objectstorage.REGION.oci.customer-oci.com)",
                 env: "OCI_REALM_SPECIFIC_SERVICE_ENDPOINT_TEMPLATE_ENABLED", fromDefaultsFile: true),
        FlagSpec(name: "enable-dual-stack", kind: .bool,
                 help: "use the IPv4/IPv6 dual-stack endpoints, as the SDK does (Object Storage: objectstorage.REGION.ds.oci.DOMAIN; Media Services has none)",
                 env: "OCI_DUAL_STACK_ENDPOINT_ENABLED", fromDefaultsFile: true),
        FlagSpec(name: "ca-bundle", kind: .file, meta: "PATH", help: "extra trusted CA certificates (PEM) for TLS",
                 env: "OCI_CLI_CERT_BUNDLE", fromDefaultsFile: true),
        FlagSpec(name: "proxy", meta: "URL",
                 help: "proxy for service calls, e.g. http://user:password@proxy:3128 (default: HTTPS_PROXY, https_proxy or ALL_PROXY, "
                    + "minus NO_PROXY hosts; the password never shows in --debug)", fromDefaultsFile: true),
        FlagSpec(name: "opc-request-id", meta: "ID",
                 help: "send this opc-request-id on every request of the command, to trace it with Oracle support (default: one per request)",
                 fromDefaultsFile: false),
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

extension GlobalFlags {
    /// Variables read directly, not as a flag's value: MediaKit's own, then the CLI's. The docs and man page list them.
    static let environment: [EnvironmentVariable] = EnvironmentVariables.all + [
        EnvironmentVariable("OPENTOK_API_SECRET", "the OpenTok API secret (never a flag value)", flag: "api-secret-file"),
        EnvironmentVariable("OPENTOK_SIP_PASSWORD", "the SIP password for `sip dial` (never a flag value)", flag: "sip-password-file"),
        EnvironmentVariable("VONAGE_PRIVATE_KEY_PASSPHRASE", "pass phrase of an encrypted Vonage private key", flag: "private-key-file"),
        EnvironmentVariable(VideoFlags.ownClientTokenVariable, "a client token of your own for captions, render and the Audio Connector", flag: "token-file"),
        EnvironmentVariable("XDG_CONFIG_HOME", "where the defaults file lives (default ~/.config)", flag: "defaults-file"),
        EnvironmentVariable("NO_COLOR", "turns colour off"),
    ]
}

extension Invocation {
    var outputFormat: String { (try? string("output")) ?? "text" }

    /// Validates every global flag given, so a bad value fails before any work starts.
    func checkGlobals() throws(CLIError) {
        for spec in globals { _ = try string(spec.name) }
    }
}
