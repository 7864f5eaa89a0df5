// `mediactl channel build`: a distribution channel, its OCI Edge CDN config and a packaging config (the lab's `build`).
import MediaKit

enum ChannelBuild {
    struct Options {
        var compartmentID: String
        var name: String
        var format: PackagingFormat
        var segmentSeconds: Int
        var encryption: PackagingEncryption
        var retryToken: String
        /// Given to all three.
        var tags: Tags
        /// `--wait-for-state`: after the three creates, each is waited for.
        var wait: StateWait
    }

    static let name = Flag.text("name", meta: "NAME", help: "display name of all three").defaulting(to: "test_sdk")
    static let format = Flag.choice("format", PackagingFormat.self, meta: "FORMAT", help: "packaging format").defaulting(to: .hls)
    static let segmentSeconds = Flag.integer("segment-seconds", 1...300, meta: "SECONDS", help: "segment length").defaulting(to: 20)
    static let encryption = Flag.choice("encryption", PackagingEncryptionAlgorithm.self, meta: "ALGORITHM", help: "stream encryption")
        .defaulting(to: .none)
    static let retryToken = CommonFlags.retryToken.help("a failed run's opc-retry-token, to rerun it")
    static let kmsKeyID = Flag.ocid("kms-key-id", types: ["key"], help: "Vault key for AES128 (default: Oracle-managed)")

    static let command = CommandSpec.verb(
        "build", summary: "Create a distribution channel, its OCI Edge CDN config and an HLS packaging config (the lab's `build`)",
        examples: ["mediactl channel build --compartment-id ocid1.compartment.oc1..aaaa --freeform-tags '{\"team\": \"media\"}'",
                   "mediactl channel build --encryption AES128 --kms-key-id ocid1.key.oc1.iad.aaaa --output json"],
        flags: [CommonFlags.compartment, name, format, segmentSeconds, encryption, kmsKeyID, retryToken] + TagFlags.both
            + [ResourceFlags.waitForState(.channel).help("then wait until all three are in this state (exit 9 if one fails)"),
               ResourceFlags.maxWaitSeconds],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let compartment = try inv.required(CommonFlags.compartment)
        let name = try inv.value(name)
        let format = try inv.value(format)
        let seconds = try inv.value(segmentSeconds)
        let kms = try inv.value(kmsKeyID)
        let algorithm = try inv.value(encryption)
        let token = try inv.retryToken()
        let tags = try inv.tags()
        let wait = try inv.stateWait(.channel)
        let encryption: PackagingEncryption
        switch algorithm {
        case .aes128: encryption = .aes128(kmsKeyID: kms)
        case .none:
            if kms != nil { throw .usage("--kms-key-id needs --encryption AES128") }
            encryption = .none
        }
        return Options(compartmentID: compartment, name: name, format: format, segmentSeconds: seconds, encryption: encryption, retryToken: token,
                       tags: tags, wait: wait)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let token = o.retryToken
        // One token for the command; each create gets its own derived from it, so a rerun with the token
        // gets back every resource the first run created and creates only what is missing.
        var created: [(String, String)] = []
        let channel = try ctx.creating(&created, retryToken: token) { () throws(MediaError) in
            try client.withRetryToken(token).createChannel(compartmentID: o.compartmentID, displayName: o.name, tags: o.tags)
        }
        created.append(("channel", channel.id))
        ctx.io.progress("Created distribution channel \(channel.id)")
        let cdn = try ctx.creating(&created, retryToken: token) { () throws(MediaError) in
            try client.withRetryToken(token + "-cdn").createEdgeCdnConfig(channelID: channel.id, displayName: o.name, tags: o.tags)
        }
        created.append(("CDN config", cdn.id))
        ctx.io.progress("Created CDN config \(cdn.id)")
        let packaging = try ctx.creating(&created, retryToken: token) { () throws(MediaError) in
            try client.withRetryToken(token + "-packaging").createPackagingConfig(
                channelID: channel.id, displayName: o.name, format: o.format.rawValue, segmentSeconds: o.segmentSeconds, encryption: o.encryption,
                tags: o.tags)
        }
        ctx.io.progress("Created packaging config \(packaging.id)")
        // --wait-for-state: each of the three in turn; what is printed is what the last poll read.
        var results: [(key: String, label: String, kind: ResourceKind, resource: Resource)] = [
            ("channel", "distribution channel", .channel, channel), ("cdnConfig", "CDN config", .cdnConfig, cdn),
            ("packagingConfig", "packaging config", .packagingConfig, packaging)]
        if !o.wait.states.isEmpty {
            for i in results.indices {
                if let last = try ctx.waitForState(client, kind: results[i].kind, id: results[i].resource.id, o.wait) { results[i].resource = last }
            }
        }
        ctx.render(named: results.map { ($0.key, $0.label, $0.resource) })
    }
}
