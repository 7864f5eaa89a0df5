// `mediactl workflow-config update ID`: change a configuration's name and/or parameters (PUT, with --if-match).
import MediaKit

enum WorkflowConfigUpdate {
    struct Options {
        var id: String
        var name: String?
        /// The new parameters: the file's, or the current ones with each --parameter set over them (fetched in run).
        var parametersFile: JSONValue?
        var inline: [InlineParameter]
        var tags = Tags()
        var ifMatch: String?
        var lockOverride: Bool
    }

    static let id = ResourceVerbs.idArgument(.configuration)
    static let name = Flag.text("name", meta: "NAME", help: "new display name").notFromDefaultsFile()
    static let parameter = WorkflowConfigCommands.parameter
        .help("set one parameter (GROUP.NAME=VALUE, or GROUP.NAME:=JSON), over --parameters-file or else over the current parameters; repeatable")
    static let ifMatch = ResourceFlags.ifMatch.help("update only if the configuration's etag is still this (else exit 6, 412)")
    static let lockOverride = Switch("lock-override", help: "update even though the configuration is locked")

    static let command = CommandSpec.verb(
        "update", summary: "Change a media workflow configuration's name or parameters",
        description: "--parameters-file replaces the parameters; --parameter alone changes single values of the current ones\n(read first), leaving the rest as they are.",
        examples: ["mediactl workflow-config update $CFG --parameter video.dstBucket=archive",
                   "mediactl workflow-config update $CFG --parameters-file cfg.json --if-match \"$ETAG\""],
        flags: [name, WorkflowConfigCommands.parametersFile, parameter, ifMatch, lockOverride], positionals: [id.spec],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let target = try inv.required(id)
        let file = try WorkflowConfigCommands.parametersDocument(inv)
        let inline = try WorkflowConfigCommands.inlineParameters(inv, parameter)
        let options = Options(id: target, name: try inv.value(name), parametersFile: file, inline: inline,
                              ifMatch: try inv.value(ifMatch), lockOverride: try inv.value(lockOverride))
        if options.name == nil && options.parametersFile == nil && options.inline.isEmpty && !inv.auditing {
            throw .usage("--name, --parameters-file or --parameter: nothing to change")
        }
        return options
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        var parameters = o.parametersFile
        if !o.inline.isEmpty {
            var doc: JSONValue
            if let parameters { doc = parameters } else { doc = try client.get(.configuration, id: o.id).parameters ?? .object([]) }
            for p in o.inline { p.apply(to: &doc) }
            parameters = doc
        }
        let updated = try client.updateConfiguration(id: o.id, NameAndTagsUpdate(displayName: o.name, parameters: parameters, tags: o.tags),
                                                     ifMatch: o.ifMatch, isLockOverride: o.lockOverride ? true : nil)
        ctx.io.progress("Updated media workflow configuration \(o.id)")
        ctx.render(updated, kind: .configuration)
    }
}
