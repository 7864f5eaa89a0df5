// `mediactl session-token create`: a Media Stream session token with the scopes, assets and expiry chosen
// (GenerateSessionToken at the channel's domain; `playback-url` makes the lab's PLAYLIST+EDGE one for one asset).
import FoundationEssentials
import MediaKit

enum SessionTokenCommands {
    static let group = CommandSpec(name: "session-token", summary: "Media Stream session tokens for players and CDNs",
                                   subcommands: [SessionTokenCreate.command])
}

enum SessionTokenCreate {
    struct Options {
        var packagingConfigID: String
        var channelID: String?
        var assetIDs: [String]
        var scopes: [SessionTokenScope]
        var expires: Date?
    }

    static let packagingConfigID = ChannelGeneratePlaylist.packagingConfigID.help("the packaging config the token is for")
    static let channel = CommonFlags.channel.help("the channel (default: the packaging config's)")
    static let assetID = Flag.ocid("asset-id", types: ResourceKind.asset.ocidTypes, help: "an asset the token opens; repeatable (none: any)")
        .repeatable().notFromDefaultsFile()
    static let scope = Flag.choice("scope", SessionTokenScope.self, meta: "SCOPE", help: "PLAYLIST or EDGE; repeatable (default: both)")
        .repeatable().notFromDefaultsFile()
    static let expires = Flag.text("expires", meta: "WHEN", help: "when the token expires: an RFC 3339 time, or a lifetime such as 3600, 90m, 12h, 7d")
        .notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "create", summary: "Generate a session token with chosen scopes, assets and expiry",
        examples: ["mediactl session-token create --packaging-config-id $PKG --asset-id $A --asset-id $B --scope PLAYLIST --expires 12h",
                   "TOKEN=$(mediactl session-token create --packaging-config-id $PKG --expires 2030-01-01T00:00:00Z --output id)"],
        flags: [packagingConfigID, channel, assetID, scope, expires],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let packaging = try inv.required(packagingConfigID)
        let channelID = try inv.value(channel)
        let assets = try inv.values(assetID)
        var scopes: [SessionTokenScope] = []
        for s in try inv.values(scope) where !scopes.contains(s) { scopes.append(s) }
        let when = try inv.value(expires)
        var expiry: Date?
        if let when, !inv.auditing {
            expiry = try ExpiryTime.parse(when, now: inv.clock.now(), flag: "expires", what: "a session token")
        }
        return Options(packagingConfigID: packaging, channelID: channelID, assetIDs: assets,
                       scopes: scopes.isEmpty ? [.playlist, .edge] : scopes, expires: expiry)
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let (stream, domain) = try ChannelStream.client(ctx, client, channelID: o.channelID, packagingConfigID: o.packagingConfigID)
        let token = try stream.generateSessionToken(packagingConfigID: o.packagingConfigID, assetIDs: o.assetIDs, scopes: o.scopes,
                                                    expires: o.expires)
        var doc: JSONValue = ["token": .string(token), "domainName": .string(domain), "packagingConfigId": .string(o.packagingConfigID),
                              "scopes": .array(o.scopes.map { .string($0.rawValue) }), "assetIds": .array(o.assetIDs.map { .string($0) })]
        if let expires = o.expires { doc.set("timeExpires", .string(Timestamps.rfc3339(expires))) }
        if !o.assetIDs.isEmpty {
            doc.set("playbackUrls", .array(o.assetIDs.map {
                .string(stream.playbackURL(assetID: $0, packagingConfigID: o.packagingConfigID, token: token))
            }))
        }
        ctx.emit(json: doc, ids: [token]) {
            ctx.io.out(token)
            for a in o.assetIDs { ctx.io.progress("\(a): \(stream.playbackURL(assetID: a, packagingConfigID: o.packagingConfigID, token: token))") }
        }
    }
}
