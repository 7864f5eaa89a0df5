// get, list and delete: the same three verbs for every Media Services resource kind.
import MediaKit

enum ResourceVerbs {
    static func all(_ kind: ResourceKind) -> [CommandSpec] { [get(kind), list(kind), delete(kind)] }

    static func idArgument(_ kind: ResourceKind) -> PositionalSpec {
        PositionalSpec(name: "id", help: "the \(kind.noun)'s OCID", kind: .ocid(kind.ocidTypes), prompt: "\(kind.noun.capitalized) OCID")
    }

    static func get(_ kind: ResourceKind) -> CommandSpec {
        CommandSpec(name: "get", summary: "Show one \(kind.noun)", examples: ["mediactl \(kind.rawValue) get ocid1.… --output json"],
                    positionals: [idArgument(kind)], action: { inv throws(MediaError) in
                        let id = try inv.positional(0)
                        let (client, _) = try inv.mediaServices()
                        inv.render(try inv.call { () throws(MediaError) in try client.get(kind, id: id) }, kind: kind)
                    })
    }

    static func list(_ kind: ResourceKind) -> CommandSpec {
        let scope = kind.listScope == "compartmentId" ? CommonFlags.compartment : CommonFlags.channel
        var flags = [scope,
                     FlagSpec(name: "state", meta: "STATE", help: "only resources in this lifecycle state (e.g. ACTIVE, SUCCEEDED)"),
                     FlagSpec(name: "name", meta: "NAME", help: "only resources with this display name", fromDefaultsFile: false),
                     FlagSpec(name: "limit", kind: .integer(1...1000), meta: "N", help: "items per page"),
                     FlagSpec(name: "page", meta: "TOKEN", help: "page token from a previous list (opc-next-page)", fromDefaultsFile: false),
                     FlagSpec(name: "all", kind: .bool, help: "follow opc-next-page through every page", fromDefaultsFile: false)]
        if kind == .job {
            flags.append(FlagSpec(name: "workflow-id", kind: .ocid(ResourceKind.workflow.ocidTypes), meta: "OCID",
                                  help: "only jobs of this workflow", fromDefaultsFile: false))
        }
        return CommandSpec(name: "list", summary: "List \(kind.noun)s", examples: ["mediactl \(kind.rawValue) list --all --output json"],
                           flags: flags, action: { inv throws(MediaError) in
            let scopeValue = try inv.required(scope.name)
            var filters = [(kind.listScope, scopeValue)]
            if let s = try inv.string("state") { filters.append(("lifecycleState", s)) }
            if let n = try inv.string("name") { filters.append(("displayName", n)) }
            if kind == .job, let w = try inv.string("workflow-id") { filters.append(("mediaWorkflowId", w)) }
            let limit = try inv.int("limit")
            let all = try inv.bool("all")
            let page = try inv.string("page")
            if all && page != nil { throw .usage("--all and --page cannot be combined") }
            let (client, _) = try inv.mediaServices()
            if all {
                let items = try inv.call { () throws(MediaError) in try client.listAll(kind, filters: filters, limit: limit) }
                inv.render(list: items, kind: kind, nextPage: nil)
            } else {
                let p = try inv.call { () throws(MediaError) in try client.list(kind, filters: filters, limit: limit, page: page) }
                inv.render(list: p.items, kind: kind, nextPage: p.nextPage)
            }
        })
    }

    static func delete(_ kind: ResourceKind) -> CommandSpec {
        CommandSpec(name: "delete", summary: "Delete a \(kind.noun)", flags: [CommonFlags.yes],
                    positionals: [idArgument(kind)], action: { inv throws(MediaError) in
                        let id = try inv.positional(0)
                        try inv.confirm("delete \(kind.noun) \(id)")
                        let (client, _) = try inv.mediaServices()
                        try inv.call { () throws(MediaError) in try client.delete(kind, id: id) }
                        if inv.outputFormat == "json" { inv.io.out(JSONValue.object([("id", .string(id)), ("deleted", true)]).prettyText) }
                        else if inv.outputFormat == "id" { inv.io.out(id) }
                        else { inv.io.progress("deleted \(kind.noun) \(id)") }
                    })
    }
}
