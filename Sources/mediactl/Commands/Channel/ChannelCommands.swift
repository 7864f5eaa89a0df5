// `mediactl channel` (build, and the shared get/list/delete) and the groups of a channel's parts: `cdn-config`
// and `packaging-config`. Each verb with flags of its own is a file of this folder.
import MediaKit

enum ChannelCommands {
    static let group = CommandSpec(
        name: "channel", summary: "Distribution channels: build one with its CDN and packaging configs",
        subcommands: [ChannelBuild.command] + ResourceVerbs.all(.channel))

    static let cdnConfigGroup = CommandSpec(name: "cdn-config", summary: "CDN configs of a channel", subcommands: ResourceVerbs.all(.cdnConfig))
    static let packagingConfigGroup = CommandSpec(name: "packaging-config", summary: "Packaging configs of a channel",
                                                  subcommands: ResourceVerbs.all(.packagingConfig))
}

// The values of the packaging config's choice flags (the service's spellings).
// TODO(integrator): these belong beside `PackagingEncryption` in MediaKit; MediaKit has no enum for them yet.

/// streamPackagingFormat.
enum PackagingFormat: String, CaseIterable, Sendable {
    case hls = "HLS", dash = "DASH"
}

/// encryption.algorithm; AES128 becomes `PackagingEncryption.aes128` with the --kms-key-id given (if any).
enum PackagingEncryptionAlgorithm: String, CaseIterable, Sendable {
    case none = "NONE", aes128 = "AES128"
}
