// --help text for every level, generated from the command table.

enum Help {
    static func render(path: [CommandSpec], globals: [FlagSpec]) -> String {
        let command = path[path.count - 1]
        let name = (["mediactl"] + path.dropFirst().map(\.name)).joined(separator: " ")
        var out = "\(command.summary)\n\n"
        if !command.description.isEmpty { out += command.description + "\n\n" }
        out += "Usage:\n  \(usage(name: name, command: command))\n"
        let subs = command.subcommands.filter { !$0.hidden }
        if !subs.isEmpty {
            out += "\nCommands:\n"
            let width = (subs.map(\.name.count).max() ?? 0) + 2
            for sub in subs { out += "  \(sub.name.padded(to: width))\(sub.summary)\n" }
        }
        if !command.positionals.isEmpty {
            out += "\nArguments:\n"
            for p in command.positionals { out += "  \(p.name.uppercased().padded(to: 26))\(p.help)\n" }
        }
        let own = command.flags.filter { !$0.hidden }
        if !own.isEmpty { out += "\nFlags:\n" + flagLines(own) }
        out += "\nGlobal flags:\n" + flagLines(globals.filter { !$0.hidden }) + "  -h, --help                  show this help\n"
        if path.count == 1 { out += "      --version               print the version\n" }
        if !command.examples.isEmpty {
            out += "\nExamples:\n" + command.examples.map { "  \($0)" }.joined(separator: "\n") + "\n"
        }
        if !subs.isEmpty { out += "\nRun `\(name) COMMAND --help` for a command's flags.\n" }
        return out
    }

    static func usage(name: String, command: CommandSpec) -> String {
        if !command.subcommands.isEmpty { return "\(name) COMMAND [flags]" }
        var parts = [name]
        for p in command.positionals { parts.append(p.required ? p.name.uppercased() : "[\(p.name.uppercased())]") }
        for f in command.flags where f.required { parts.append("--\(f.name) \(f.meta)") }
        parts.append("[flags]")
        return parts.joined(separator: " ")
    }

    static func flagLines(_ flags: [FlagSpec]) -> String {
        flags.map { f in
            var left = f.short.map { "-\($0), " } ?? "    "
            left += "--\(f.name)"
            if f.takesValue { left += " \(f.meta)" }
            var right = f.help
            var notes: [String] = []
            if case let .choice(values) = f.kind { notes.append(values.joined(separator: "|")) }
            if let d = f.defaultValue { notes.append("default \(d)") }
            if !f.envNames.isEmpty { notes.append("env \(f.envNames.joined(separator: ", "))") }
            if f.required { notes.append("required") }
            if f.repeatable { notes.append("repeatable") }
            if !notes.isEmpty { right += " (\(notes.joined(separator: "; ")))" }
            let pad = left.count < 28 ? left.padded(to: 28) : left + "\n" + String(repeating: " ", count: 30)
            return "  \(pad)\(right)\n"
        }.joined()
    }
}
