// `mediactl <kind> update ID`: the fields the kind's Update…Details lets a PUT change (display name and tags for all;
// a workflow's tasks, parameters and configurations; a CDN config's enabled flag and config; an asset's fields),
// with if-match, isLockOverride and --wait-for-state. An update with nothing to change is refused before sending.
import MediaKit

enum ResourceUpdate {
    enum Change: Sendable {
        case workflow(WorkflowUpdate)
        case nameAndTags(NameAndTagsUpdate)
        case cdnConfig(CdnConfigUpdate)
        case asset(MediaAssetFields)

        var body: JSONValue {
            switch self {
            case let .workflow(c): c.body
            case let .nameAndTags(c): c.body
            case let .cdnConfig(c): c.body
            case let .asset(c): c.updateBody
            }
        }
    }

    struct Options {
        var id: String
        var change: Change
        var ifMatch: String?
        var lockOverride: Bool
        var wait: StateWait
    }

    static let name = Flag.text("name", meta: "NAME", help: "new display name").notFromDefaultsFile()
    // A workflow's
    static let definition = Flag.file("file", help: "a workflow definition as `workflow build -f` takes: its tasks and/or parameters (- for stdin)")
        .short("f").notFromDefaultsFile()
    static let configurationIDs = Flag.ocid("configuration-id", types: ["mediaworkflowconfiguration"],
                                            help: "the workflow's configurations (repeatable; replaces the list)").repeatable().notFromDefaultsFile()
    // A CDN config's
    enum Enabled: String, CaseIterable, Sendable { case yes = "true", no = "false" }
    static let enabled = Flag.choice("enabled", Enabled.self, meta: "BOOL", help: "turn the CDN config on or off")
    static let cdnConfig = Flag.file("cdn-config", help: "the CDN config's `config` as JSON: {\"type\": \"EDGE\"} or {\"type\": \"AKAMAI_MANUAL\", …} (- for stdin)")
        .notFromDefaultsFile()
    // An asset's
    static let assetType = Flag.choice("type", MediaAssetType.self, meta: "TYPE", help: "the asset's type")
    static let parent = Flag.ocid("parent-asset-id", types: ResourceKind.asset.ocidTypes, help: "the asset it is a child of").notFromDefaultsFile()
    static let master = Flag.ocid("master-asset-id", types: ResourceKind.asset.ocidTypes, help: "the asset it derives from").notFromDefaultsFile()
    static let metadata = Flag.text("metadata", meta: "TEXT", help: "a metadata entry (repeatable; replaces the list)").repeatable().notFromDefaultsFile()
    static let assetTag = Flag.text("asset-tag", meta: "VALUE", help: "a USER media asset tag (repeatable; replaces the list)")
        .repeatable().notFromDefaultsFile()

    static func kindFlags(_ kind: ResourceKind) -> [any FlagDeclaration] {
        switch kind {
        case .workflow: [definition, configurationIDs]
        case .cdnConfig: [enabled, cdnConfig]
        case .asset: [assetType, parent, master, metadata, assetTag]
        // Jobs, channels, packaging configs (and kinds added later): name and tags.
        default: []
        }
    }

    static func command(_ kind: ResourceKind) -> CommandSpec {
        let id = ResourceVerbs.idArgument(kind)
        let flags: [any FlagDeclaration] = [name] + kindFlags(kind) + TagFlags.both
            + [ResourceFlags.ifMatch, ResourceFlags.lockOverride, ResourceFlags.waitForState(kind), ResourceFlags.maxWaitSeconds]
        return .verb("update", summary: "Change a \(kind.noun)'s \(kind == .workflow ? "name, tasks, parameters, configurations or tags" : "fields")",
                     description: "Sends only the fields given (a PUT of the SDK's Update…Details); at least one is needed.\nWith --if-match, the service refuses (412, exit 6) if the \(kind.noun) changed since you read its etag.",
                     examples: ["mediactl \(kind.rawValue) update ocid1.… --name new-name --freeform-tags '{\"team\": \"media\"}'",
                                "mediactl \(kind.rawValue) update ocid1.… --defined-tags @tags.json --if-match ETAG"],
                     flags: flags, positionals: [id.spec],
                     parse: { inv throws(MediaError) in try parse(inv, kind, id) },
                     run: { o, ctx throws(MediaError) in try run(o, ctx, kind) })
    }

    static func parse(_ inv: Invocation, _ kind: ResourceKind, _ idArgument: Positional<String>) throws(MediaError) -> Options {
        let id = try inv.required(idArgument)
        let displayName = try inv.value(name)
        let tags = try inv.tags()
        let change: Change
        switch kind {
        case .workflow:
            var update = WorkflowUpdate(displayName: displayName, tags: tags)
            if let doc = try inv.document(definition) { (update.tasks, update.parameters) = try WorkflowDefinitionUpdate.parts(doc, label: "--\(definition.spec.name)") }
            let configurations = try inv.values(configurationIDs)
            if !configurations.isEmpty { update.configurationIDs = configurations }
            change = .workflow(update)
        case .cdnConfig:
            var update = CdnConfigUpdate(displayName: displayName, isEnabled: try inv.value(enabled).map { $0 == .yes }, tags: tags)
            if let doc = try inv.document(cdnConfig), !inv.auditing { update.config = try CdnConfig(document: doc, label: "--\(cdnConfig.spec.name)") }
            change = .cdnConfig(update)
        case .asset:
            var fields = MediaAssetFields(displayName: displayName, type: try inv.value(assetType)?.rawValue)
            fields.parentMediaAssetID = try inv.value(parent)
            fields.masterMediaAssetID = try inv.value(master)
            let entries = try inv.values(metadata)
            if !entries.isEmpty { fields.metadata = entries }
            let values = try inv.values(assetTag)
            if !values.isEmpty { fields.mediaAssetTags = values.map { MediaAssetTag(value: $0) } }
            fields.tags = tags
            change = .asset(fields)
        default:
            change = .nameAndTags(NameAndTagsUpdate(displayName: displayName, tags: tags))
        }
        let options = Options(id: id, change: change, ifMatch: try inv.value(ResourceFlags.ifMatch),
                              lockOverride: try inv.value(ResourceFlags.lockOverride), wait: try inv.stateWait(kind))
        if !inv.auditing, change.body.objectValue?.isEmpty ?? true {
            let choices = ([name] + kindFlags(kind) + TagFlags.both).map { "--\($0.spec.name)" }
            throw .usage("nothing to change: give at least one of \(choices.joined(separator: ", "))")
        }
        return options
    }

    static func run(_ o: Options, _ ctx: CommandContext, _ kind: ResourceKind) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let override: Bool? = o.lockOverride ? true : nil
        let updated: Resource
        switch o.change {
        case let .workflow(c): updated = try client.updateWorkflow(id: o.id, c, ifMatch: o.ifMatch, isLockOverride: override)
        case let .cdnConfig(c): updated = try client.updateCdnConfig(id: o.id, c, ifMatch: o.ifMatch, isLockOverride: override)
        case let .asset(c): updated = try client.updateAsset(id: o.id, c, ifMatch: o.ifMatch, isLockOverride: override)
        case let .nameAndTags(c): updated = try client.update(kind, id: o.id, body: c.body, ifMatch: o.ifMatch, isLockOverride: override)
        }
        try ctx.finish(client, kind: kind, updated, o.wait)
    }
}
