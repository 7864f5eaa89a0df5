// `mediactl channel generate-playlist`: the signed GeneratePlaylist call (`oci media-services media-stream
// generate-playlist`), at the channel's own Media Stream domain, found from the channel (or from the packaging
// config's channel), so no endpoint is typed. The playlist goes to --file, or to stdout with `-`.
import FoundationEssentials
import MediaKit

enum ChannelGeneratePlaylist {
    struct Options {
        var assetID: String
        var packagingConfigID: String
        var channelID: String?
        var token: String?
        /// nil: stdout.
        var file: String?
    }

    static let assetID = Flag.ocid("asset-id", types: ResourceKind.asset.ocidTypes, help: "the ingested asset").required().notFromDefaultsFile()
        .prompt("Media asset OCID")
    static let packagingConfigID = Flag.ocid("packaging-config-id", types: ResourceKind.packagingConfig.ocidTypes,
                                             help: "the packaging config (HLS gives an m3u8, DASH an MPD)")
        .required().env("MEDIACTL_PACKAGING_CONFIG_ID").prompt("Packaging config OCID")
    static let channel = CommonFlags.channel.help("the channel (default: the packaging config's)")
    static let token = Flag.text("token", meta: "TOKEN", help: "a session token to send as well (the signed request needs none)")
        .notFromDefaultsFile()
    static let file = Flag.file("file", help: "where to write the playlist; - for stdout").required().notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "generate-playlist", summary: "Fetch an asset's playlist from the channel's Media Stream endpoint (signed)",
        description: "Looks the channel up for its domainName (from --channel-id, else from the packaging config's channel), then sends the\nsigned GeneratePlaylist there. The playlist's bytes go to --file as the service sent them, or to stdout with --file -.",
        examples: ["mediactl channel generate-playlist --asset-id $ASSET --packaging-config-id $PKG --file master.m3u8",
                   "mediactl channel generate-playlist --asset-id $ASSET --packaging-config-id $PKG --channel-id $CH --file - | head"],
        flags: [assetID, packagingConfigID, channel, token, file],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let asset = try inv.required(assetID)
        let packaging = try inv.required(packagingConfigID)
        let channelID = try inv.value(channel)
        let given = try inv.value(token)
        let path = try inv.required(file)
        var target: String?
        if path != "-" && !inv.auditing {
            let full = inv.expand(path)
            var isDirectory = false
            if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), isDirectory {
                throw .usage("--file \(path): is a directory (expected a file path)")
            }
            let dir = parentDirectory(of: full)
            guard FileManager.default.isWritableFile(atPath: dir.isEmpty ? "." : dir) else {
                throw .usage("--file \(path): cannot write in \(dir.isEmpty ? "." : dir)")
            }
            target = full
        }
        return Options(assetID: asset, packagingConfigID: packaging, channelID: channelID, token: given, file: target)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let (stream, domain) = try ChannelStream.client(ctx, client, channelID: o.channelID, packagingConfigID: o.packagingConfigID)
        let playlist = try stream.generatePlaylist(packagingConfigID: o.packagingConfigID, assetID: o.assetID, token: o.token)
        guard let path = o.file else {
            ctx.io.out(String(decoding: playlist, as: UTF8.self), terminator: "")
            return
        }
        guard StatePaths.writeRecord(playlist, to: path) else { throw .usage("--file \(path): could not be written") }
        ctx.emit(json: .object([("file", .string(path)), ("bytes", .int(playlist.count)), ("domainName", .string(domain)),
                                ("mediaAssetId", .string(o.assetID)), ("streamPackagingConfigId", .string(o.packagingConfigID))]),
                 ids: [path]) {
            ctx.io.progress("Wrote the playlist (\(playlist.count) bytes) to \(path)")
        }
    }
}

/// The Media Stream client of a channel: its domainName read from the channel (named, or the packaging config's).
enum ChannelStream {
    static func client(_ ctx: CommandContext, _ client: MediaServicesClient, channelID: String?,
                       packagingConfigID: String) throws(MediaError) -> (MediaStreamClient, String) {
        var id = channelID
        if id == nil {
            let packaging = try client.get(.packagingConfig, id: packagingConfigID)
            guard let owner = packaging.distributionChannelID, !owner.isEmpty else {
                throw .usage("--channel-id: packaging config \(packagingConfigID) names no channel; give the channel")
            }
            id = owner
        }
        let channel = try client.get(.channel, id: id!)
        guard let domain = channel.domainName, !domain.isEmpty else {
            throw .service(ServiceFailure(status: 200, code: "NoDomainName", message: "channel \(id!) has no domainName yet",
                                          requestID: nil, method: "GET", url: "\(ResourceKind.channel.collectionPath)/\(id!)"))
        }
        return (try ctx.mediaStream(domainName: domain), domain)
    }
}
