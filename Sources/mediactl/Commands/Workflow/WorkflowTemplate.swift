// `mediactl workflow template`: print the lab's workflow definition, to edit and build with -f.
import MediaKit

enum WorkflowTemplate {
    static let command = CommandSpec.verb(
        "template", summary: "Print the lab's workflow definition as editable JSON",
        examples: ["mediactl workflow template > wf.json && $EDITOR wf.json && mediactl workflow build -f wf.json"],
        parse: { _ throws(MediaError) in () },
        run: { _, ctx throws(MediaError) in ctx.io.out(LabWorkflow.definition.json.prettyText) })
}
