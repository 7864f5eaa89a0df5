// get, list and delete: the same three verbs for every Media Services resource kind.
import MediaKit

enum ResourceVerbs {
    static func all(_ kind: ResourceKind) -> [CommandSpec] { [get(kind), list(kind), delete(kind)] }

    static func idArgument(_ kind: ResourceKind) -> Positional<String> {
        .ocid("id", types: kind.ocidTypes, help: "the \(kind.noun)'s OCID", prompt: "\(kind.noun.capitalized) OCID")
    }

    static func get(_ kind: ResourceKind) -> CommandSpec {
        let id = idArgument(kind)
        return .verb("get", summary: "Show one \(kind.noun)", examples: ["mediactl \(kind.rawValue) get ocid1.… --output json"],
                     positionals: [id.spec],
                     parse: { inv throws(MediaError) in try inv.required(id) },
                     run: { id, ctx throws(MediaError) in
                         let (client, _) = try ctx.mediaServices()
                         ctx.render(try client.get(kind, id: id), kind: kind)
                     })
    }

    struct ListOptions {
        var filters: [(String, String)]
        var limit: Int?
        var page: String?
        var all: Bool
    }

    static let state = Flag.text("state", meta: "STATE", help: "only resources in this lifecycle state (e.g. ACTIVE, SUCCEEDED)")
    static let name = Flag.text("name", meta: "NAME", help: "only resources with this display name").notFromDefaultsFile()
    static let limit = Flag.integer("limit", 1...1000, help: "items per page")
    static let page = Flag.text("page", meta: "TOKEN", help: "page token from a previous list (opc-next-page)").notFromDefaultsFile()
    static let all = Switch("all", help: "follow opc-next-page through every page")
    static let jobWorkflow = Flag.ocid("workflow-id", types: ResourceKind.workflow.ocidTypes, help: "only jobs of this workflow").notFromDefaultsFile()

    static func list(_ kind: ResourceKind) -> CommandSpec {
        let scope = kind.listScope == "compartmentId" ? CommonFlags.compartment : CommonFlags.channel
        var flags: [any FlagDeclaration] = [scope, state, name, limit, page, all]
        if kind == .job { flags.append(jobWorkflow) }
        return .verb("list", summary: "List \(kind.noun)s", examples: ["mediactl \(kind.rawValue) list --all --output json"], flags: flags,
                     parse: { inv throws(MediaError) in
                         var filters = [(kind.listScope, try inv.required(scope))]
                         if let s = try inv.value(state) { filters.append(("lifecycleState", s)) }
                         if let n = try inv.value(name) { filters.append(("displayName", n)) }
                         if kind == .job, let w = try inv.value(jobWorkflow) { filters.append(("mediaWorkflowId", w)) }
                         let options = ListOptions(filters: filters, limit: try inv.value(limit), page: try inv.value(page), all: try inv.value(all))
                         if options.all && options.page != nil { throw .usage("--all and --page cannot be combined") }
                         return options
                     },
                     run: { o, ctx throws(MediaError) in
                         let (client, _) = try ctx.mediaServices()
                         if o.all {
                             ctx.render(list: try client.listAll(kind, filters: o.filters, limit: o.limit), kind: kind, nextPage: nil)
                         } else {
                             let p = try client.list(kind, filters: o.filters, limit: o.limit, page: o.page)
                             ctx.render(list: p.items, kind: kind, nextPage: p.nextPage)
                         }
                     })
    }

    static func delete(_ kind: ResourceKind) -> CommandSpec {
        let id = idArgument(kind)
        return .verb("delete", summary: "Delete a \(kind.noun)", flags: [CommonFlags.yes], positionals: [id.spec],
                     parse: { inv throws(MediaError) in (id: try inv.required(id), yes: try inv.value(CommonFlags.yes)) },
                     run: { o, ctx throws(MediaError) in
                         try ctx.io.confirm("delete \(kind.noun) \(o.id)", yes: o.yes)
                         let (client, _) = try ctx.mediaServices()
                         try client.delete(kind, id: o.id)
                         ctx.emit(json: .object([("id", .string(o.id)), ("deleted", true)]), ids: [o.id]) {
                             ctx.io.progress("Deleted \(kind.noun) \(o.id)")
                         }
                     })
    }
}
