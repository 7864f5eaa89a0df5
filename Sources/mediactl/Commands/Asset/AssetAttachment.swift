// `mediactl asset attachment get|list|delete`: an asset's distribution-channel attachments (made by each ingest of
// the asset into a channel; named by the asset and the channel, not an OCID of their own).
import MediaKit

enum AssetAttachment {
    static let group = CommandSpec(name: "attachment", summary: "An asset's distribution-channel attachments (one per channel it was ingested into)",
                                   subcommands: [get, list, delete])

    static let assetID = ResourceVerbs.idArgument(.asset)
    static let channel = CommonFlags.channel.help("the channel the asset is attached to")
    static let version = Flag.integer("version", 1...Int(Int32.max), help: "the attachment's version (each ingest of the pair adds one)")
        .notFromDefaultsFile()

    /// ListMediaAssetDistributionChannelAttachments' sortBy values.
    enum SortField: String, CaseIterable, Sendable {
        case mediaAssetId, distributionChannelId, displayName, version
    }

    static let listChannel = Flag.ocid("channel-id", types: ResourceKind.channel.ocidTypes, help: "only the attachment to this channel")
        .notFromDefaultsFile()
    static let listName = Flag.text("name", meta: "NAME", help: "only attachments with this display name").notFromDefaultsFile()
    static let sortBy = Flag.choice("sort-by", SortField.self, meta: "FIELD", help: "sort field").notFromDefaultsFile()
    static let ifMatch = ResourceFlags.ifMatch.help("delete only if the attachment's etag is still this (else exit 6)")
    static let lockOverride = Switch("lock-override", help: "delete even though the asset is locked")

    struct Target {
        var assetID: String
        var channelID: String
        var version: Int?
    }

    static func target(_ inv: Invocation) throws(MediaError) -> Target {
        Target(assetID: try inv.required(assetID), channelID: try inv.required(channel), version: try inv.value(version))
    }

    static let get = CommandSpec.verb(
        "get", summary: "Show an asset's attachment to a channel",
        examples: ["mediactl asset attachment get $ASSET --channel-id $CH --output json"],
        flags: [channel, version], positionals: [assetID.spec],
        parse: target,
        run: { t, ctx throws(MediaError) in
            let (client, _) = try ctx.mediaServices()
            let a = try client.getAttachment(assetID: t.assetID, channelID: t.channelID, version: t.version)
            ctx.emit(json: a.json, ids: [a.distributionChannelID ?? t.channelID]) { ctx.io.out(Self.text(a).joined(separator: "\n")) }
        })

    struct ListArgs {
        var assetID: String
        var list: ListOptions
        var paging: ListPaging.Options
    }

    static let list = CommandSpec.verb(
        "list", summary: "List an asset's channel attachments",
        examples: ["mediactl asset attachment list $ASSET", "mediactl asset attachment list $ASSET --sort-by version --sort-order DESC --all"],
        flags: [listChannel, listName, sortBy, ListPaging.sortOrder] + ListPaging.flags, positionals: [assetID.spec],
        parse: { inv throws(MediaError) in
            let asset = try inv.required(assetID)
            var filters: [(String, String)] = []
            if let n = try inv.value(listName) { filters.append(("displayName", n)) }
            if let c = try inv.value(listChannel) { filters.append(("distributionChannelId", c)) }
            let paging = try ListPaging.options(inv)
            return ListArgs(assetID: asset, list: ListOptions(filters: filters, sortBy: try inv.value(sortBy)?.rawValue,
                                                                          sortOrder: try inv.value(ListPaging.sortOrder), limit: paging.limit),
                               paging: paging)
        },
        run: { o, ctx throws(MediaError) in
            let (client, _) = try ctx.mediaServices()
            let (items, next) = try ListPaging.items(o.paging, page: { (token) throws(MediaError) in
                var options = o.list
                options.page = token
                return try client.listAttachments(assetID: o.assetID, options)
            }, all: { () throws(MediaError) in try client.listAllAttachments(assetID: o.assetID, o.list) })
            ctx.renderList(items, nextPage: next, noun: "attachment", ids: { $0.distributionChannelID ?? "" },
                           columns: ["CHANNEL", "VERSION", "STATE", "NAME"],
                           row: { [$0.distributionChannelID ?? "-", $0.version.map(String.init) ?? "-", $0.lifecycleState ?? "-", $0.displayName ?? "-"] },
                           text: { a in [[a.distributionChannelID ?? "?", "v\(a.version.map(String.init) ?? "?")", a.lifecycleState ?? "-",
                                          a.displayName ?? "-"].joined(separator: "  ")] })
        })

    struct DeleteOptions {
        var target: Target
        var ifMatch: String?
        var lockOverride: Bool
        var yes: Bool
    }

    static let delete = CommandSpec.verb(
        "delete", summary: "Detach an asset from a channel",
        examples: ["mediactl asset attachment delete $ASSET --channel-id $CH --version 2 --yes"],
        flags: [channel, version, ifMatch, lockOverride, CommonFlags.yes], positionals: [assetID.spec],
        parse: { inv throws(MediaError) in
            DeleteOptions(target: try target(inv), ifMatch: try inv.value(ifMatch), lockOverride: try inv.value(lockOverride),
                          yes: try inv.value(CommonFlags.yes))
        },
        run: { o, ctx throws(MediaError) in
            let t = o.target
            try ctx.io.confirm("detach media asset \(t.assetID) from channel \(t.channelID)", yes: o.yes)
            let (client, _) = try ctx.mediaServices()
            try client.deleteAttachment(assetID: t.assetID, channelID: t.channelID, version: t.version, ifMatch: o.ifMatch,
                                        isLockOverride: o.lockOverride ? true : nil)
            ctx.emit(json: .object([("mediaAssetId", .string(t.assetID)), ("distributionChannelId", .string(t.channelID)), ("deleted", true)]),
                     ids: [t.channelID]) {
                ctx.io.progress("detached media asset \(t.assetID) from channel \(t.channelID)")
            }
        })

    static func text(_ a: Resource) -> [String] {
        var lines = ["attachment of \(a.mediaAssetID ?? "?") to channel \(a.distributionChannelID ?? "?")"]
        if let v = a.version { lines.append("  version: \(v)") }
        if let s = a.lifecycleState { lines.append("  state:   \(s)\(a.lifecycleDetails.map { " (\($0))" } ?? "")") }
        if let n = a.displayName { lines.append("  name:    \(n)") }
        for (label, value) in [("mediaWorkflowJobId", a.mediaWorkflowJobID), ("metadataRef", a.metadataRef)] {
            if let value { lines.append("  \(label): \(value)") }
        }
        return lines
    }
}
