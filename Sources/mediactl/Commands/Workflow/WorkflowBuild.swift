// `mediactl workflow build`: check a definition offline, then create the workflow (or, with --dry-run, print its body).
import MediaKit

enum WorkflowBuild {
    struct Options {
        var definition: WorkflowDefinition
        var compartmentID: String
        var name: String
        var dryRun: Bool
        /// Workflow configurations its jobs layer under their parameters (after any the definition names).
        var configurationIDs: [String] = []
        var tags = Tags()
        var retryToken: String
    }

    static let name = Flag.text("name", meta: "NAME", help: "display name").defaulting(to: LabWorkflow.displayName)
    static let dryRun = Switch("dry-run", help: "validate and print the request body; send nothing")
    static let configurationID = Flag.ocid("configuration-id", types: ResourceKind.configuration.ocidTypes,
                                           help: "a workflow configuration its jobs use (added to the definition's); repeatable")
        .repeatable().notFromDefaultsFile()

    static let command = CommandSpec.verb(
        "build", summary: "Create a media workflow (the lab's six tasks by default)",
        description: "Validates the definition offline (task keys, prerequisites, cycles, task types, ${/path} references),\nthen creates the workflow. --dry-run prints the request body instead of sending it.",
        examples: ["mediactl workflow build --compartment-id ocid1.compartment.oc1..aaaa",
                   "WF=$(mediactl workflow build -f my-workflow.json --output id)",
                   "mediactl workflow build --dry-run",
                   "mediactl workflow build -f wf.json --configuration-id $CFG"],
        flags: [CommonFlags.compartment, name, WorkflowCommands.file, configurationID, dryRun, CommonFlags.retryToken] + TagFlags.both,
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        // The definition is checked first: its problems are reported before any missing value is asked for.
        let definition = try WorkflowCommands.definition(inv)
        try WorkflowCommands.check(definition.validate(), io: inv.io)
        let dryRun = try inv.value(dryRun)
        // A dry run sends nothing, so it needs no compartment (the body shows a placeholder).
        let compartment = try dryRun ? inv.value(CommonFlags.compartment) ?? "<compartment-id>" : inv.required(CommonFlags.compartment)
        return Options(definition: definition, compartmentID: compartment, name: try inv.value(name), dryRun: dryRun,
                       configurationIDs: try inv.values(configurationID), tags: try inv.tags(), retryToken: try inv.retryToken())
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        if o.dryRun {
            var body = o.definition.createBody(compartmentID: o.compartmentID, displayName: o.name, configurationIDs: o.configurationIDs)
            o.tags.apply(to: &body)
            ctx.io.out(body.prettyText)
            return
        }
        let (client, _) = try ctx.mediaServices()
        let workflow = try ctx.creating(retryToken: o.retryToken) { () throws(MediaError) in
            try client.withRetryToken(o.retryToken).createWorkflow(compartmentID: o.compartmentID, displayName: o.name, definition: o.definition,
                                                                  configurationIDs: o.configurationIDs, tags: o.tags)
        }
        ctx.io.progress("Created media workflow \(workflow.id)")
        ctx.render(workflow, kind: .workflow)
    }
}
