// `mediactl task-declaration list`: each task type's versions and the JSON schema of its parameters, as the service
// declares them (what `workflow validate` checks a definition's task parameters against).
import MediaKit

enum TaskDeclarationCommands {
    static let group = CommandSpec(name: "task-declaration", summary: "Workflow task types: their versions and parameter schemas",
                                   subcommands: [TaskDeclarationList.command])
}

enum TaskDeclarationList {
    struct Options {
        var compartmentID: String?
        var name: String?
        var version: Int?
        var isCurrent: Bool?
        var sortBy: SortField?
        var sortOrder: SortOrder?
        var paging: ListPaging.Options
    }

    /// ListMediaWorkflowTaskDeclarations' sortBy values.
    enum SortField: String, CaseIterable, Sendable { case name, version }
    enum Truth: String, CaseIterable, Sendable { case `true`, `false` }

    static let compartment = Flag.ocid("compartment-id", types: ["compartment", "tenancy"], help: "compartment to list them for (optional)")
        .env("MEDIACTL_COMPARTMENT_ID")
    static let name = Flag.text("name", meta: "TASK_TYPE", help: "only this task type (e.g. transcode)").notFromDefaultsFile()
    static let version = Flag.integer("version", 1...1_000_000, meta: "N", help: "only this version").notFromDefaultsFile()
    static let isCurrent = Flag.choice("is-current", Truth.self, meta: "BOOL", help: "only current (true) or only older (false) versions")
        .notFromDefaultsFile()
    static let sortBy = Flag.choice("sort-by", SortField.self, meta: "FIELD", help: "sort by name or version").notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "list", summary: "List task declarations: each task type's version and parameter schema",
        description: "Text output shows each declaration's name and version, then its parameters: name, type, * when required,\nand the allowed values of an enum; --output json gives the full schemas.",
        examples: ["mediactl task-declaration list --is-current true", "mediactl task-declaration list --name transcode --output json"],
        flags: [compartment, name, version, isCurrent, sortBy, ListPaging.sortOrder] + ListPaging.flags,
        parse: { inv throws(MediaError) in
            Options(compartmentID: try inv.value(compartment), name: try inv.value(name), version: try inv.value(version),
                    isCurrent: try inv.value(isCurrent).map { $0 == .true }, sortBy: try inv.value(sortBy),
                    sortOrder: try inv.value(ListPaging.sortOrder), paging: try ListPaging.options(inv))
        },
        run: run)

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let list = ListOptions(sortBy: o.sortBy?.rawValue, sortOrder: o.sortOrder, limit: o.paging.limit)
        let (items, next) = try ListPaging.items(o.paging, page: { (token) throws(MediaError) in
            var options = list
            options.page = token
            return try client.listTaskDeclarations(compartmentID: o.compartmentID, name: o.name, version: o.version, isCurrent: o.isCurrent, options)
        }, all: { () throws(MediaError) in
            try client.listAllTaskDeclarations(compartmentID: o.compartmentID, name: o.name, version: o.version, isCurrent: o.isCurrent, list)
        })
        ctx.renderList(items, nextPage: next, noun: "task declaration",
                       ids: { "\($0.name ?? "?")@\($0.version.map(String.init) ?? "?")" },
                       // The model has no isCurrent: --is-current filters, the items do not say.
                       columns: ["NAME", "VERSION", "PARAMETERS"],
                       row: { d in
                           [d.name ?? "-", d.version.map(String.init) ?? "-",
                            SchemaSummary.topLevel(d.parametersSchema)]
                       },
                       text: { d in
                           ["\(d.name ?? "?") version \(d.version.map(String.init) ?? "?")"]
                               + SchemaSummary.lines(d.parametersSchema, depth: 1)
                       })
    }
}

/// A JSON schema's properties as short lines: `name*: type` (* = required), enums as `a|b`, arrays as `[type]`,
/// nested objects indented under their property.
enum SchemaSummary {
    static func lines(_ schema: ParameterSchema?, depth: Int, maxDepth: Int = 4) -> [String] {
        guard let schema, depth <= maxDepth else { return [] }
        let required = schema.required
        var out: [String] = []
        let indent = String(repeating: "  ", count: depth)
        for (name, property) in schema.properties {
            out.append("\(indent)\(name)\(required.contains(name) ? "*" : ""): \(type(property))")
            let nested = property.type == "array" ? property.items : property
            out += lines(nested, depth: depth + 1, maxDepth: maxDepth)
        }
        return out
    }

    /// The top-level parameter names, required ones marked: "taskParameters*".
    static func topLevel(_ schema: ParameterSchema?) -> String {
        let required = schema?.required ?? []
        let names = (schema?.properties ?? []).map { $0.name + (required.contains($0.name) ? "*" : "") }
        return names.isEmpty ? "-" : names.joined(separator: ", ")
    }

    static func type(_ schema: ParameterSchema?) -> String {
        if let values = schema?.enumValues { return values.joined(separator: "|") }
        switch schema?.type {
        case "array"?: return "[\(type(schema?.items))]"
        case let t?: return t
        default: return schema?.ref ?? "any"
        }
    }
}
