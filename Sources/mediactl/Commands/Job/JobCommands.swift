// `mediactl job`: run a media workflow job with the lab's parameters, submit many from a file, wait for one,
// and the shared get/list/delete. Each verb is a file of this folder: its flags, options, parse and run.
import MediaKit

enum JobCommands {
    static let group = CommandSpec(
        name: "job", summary: "Media workflow jobs: run one against a workflow, wait for it",
        subcommands: [JobRun.command, JobSubmit.command, JobWait.command] + ResourceVerbs.all(.job))

    /// The workflow a job runs (run and submit).
    static let workflowID = Flag.ocid("workflow-id", types: ResourceKind.workflow.ocidTypes, help: "the workflow to run")
        .env("MEDIACTL_WORKFLOW_ID").prompt("Enter mediaflow ID")
    static let name = Flag.text("name", meta: "NAME", help: "job display name").defaulting(to: LabWorkflow.jobDisplayName)
}
