// `mediactl <kind> delete ID`: with the SDK's if-match and isLockOverride, an asset's deleteMode, and
// `--wait-for-state DELETED` (a resource the service no longer finds counts as DELETED).
import MediaKit

enum ResourceDelete {
    struct Options {
        var id: String
        var yes: Bool
        var ifMatch: String?
        var lockOverride: Bool
        var deleteMode: AssetDeleteMode?
        var wait: StateWait
    }

    static let deleteMode = Flag.choice("delete-mode", AssetDeleteMode.self, meta: "MODE",
                                        help: "also delete the asset's children (DELETE_CHILDREN) or derivations (DELETE_DERIVATIONS)")

    static func command(_ kind: ResourceKind) -> CommandSpec {
        let id = ResourceVerbs.idArgument(kind)
        var flags: [any FlagDeclaration] = [CommonFlags.yes, ResourceFlags.ifMatch, ResourceFlags.lockOverride]
        if kind == .asset { flags.append(deleteMode) }
        flags += [ResourceFlags.waitForState(kind), ResourceFlags.maxWaitSeconds]
        return .verb("delete", summary: "Delete a \(kind.noun)",
                     examples: ["mediactl \(kind.rawValue) delete ocid1.… --yes --if-match ETAG --wait-for-state DELETED"],
                     flags: flags, positionals: [id.spec],
                     parse: { inv throws(MediaError) in
                         Options(id: try inv.required(id), yes: try inv.value(CommonFlags.yes), ifMatch: try inv.value(ResourceFlags.ifMatch),
                                 lockOverride: try inv.value(ResourceFlags.lockOverride),
                                 deleteMode: kind == .asset ? try inv.value(deleteMode) : nil, wait: try inv.stateWait(kind))
                     },
                     run: { o, ctx throws(MediaError) in try run(o, ctx, kind) })
    }

    static func run(_ o: Options, _ ctx: CommandContext, _ kind: ResourceKind) throws(MediaError) {
        try ctx.io.confirm("delete \(kind.noun) \(o.id)", yes: o.yes)
        let (client, _) = try ctx.mediaServices()
        let override: Bool? = o.lockOverride ? true : nil
        if kind == .asset {
            try client.deleteAsset(id: o.id, deleteMode: o.deleteMode, ifMatch: o.ifMatch, isLockOverride: override)
        } else {
            try client.delete(kind, id: o.id, ifMatch: o.ifMatch, isLockOverride: override)
        }
        var state: JSONValue = "DELETED"
        if !o.wait.states.isEmpty, let last = try ctx.waitForState(client, kind: kind, id: o.id, o.wait) {
            state = last.lifecycleState.map { .string($0) } ?? .null
        }
        ctx.emit(json: .object([("id", .string(o.id)), ("deleted", true)] + (o.wait.states.isEmpty ? [] : [("lifecycleState", state)])),
                 ids: [o.id]) {
            ctx.io.progress("Deleted \(kind.noun) \(o.id)")
        }
    }
}
