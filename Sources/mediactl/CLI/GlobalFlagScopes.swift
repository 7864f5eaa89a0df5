// Which commands each global flag applies to, so a command's help lists only those of the API it calls and
// `mediactl help flags` groups them. Every global flag is in exactly one scope (GlobalFlagScopeTests).
import MediaKit

extension GlobalFlags {
    enum Scope: CaseIterable, Sendable {
        /// Output, prompts, logging, the defaults file: every command.
        case every
        /// Credentials, region and endpoints of OCI: Media Services, Media Streams and Object Storage commands.
        case oci

        /// How requests travel (TLS, proxy, timeouts, retries): every command that calls an API, OCI or OpenTok / Vonage.
        case network
        var flags: [any FlagDeclaration] {
            switch self {
            case .every: [output, query, quiet, debug, noInput, defaultsFile]
            case .network: [caBundle, proxy, connectTimeout, readTimeout, maxRetries, noRetry]
            case .oci: [profile, configFile, auth, region, endpoint, metadataURL, federationEndpoint, realmSpecificEndpoint, dualStack, opcRequestID]
            }
        }

        var heading: String {
            switch self {
            case .every: "Every command"
            case .network: "Commands that call an API (OCI and OpenTok / Vonage Video)"
            case .oci: "OCI commands only (Media Services, Media Streams, Object Storage)"
            }
        }

        func applies(to api: Help.API) -> Bool {
            switch self {
            case .every: true
            case .network: api != .local
            case .oci: api == .oci
            }
        }
    }

    /// The global flags that apply to commands calling `api`, most used first.
    static func applying(to api: Help.API) -> [FlagSpec] {
        Scope.allCases.filter { $0.applies(to: api) }.flatMap { $0.flags.map(\.spec) }
    }
}
