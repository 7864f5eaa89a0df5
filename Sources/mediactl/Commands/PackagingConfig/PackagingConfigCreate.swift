// `mediactl packaging-config create`: a packaging config (HLS or DASH, clear or AES-128 with a Vault key) on an
// existing channel.
import MediaKit

enum PackagingConfigCreate {
    struct Options: TaggedCreate {
        var channelID: String
        var name: String
        var format: PackagingFormat
        var segmentSeconds: Int
        var encryption: PackagingEncryption
        var tags = Tags()
        var wait = StateWait(states: [], timeout: 0)
        var retryToken: String
    }

    static let channel = CommonFlags.channel.help("the channel to add the packaging config to")
    static let name = Flag.text("name", meta: "NAME", help: "display name").required().notFromDefaultsFile().prompt("Packaging config display name")
    static let format = Flag.choice("format", PackagingFormat.self, meta: "FORMAT", help: "packaging format").notFromDefaultsFile().defaulting(to: .hls)
    static let segmentSeconds = Flag.integer("segment-seconds", 1...300, meta: "SECONDS", help: "segment length").notFromDefaultsFile()
        .defaulting(to: 20)
    static let encryption = Flag.choice("encryption", PackagingEncryptionAlgorithm.self, meta: "ALGORITHM", help: "stream encryption").notFromDefaultsFile()
        .defaulting(to: .none)
    static let kmsKey = Flag.ocid("kms-key-id", types: ["key"], help: "Vault key for AES128 (default: an Oracle-managed key)").notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "create", summary: "Add a packaging config (HLS or DASH, NONE or AES128) to an existing channel",
        examples: ["mediactl packaging-config create --channel-id $CH --name dash --format DASH --segment-seconds 6",
                   "mediactl packaging-config create --channel-id $CH --name hls-aes --encryption AES128 --kms-key-id $KEY"],
        flags: [channel, name, format, segmentSeconds, encryption, kmsKey, CommonFlags.retryToken] + TaggedCreateFlags.flags(.packagingConfig),
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options { try inv.taggedCreate(.packagingConfig, parseFields) }

    static func parseFields(_ inv: Invocation) throws(MediaError) -> Options {
        let channelID = try inv.required(channel)
        let displayName = try inv.required(name)
        let algorithm = try inv.value(encryption)
        let key = try inv.value(kmsKey)
        if algorithm == .none && key != nil && !inv.auditing { throw .usage("--kms-key-id needs --encryption AES128") }
        return Options(channelID: channelID, name: displayName, format: try inv.value(format), segmentSeconds: try inv.value(segmentSeconds),
                       encryption: algorithm == .aes128 ? .aes128(kmsKeyID: key) : .none, retryToken: try inv.retryToken())
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let created = try ctx.creating(retryToken: o.retryToken) { () throws(MediaError) in
            try client.withRetryToken(o.retryToken).createPackagingConfig(channelID: o.channelID, displayName: o.name, format: o.format.rawValue,
                                                                          segmentSeconds: o.segmentSeconds, encryption: o.encryption, tags: o.tags)
        }
        ctx.io.progress("Created packaging config \(created.id)")
        try ctx.finish(client, kind: .packagingConfig, created, o.wait)
    }
}
