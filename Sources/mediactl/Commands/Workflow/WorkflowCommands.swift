// `mediactl workflow`: build (the lab's six-task workflow or one from a file), template, validate, and the
// shared get/list/delete. Each verb is a file of this folder; the definition flag and its checks are shared here.
import MediaKit

enum WorkflowCommands {
    static let group = CommandSpec(
        name: "workflow", summary: "Media workflows: build the lab's workflow, print or validate a definition",
        subcommands: [WorkflowBuild.command, WorkflowTemplate.command, WorkflowValidate.command] + ResourceVerbs.all(.workflow))

    static let file = Flag.file("file", help: "workflow definition JSON ({\"tasks\": [...], \"parameters\": {...}}), - for stdin; default: the lab's workflow")
        .short("f").notFromDefaultsFile()

    /// The definition --file names (JSON errors name the flag and position), or the lab's when it is not given.
    static func definition(_ inv: Invocation) throws(MediaError) -> WorkflowDefinition {
        guard let json = try inv.document(file), !inv.auditing else { return LabWorkflow.definition }
        return try WorkflowDefinition(json: json)
    }

    /// Every problem on stderr (one line each), then a usage error: nothing is sent.
    static func check(_ report: WorkflowDefinition.Report, io: IOStreams) throws(MediaError) {
        guard let last = report.problems.last else { return }
        for p in report.problems.dropLast() { io.error("workflow \(p)") }
        throw .usage("workflow \(last)" + (report.problems.count > 1 ? " (\(report.problems.count) problems)" : ""))
    }
}
