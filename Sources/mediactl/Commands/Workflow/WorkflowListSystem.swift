// `mediactl workflow list-system`: the service's own workflows, which a job runs by name (`job run --workflow-name`).
import MediaKit

enum WorkflowListSystem {
    struct Options {
        var compartmentID: String?
        var name: String?
        var sortOrder: SortOrder?
        var paging: ListPaging.Options
    }

    static let compartment = Flag.ocid("compartment-id", types: ["compartment", "tenancy"], help: "compartment to list them for (optional)")
        .env("MEDIACTL_COMPARTMENT_ID")
    static let name = Flag.text("name", meta: "NAME", help: "only the system workflow of this name").notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "list-system", summary: "List the system media workflows (run one with `job run --workflow-name`)",
        examples: ["mediactl workflow list-system", "mediactl workflow list-system --name emulator-transcode-hls --output json"],
        flags: [compartment, name, ListPaging.sortOrder] + ListPaging.flags,
        parse: { inv throws(MediaError) in
            Options(compartmentID: try inv.value(compartment), name: try inv.value(name), sortOrder: try inv.value(ListPaging.sortOrder),
                    paging: try ListPaging.options(inv))
        },
        run: run)

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let (items, next) = try ListPaging.items(o.paging, page: { (token) throws(MediaError) in
            try client.listSystemWorkflows(compartmentID: o.compartmentID, name: o.name, sortOrder: o.sortOrder, limit: o.paging.limit, page: token)
        }, all: { () throws(MediaError) in
            try client.listAllSystemWorkflows(compartmentID: o.compartmentID, name: o.name, sortOrder: o.sortOrder, limit: o.paging.limit)
        })
        ctx.renderList(items, nextPage: next, noun: "system workflow", ids: { $0.name ?? "" },
                       columns: ["NAME", "TASKS", "DESCRIPTION"], row: { [$0.name ?? "-", Self.tasks($0), $0.summaryDescription ?? "-"] },
                       text: { w in
                           [w.name ?? "?"]
                               + (w.summaryDescription.map { ["  \($0)"] } ?? [])
                               + ["  tasks: \(Self.tasks(w))"]
                       })
    }

    /// "getFiles → transcode → putFiles": each task's type (its key when different), in the definition's order.
    static func tasks(_ workflow: Resource) -> String {
        let tasks = workflow.definitionTasks
        if tasks.isEmpty { return "-" }
        return tasks.map { t in
            let type = t.type ?? "?"
            let key = t.key
            return key == nil || key == type ? type : "\(key!) (\(type))"
        }.joined(separator: ", ")
    }
}
