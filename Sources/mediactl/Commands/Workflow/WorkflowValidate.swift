// `mediactl workflow validate`: check a definition offline and list the job parameters it expects.
import MediaKit

enum WorkflowValidate {
    static let command = CommandSpec.verb(
        "validate", summary: "Check a workflow definition offline and list the job parameters it expects",
        flags: [WorkflowCommands.file],
        parse: { inv throws(MediaError) in try WorkflowCommands.definition(inv) },
        run: run)

    static func run(_ definition: WorkflowDefinition, _ ctx: CommandContext) throws(MediaError) {
        let report = definition.validate()
        let json = JSONValue.object([
            ("valid", .bool(report.problems.isEmpty)),
            ("problems", .array(report.problems.map { ["path": .string($0.path), "message": .string($0.message)] })),
            ("jobParameters", .array(report.jobParameters.map { .string($0) })),
        ])
        // With --output json the report is the result even for an invalid definition (printed, then the usage error).
        if !report.problems.isEmpty {
            ctx.emit(json: json, ids: []) {}
            try WorkflowCommands.check(report, io: ctx.io)
        }
        // A definition has no id: --output id prints the text lines, as text does.
        let lines = ["valid: \(definition.tasks.count) tasks"] + report.jobParameters.map { "job parameter: \($0)" }
        ctx.emit(json: json, ids: lines) { for line in lines { ctx.io.out(line) } }
    }
}
