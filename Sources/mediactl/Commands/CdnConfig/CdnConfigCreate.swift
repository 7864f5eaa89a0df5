// `mediactl cdn-config create`: a CDN config on an existing channel: OCI Edge, or Akamai set up by hand with the
// fields AkamaiManualStreamCdnConfig has (protocols.md §6.3).
import MediaKit

enum CdnConfigCreate {
    struct Options: TaggedCreate {
        var channelID: String
        var name: String
        var config: CdnConfig
        var isEnabled: Bool?
        var tags = Tags()
        var wait = StateWait(states: [], timeout: 0)
        var retryToken: String
    }

    enum ConfigType: String, CaseIterable, Sendable { case edge = "EDGE", akamaiManual = "AKAMAI_MANUAL" }
    enum SignType: String, CaseIterable, Sendable { case forwardURL = "ForwardURL" }
    enum SignEncryption: String, CaseIterable, Sendable { case sha256HMAC = "SHA256-HMAC" }
    enum Truth: String, CaseIterable, Sendable { case `true`, `false` }

    static let channel = CommonFlags.channel.help("the channel to add the CDN config to")
    static let name = Flag.text("name", meta: "NAME", help: "display name").required().notFromDefaultsFile().prompt("CDN config display name")
    static let type = Flag.choice("type", ConfigType.self, meta: "TYPE", help: "OCI Edge, or Akamai configured by hand")
        .notFromDefaultsFile().defaulting(to: .edge)
    static let enabled = Flag.choice("enabled", Truth.self, meta: "BOOL", help: "publish through it (default: the service's, enabled)")
        .notFromDefaultsFile()

    // AKAMAI_MANUAL only. The secrets can come from the environment, so they need not be on a command line.
    static let signType = Flag.choice("origin-auth-sign-type", SignType.self, meta: "TYPE", help: "Akamai origin auth sign type").notFromDefaultsFile()
    static let signEncryption = Flag.choice("origin-auth-sign-encryption", SignEncryption.self, meta: "ALGORITHM",
                                            help: "Akamai origin auth sign encryption").notFromDefaultsFile()
    static let secretKeyA = Flag.text("origin-auth-secret-key-a", meta: "KEY", help: "Akamai origin auth secret key A")
        .env("MEDIACTL_AKAMAI_ORIGIN_SECRET_KEY_A").notFromDefaultsFile()
    static let nonceA = Flag.text("origin-auth-secret-key-nonce-a", meta: "NONCE", help: "nonce of secret key A").notFromDefaultsFile()
    static let secretKeyB = Flag.text("origin-auth-secret-key-b", meta: "KEY", help: "Akamai origin auth secret key B")
        .env("MEDIACTL_AKAMAI_ORIGIN_SECRET_KEY_B").notFromDefaultsFile()
    static let nonceB = Flag.text("origin-auth-secret-key-nonce-b", meta: "NONCE", help: "nonce of secret key B").notFromDefaultsFile()
    static let edgeHostname = Flag.text("edge-hostname", meta: "HOST", help: "the Akamai edge hostname").notFromDefaultsFile()
    static let edgePathPrefix = Flag.text("edge-path-prefix", meta: "PREFIX", help: "path prefix on the edge").notFromDefaultsFile()
    static let edgeTokenAuth = Flag.choice("edge-token-auth", Truth.self, meta: "BOOL", help: "whether the edge checks tokens").notFromDefaultsFile()
    static let edgeTokenKey = Flag.text("edge-token-key", meta: "KEY", help: "the edge token key").env("MEDIACTL_AKAMAI_EDGE_TOKEN_KEY")
        .notFromDefaultsFile()
    static let edgeTokenSalt = Flag.text("edge-token-salt", meta: "SALT", help: "the edge token salt").notFromDefaultsFile()

    static let akamaiFlags: [Flag<String>] = [secretKeyA, nonceA, secretKeyB, nonceB, edgeHostname, edgePathPrefix, edgeTokenKey, edgeTokenSalt]

    static let command = CommandSpec.verb(
        "create", summary: "Add a CDN config (OCI Edge or Akamai) to an existing channel",
        description: "AKAMAI_MANUAL takes the --origin-auth-* and --edge-* values; they are refused with EDGE. The secret keys and the\nedge token key may come from MEDIACTL_AKAMAI_ORIGIN_SECRET_KEY_A, _B and MEDIACTL_AKAMAI_EDGE_TOKEN_KEY instead.",
        examples: ["mediactl cdn-config create --channel-id $CH --name edge",
                   "mediactl cdn-config create --channel-id $CH --name akamai --type AKAMAI_MANUAL --edge-hostname media.example.com --edge-token-auth true"],
        flags: [channel, name, type, enabled, signType, signEncryption, secretKeyA, nonceA, secretKeyB, nonceB, edgeHostname, edgePathPrefix,
                edgeTokenAuth, edgeTokenKey, edgeTokenSalt, CommonFlags.retryToken] + TaggedCreateFlags.flags(.cdnConfig),
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options { try inv.taggedCreate(.cdnConfig, parseFields) }

    static func parseFields(_ inv: Invocation) throws(MediaError) -> Options {
        let channelID = try inv.required(channel)
        let displayName = try inv.required(name)
        let kind = try inv.value(type)
        var a = CdnConfig.AkamaiSettings()
        a.originAuthSignType = try inv.value(signType)?.rawValue
        a.originAuthSignEncryption = try inv.value(signEncryption)?.rawValue
        a.originAuthSecretKeyA = try inv.value(secretKeyA)
        a.originAuthSecretKeyNonceA = try inv.value(nonceA)
        a.originAuthSecretKeyB = try inv.value(secretKeyB)
        a.originAuthSecretKeyNonceB = try inv.value(nonceB)
        a.edgeHostname = try inv.value(edgeHostname)
        a.edgePathPrefix = try inv.value(edgePathPrefix)
        a.isEdgeTokenAuth = try inv.value(edgeTokenAuth).map { $0 == .true }
        a.edgeTokenKey = try inv.value(edgeTokenKey)
        a.edgeTokenSalt = try inv.value(edgeTokenSalt)
        let config: CdnConfig
        switch kind {
        case .akamaiManual: config = .akamaiManual(a)
        case .edge:
            // Flags only: a secret in the environment for other runs is no reason to refuse an EDGE config.
            let given: [any FlagDeclaration] = [signType, signEncryption, edgeTokenAuth] + akamaiFlags
            if let first = given.first(where: { inv.isGiven($0) }) { throw .usage("--\(first.spec.name) needs --type AKAMAI_MANUAL") }
            config = .edge
        }
        return Options(channelID: channelID, name: displayName, config: config, isEnabled: try inv.value(enabled).map { $0 == .true },
                       retryToken: try inv.retryToken())
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let created = try ctx.creating(retryToken: o.retryToken) { () throws(MediaError) in
            try client.withRetryToken(o.retryToken).createCdnConfig(channelID: o.channelID, displayName: o.name, config: o.config,
                                                                    isEnabled: o.isEnabled, tags: o.tags)
        }
        ctx.io.progress("Created CDN config \(created.id)")
        try ctx.finish(client, kind: .cdnConfig, created, o.wait)
    }
}
