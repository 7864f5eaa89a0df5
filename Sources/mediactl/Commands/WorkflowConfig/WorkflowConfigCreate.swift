// `mediactl workflow-config create`: a media workflow configuration from a parameters file and/or inline parameters.
import MediaKit

enum WorkflowConfigCreate {
    struct Options: TaggedCreate {
        var compartmentID: String
        var name: String
        var parameters: JSONValue
        /// Freeform and defined tags: empty until the shared tag flags (issue 17, i17a) are adopted here.
        var tags = Tags()
        var wait = StateWait(states: [], timeout: 0)
        var retryToken: String
    }

    static let name = Flag.text("name", meta: "NAME", help: "display name").required().notFromDefaultsFile()
        .prompt("Configuration display name")

    static let command = CommandSpec.verb(
        "create", summary: "Create a media workflow configuration",
        description: "Its parameters come from --parameters-file, from --parameter flags (each GROUP.NAME=VALUE sets one, over the file's),\nor both. Jobs and workflows name configurations by id; their parameters are layered under the job's own.",
        examples: ["mediactl workflow-config create --name hls-720p --parameters-file cfg.json --output id",
                   "mediactl workflow-config create --name outputs --parameter video.dstBucket=media-out --parameter 'transcode.height:=720'"],
        flags: [CommonFlags.compartment, name, WorkflowConfigCommands.parametersFile, WorkflowConfigCommands.parameter, CommonFlags.retryToken] + TaggedCreateFlags.flags(.configuration),
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options { try inv.taggedCreate(.configuration, parseFields) }

    static func parseFields(_ inv: Invocation) throws(MediaError) -> Options {
        let compartment = try inv.required(CommonFlags.compartment)
        let displayName = try inv.required(name)
        let file = try WorkflowConfigCommands.parametersDocument(inv)
        let inline = try WorkflowConfigCommands.inlineParameters(inv)
        if file == nil && inline.isEmpty && !inv.auditing {
            throw .usage("--parameters-file or --parameter: a configuration needs its parameters")
        }
        var parameters = file ?? .object([])
        for p in inline { p.apply(to: &parameters) }
        return Options(compartmentID: compartment, name: displayName, parameters: parameters, retryToken: try inv.retryToken())
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        let created = try ctx.creating(retryToken: o.retryToken) { () throws(MediaError) in
            try client.withRetryToken(o.retryToken).createConfiguration(compartmentID: o.compartmentID, displayName: o.name,
                                                                        parameters: o.parameters, tags: o.tags)
        }
        ctx.io.progress("Created media workflow configuration \(created.id)")
        try ctx.finish(client, kind: .configuration, created, o.wait)
    }
}
