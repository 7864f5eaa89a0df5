// `mediactl <kind> list`: every filter the kind's list_* takes (ResourceKind.listFilters), the sort fields and order,
// paging. `--state` is checked against the kind's lifecycle states before anything is sent.
import MediaKit

/// A media asset's `type`, as the SDK's list_media_assets and Create/UpdateMediaAssetDetails allow it.
enum MediaAssetType: String, CaseIterable, Sendable {
    case audio = "AUDIO", video = "VIDEO", playlist = "PLAYLIST", image = "IMAGE", captionFile = "CAPTION_FILE", unknown = "UNKNOWN"
}

enum ResourceList {
    struct Options {
        var list: ListOptions
        var all: Bool
    }

    static let name = Flag.text("name", meta: "NAME", help: "only resources with this display name").notFromDefaultsFile()
    static let limit = ListPaging.limit
    static let page = ListPaging.page
    static let all = ListPaging.all
    static let sortOrder = Flag.choice("sort-order", SortOrder.self, meta: "ORDER", help: "sort order")

    static func sortBy(_ kind: ResourceKind) -> Flag<String> {
        Flag(spec: FlagSpec(name: "sort-by", kind: .choice(kind.sortFields), meta: "FIELD", help: "sort by this field"), decode: { $0 }, encode: { $0 })
    }

    static func id(_ kind: ResourceKind) -> Flag<String> {
        Flag.ocid("id", types: kind.ocidTypes, help: "only the \(kind.noun) with this OCID").notFromDefaultsFile()
    }

    static let compartment = CommonFlags.compartment.help("only resources in this compartment (given nowhere: every compartment)")
    static let channel = CommonFlags.channel.help("the distribution channel whose configs to list").required()
    static let jobWorkflow = Flag.ocid("workflow-id", types: ResourceKind.workflow.ocidTypes, help: "only jobs of this workflow").notFromDefaultsFile()

    /// Asset filters beyond the common ones, with their query names.
    static let assetFilters: [(query: String, flag: Flag<String>)] = [
        ("distributionChannelId", Flag.ocid("channel-id", types: ResourceKind.channel.ocidTypes, help: "only assets attached to this channel")
            .notFromDefaultsFile()),
        ("parentMediaAssetId", Flag.ocid("parent-asset-id", types: ResourceKind.asset.ocidTypes, help: "only children of this asset")
            .notFromDefaultsFile()),
        ("masterMediaAssetId", Flag.ocid("master-asset-id", types: ResourceKind.asset.ocidTypes, help: "only derivations of this asset")
            .notFromDefaultsFile()),
        ("bucketName", Flag.text("bucket", meta: "BUCKET", help: "only assets in this bucket").completingIDs("bucket").notFromDefaultsFile()),
        ("objectName", Flag.text("object", meta: "OBJECT", help: "only assets of this object name").notFromDefaultsFile()),
        ("mediaWorkflowJobId", Flag.ocid("job-id", types: ResourceKind.job.ocidTypes, help: "only assets made by this job").notFromDefaultsFile()),
        ("sourceMediaWorkflowId", Flag.ocid("source-workflow-id", types: ResourceKind.workflow.ocidTypes, help: "only assets made by this workflow")
            .notFromDefaultsFile()),
    ]
    static let assetType = Flag.choice("type", MediaAssetType.self, meta: "TYPE", help: "only assets of this type")
    static let sourceWorkflowVersion = Flag.integer("source-workflow-version", 0...Int(Int32.max), help: "only assets made by this workflow version")

    static func flags(_ kind: ResourceKind) -> [any FlagDeclaration] {
        var flags: [any FlagDeclaration] = [kind.listScope == "compartmentId" ? compartment : channel]
        flags += [id(kind), ResourceFlags.state(kind), name]
        if kind == .job { flags.append(jobWorkflow) }
        if kind == .asset { flags += assetFilters.map(\.flag) + [assetType, sourceWorkflowVersion] }
        return flags + [sortBy(kind), sortOrder, limit, page, all]
    }

    static func command(_ kind: ResourceKind) -> CommandSpec {
        .verb("list", summary: "List \(kind.noun)s",
              examples: ["mediactl \(kind.rawValue) list --all --output json",
                         "mediactl \(kind.rawValue) list --state \(ResourceFlags.states(kind)[0].lowercased()) --sort-by \(kind.sortFields[0]) --sort-order DESC"],
              flags: flags(kind), parse: { inv throws(MediaError) in try parse(inv, kind) }, run: { o, ctx throws(MediaError) in try run(o, ctx, kind) })
    }

    static func parse(_ inv: Invocation, _ kind: ResourceKind) throws(MediaError) -> Options {
        var filters: [(String, String)] = []
        if kind.listScope == "compartmentId" {
            add(&filters, "compartmentId", try inv.value(compartment))
        } else {
            filters.append(("distributionChannelId", try inv.required(channel)))
        }
        // The packaging config list names its id filter streamPackagingConfigId.
        add(&filters, kind == .packagingConfig ? "streamPackagingConfigId" : "id", try inv.value(id(kind)))
        add(&filters, "lifecycleState", try inv.lifecycleState(ResourceFlags.state(kind), allowed: ResourceFlags.states(kind)))
        add(&filters, "displayName", try inv.value(name))
        if kind == .job { add(&filters, "mediaWorkflowId", try inv.value(jobWorkflow)) }
        if kind == .asset {
            for (query, flag) in assetFilters { add(&filters, query, try inv.value(flag)) }
            add(&filters, "type", try inv.value(assetType)?.rawValue)
            add(&filters, "sourceMediaWorkflowVersion", try inv.value(sourceWorkflowVersion))
        }
        let options = Options(list: ListOptions(filters: filters, sortBy: try inv.value(sortBy(kind)), sortOrder: try inv.value(sortOrder),
                                                limit: try inv.value(limit), page: try inv.value(page)),
                              all: try inv.value(all))
        if options.all && options.list.page != nil { throw .usage("--all and --page cannot be combined") }
        return options
    }

    /// A filter, when given (the SDK sends only those).
    static func add(_ filters: inout [(String, String)], _ name: String, _ value: String?) {
        if let value { filters.append((name, value)) }
    }

    static func add(_ filters: inout [(String, String)], _ name: String, _ value: Int?) { add(&filters, name, value.map(String.init)) }

    static func run(_ o: Options, _ ctx: CommandContext, _ kind: ResourceKind) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        if o.all {
            ctx.render(list: try client.listAll(kind, o.list), kind: kind, nextPage: nil)
        } else {
            let p = try client.list(kind, o.list)
            ctx.render(list: p.items, kind: kind, nextPage: p.nextPage)
        }
    }
}
