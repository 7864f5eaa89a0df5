// `mediactl workflow`: build (the lab's six-task workflow or one from a file), template, validate.
import MediaKit

enum WorkflowCommands {
    static let fileFlag = FlagSpec(name: "file", short: "f", kind: .file, meta: "PATH",
                                   help: "workflow definition JSON ({\"tasks\": [...], \"parameters\": {...}}), - for stdin; default: the lab's workflow",
                                   fromDefaultsFile: false)

    static let group = CommandSpec(
        name: "workflow", summary: "Media workflows: build the lab's workflow, print or validate a definition",
        subcommands: [build, template, validate, WorkflowListSystem.command] + ResourceVerbs.all(.workflow))

    static let build = CommandSpec(
        name: "build", summary: "Create a media workflow (the lab's six tasks by default)",
        description: "Validates the definition offline (task keys, prerequisites, cycles, task types, ${/path} references),\nthen creates the workflow. --dry-run prints the request body instead of sending it.",
        examples: ["mediactl workflow build --compartment-id ocid1.compartment.oc1..aaaa",
                   "WF=$(mediactl workflow build -f my-workflow.json --output id)",
                   "mediactl workflow build --dry-run"],
        flags: [CommonFlags.compartment.spec,
                FlagSpec(name: "name", meta: "NAME", help: "display name", defaultValue: LabWorkflow.displayName),
                fileFlag,
                FlagSpec(name: "dry-run", kind: .bool, help: "validate and print the request body; send nothing", fromDefaultsFile: false),
                CommonFlags.retryToken.spec],
        action: { inv throws(MediaError) in
            let definition = try loadDefinition(inv)
            try check(definition, inv: inv)
            let dryRun = try inv.bool("dry-run")
            let compartment = dryRun ? (try inv.string("compartment-id") ?? "<compartment-id>") : try inv.required("compartment-id")
            let name = try inv.string("name") ?? definition.json["displayName"]?.stringValue ?? LabWorkflow.displayName
            if dryRun {
                inv.io.out(definition.createBody(compartmentID: compartment, displayName: name).prettyText)
                return
            }
            let token = try inv.retryToken()
            let (client, _) = try inv.mediaServices()
            let workflow = try inv.creating(retryToken: token) { () throws(MediaError) in
                try client.withRetryToken(token).createWorkflow(compartmentID: compartment, displayName: name, definition: definition)
            }
            inv.io.progress("Created media workflow \(workflow.id)")
            inv.render(workflow, kind: .workflow)
        })

    static let template = CommandSpec(
        name: "template", summary: "Print the lab's workflow definition as editable JSON",
        examples: ["mediactl workflow template > wf.json && $EDITOR wf.json && mediactl workflow build -f wf.json"],
        action: { inv throws(MediaError) in inv.io.out(LabWorkflow.definition.json.prettyText) })

    static let validate = CommandSpec(
        name: "validate", summary: "Check a workflow definition offline and list the job parameters it expects",
        flags: [fileFlag],
        action: { inv throws(MediaError) in
            let definition = try loadDefinition(inv)
            let report = definition.validate()
            if inv.outputFormat == "json" {
                inv.io.out(JSONValue.object([
                    ("valid", .bool(report.problems.isEmpty)),
                    ("problems", .array(report.problems.map { ["path": .string($0.path), "message": .string($0.message)] })),
                    ("jobParameters", .array(report.jobParameters.map { .string($0) })),
                ]).prettyText)
            }
            try check(definition, inv: inv, report: report)
            if inv.outputFormat != "json" {
                inv.io.out("valid: \(definition.tasks.count) tasks")
                for p in report.jobParameters { inv.io.out("job parameter: \(p)") }
            }
        })

    static func loadDefinition(_ inv: Invocation) throws(MediaError) -> WorkflowDefinition {
        guard let json = try inv.jsonDocument(flag: "file") else { return LabWorkflow.definition }
        do { return try WorkflowDefinition(json: json) } catch { throw error }
    }

    /// Every problem on stderr (one line each), then a usage error: nothing is sent.
    static func check(_ definition: WorkflowDefinition, inv: Invocation, report: WorkflowDefinition.Report? = nil) throws(MediaError) {
        let report = report ?? definition.validate()
        guard !report.problems.isEmpty else { return }
        for p in report.problems.dropLast() { inv.io.error("workflow \(p)") }
        throw .usage("workflow \(report.problems[report.problems.count - 1])" + (report.problems.count > 1 ? " (\(report.problems.count) problems)" : ""))
    }
}
