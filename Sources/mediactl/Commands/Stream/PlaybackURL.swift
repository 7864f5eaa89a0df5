// `mediactl playback-url`: a session token from the channel's Media Stream domain, and the URL a player opens (the lab's `session`).
import FoundationEssentials
import MediaKit

enum PlaybackURL {
    struct Options {
        var assetID: String
        var packagingConfigID: String
        var channelID: String
        /// Token lifetime in seconds from now; nil leaves it to the service.
        var expiresIn: Int?
    }

    static let assetID = Flag.ocid("asset-id", types: ResourceKind.asset.ocidTypes, help: "the ingested master playlist's asset")
        .prompt("Provide the asset OCID of the ingested master playlist")
    static let packagingConfigID = Flag.ocid("packaging-config-id", types: ResourceKind.packagingConfig.ocidTypes, help: "packaging config of the channel")
        .env("MEDIACTL_PACKAGING_CONFIG_ID").prompt("Enter Package Configuration OCID")
    static let expiresIn = Flag.integer("expires-in", 60...31_536_000, meta: "SECONDS", help: "token lifetime (default: the service's)")

    static let command = CommandSpec.verb(
        "playback-url", summary: "Generate a session token and print the playback URL (the lab's `session`)",
        examples: ["mediactl playback-url --channel-id $CH --asset-id $ASSET --packaging-config-id $PKG"],
        flags: [assetID, packagingConfigID, CommonFlags.channel, expiresIn],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        Options(assetID: try inv.required(assetID), packagingConfigID: try inv.required(packagingConfigID),
                channelID: try inv.required(CommonFlags.channel), expiresIn: try inv.value(expiresIn))
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let expires = o.expiresIn.map { ctx.clock.now().addingTimeInterval(Double($0)) }
        let (client, _) = try ctx.mediaServices()
        let channel = try client.get(.channel, id: o.channelID)
        guard let domain = channel.domainName, !domain.isEmpty else {
            throw .service(ServiceFailure(status: 200, code: "NoDomainName", message: "channel \(o.channelID) has no domainName yet",
                                          requestID: nil, method: "GET", url: "\(ResourceKind.channel.collectionPath)/\(o.channelID)"))
        }
        let stream = try ctx.mediaStream(domainName: domain)
        let token = try stream.generateSessionToken(packagingConfigID: o.packagingConfigID, assetIDs: [o.assetID], expires: expires)
        let url = stream.playbackURL(assetID: o.assetID, packagingConfigID: o.packagingConfigID, token: token)
        ctx.emit(json: .object([("playbackUrl", .string(url)), ("domainName", .string(domain)),
                                ("mediaAssetId", .string(o.assetID)), ("streamPackagingConfigId", .string(o.packagingConfigID))]),
                 ids: [url]) {
            ctx.io.progress("Stream URL with your player:")
            ctx.io.out(url)
        }
    }
}
