// The environment variables MediaKit reads itself: the one list, so --help, the docs and a test can show
// and check them. Variables that only supply a flag's value are resolved by the CLI's command table
// (flag > variable > defaults file) and reach MediaKit as `ConnectionSettings`, never read here again.
import FoundationEssentials

public struct EnvironmentVariable: Sendable, Equatable {
    public let name: String
    /// What it changes, in a user's words.
    public let effect: String
    /// The flag that wins over it (or that it stands in for), if any.
    public let flag: String?

    public init(_ name: String, _ effect: String, flag: String? = nil) {
        self.name = name
        self.effect = effect
        self.flag = flag
    }
}

public enum EnvironmentVariables {
    /// Reads one variable as MediaKit does everywhere: whitespace trimmed, empty means unset.
    public static func value(_ name: String, in environment: [String: String]) -> String? {
        guard let v = environment[name]?.trimming(.whitespacesAndNewlines), !v.isEmpty else { return nil }
        return v
    }

    public static let all: [EnvironmentVariable] = [
        // oci-cli's OCI_CONFIG_ENV_VARS: values that stand in for the profile's
        EnvironmentVariable("OCI_CLI_USER", "the user OCID, instead of the profile's `user`"),
        EnvironmentVariable("OCI_CLI_TENANCY", "the tenancy OCID, instead of the profile's `tenancy`"),
        EnvironmentVariable("OCI_CLI_FINGERPRINT", "the API key's fingerprint, instead of the profile's `fingerprint`"),
        EnvironmentVariable("OCI_CLI_KEY_FILE", "the API key file, instead of the profile's `key_file`"),
        EnvironmentVariable("OCI_CLI_PASSPHRASE", "the API key's pass phrase, instead of the profile's `pass_phrase`"),
        EnvironmentVariable("OCI_CLI_SECURITY_TOKEN_FILE", "the session token file (--auth security_token), instead of the profile's `security_token_file`"),
        EnvironmentVariable("OCI_CLI_DELEGATION_TOKEN_FILE", "the delegation token file (--auth instance_obo_user), instead of the profile's `delegation_token_file`"),
        EnvironmentVariable(FilePermissions.suppressVariable, "True silences the warning about config and key files others can read"),
        EnvironmentVariable("OCI_DEFAULT_REALM", "the realm's domain for regions mediactl does not know (e.g. oraclecloud.com)", flag: "region"),
        EnvironmentVariable("OCI_REGION", "the region when neither --region, the principal nor the profile names one", flag: "region"),
        // Resource principals (the SDK's get_resource_principals_signer)
        EnvironmentVariable(ResourcePrincipalSigner.versionVariable, "resource principal version: 2.2, 1.1, 2.1, 2.1.1, 2.1.2 or 3.0", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalSigner.tokenVariable, "resource principal session token, or an absolute path to it (2.2)", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalSigner.keyVariable, "resource principal private key (PEM), or an absolute path to it", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalSigner.passphraseVariable, "pass phrase of that key, or an absolute path to it", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalSigner.regionVariable, "the resource principal's region", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalV21Signer.rptEndpointVariable, "resource principal token endpoint (1.1, 2.1.x)", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalV21Signer.rpstEndpointVariable, "resource principal session token endpoint (1.1, 2.1.x)", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalV21Signer.resourceIDVariable, "the resource's OCID (2.1.x)", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalV21Signer.tenancyIDVariable, "the resource's tenancy OCID (2.1.1)", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalV21Signer.securityContextVariable, "security context sent with the token exchange (2.1.x)", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalV21Signer.rptPathVariable, "path of the resource principal token endpoint (2.1.x)", flag: "auth"),
        EnvironmentVariable(ResourcePrincipalV11Signer.rptIDVariable, "resource ID sent for the resource principal token (1.1)", flag: "auth"),
        EnvironmentVariable(NestedResourcePrincipalSigner.leafVersionVariable,
                            "3.0: the leaf's version; the leaf's other variables carry the suffix \(NestedResourcePrincipalSigner.leafSuffix)", flag: "auth"),
        EnvironmentVariable(NestedResourcePrincipalSigner.parentTokenURLVariable, "3.0: the parent resource's token URL", flag: "auth"),
        EnvironmentVariable(NestedResourcePrincipalSigner.parentSessionEndpointVariable, "3.0: the parent's session token endpoint", flag: "auth"),
        // OKE workload identity
        EnvironmentVariable(OKEWorkloadIdentitySigner.hostVariable, "the OKE proxymux host (oke_workload_identity; Kubernetes sets it)", flag: "auth"),
        EnvironmentVariable(OKEWorkloadIdentitySigner.portVariable, "the OKE proxymux port (default 12250)", flag: "auth"),
        EnvironmentVariable(OKEWorkloadIdentitySigner.tokenPathVariable, "the pod's service account token file", flag: "auth"),
        EnvironmentVariable(OKEWorkloadIdentitySigner.tokenStringVariable, "the pod's service account token itself", flag: "auth"),
        EnvironmentVariable(OKEWorkloadIdentitySigner.certPathVariable, "the cluster CA certificate the proxymux is checked against", flag: "auth"),
        // Read by libcurl, as the SDK's requests library reads them; --proxy wins for service calls
        EnvironmentVariable("HTTPS_PROXY", "proxy for https calls (also https_proxy); not for principal calls when --proxy is given", flag: "proxy"),
        EnvironmentVariable("https_proxy", "as HTTPS_PROXY", flag: "proxy"),
        EnvironmentVariable("http_proxy", "proxy for plain-http calls", flag: "proxy"),
        EnvironmentVariable("ALL_PROXY", "proxy for calls no other proxy variable covers (also all_proxy)", flag: "proxy"),
        EnvironmentVariable("NO_PROXY", "hosts reached without a proxy (also no_proxy)", flag: "proxy"),
        // Files
        EnvironmentVariable("XDG_STATE_HOME", "where prompt history, the ids Tab completes and the emulator's state live (default ~/.local/state)"),
    ]

    /// The entry for `name`, if MediaKit reads it.
    public static func named(_ name: String) -> EnvironmentVariable? { all.first { $0.name == name } }
}
