// --help text for every level and `mediactl help TOPIC...`, generated from the command table: a command's own flags
// in full, then only the names of the global flags that apply to the API it calls (`mediactl help flags` explains
// them all), wrapped to the terminal's width with a hanging indent.
import MediaKit

enum Help {
    /// The API a command calls, which decides the global flags its help lists (`CommandTable.api(of:)`).
    enum API: Sendable { case oci, video, local }

    static func render(path: [CommandSpec], globals: [FlagSpec] = GlobalFlags.all, width: Int = 80) -> String {
        let command = path[path.count - 1]
        let name = (["mediactl"] + path.dropFirst().map(\.name)).joined(separator: " ")
        var out = wrap(command.summary, width: width) + "\n"
        if let lead = leadParagraph(command.description) { out += wrap(lead, width: width) + "\n" }
        out += "Usage:\n  \(usage(name: name, command: command))\n"
        let subs = command.subcommands.filter { !$0.hidden }
        if !subs.isEmpty {
            out += "\nCommands:\n"
            let column = (subs.map(\.name.count).max() ?? 0) + 4
            for sub in subs { out += hanging("  \(sub.name)", sub.summary, column: column, width: width) }
        }
        if !command.positionals.isEmpty {
            out += "\nArguments:\n"
            for p in command.positionals { out += hanging("  \(p.name.uppercased())", p.help, column: flagColumn(width), width: width) }
        }
        let own = command.flags.filter { !$0.hidden }
        if !own.isEmpty { out += "\nFlags:\n" + flagLines(own, width: width) }
        let api = CommandTable.api(of: path)
        let applying = GlobalFlags.applying(to: api).compactMap { spec in globals.first { $0.name == spec.name && !$0.hidden } }
        // The top level lists them all; a command the everyday ones, and says where the rest are.
        let shown = path.count == 1 ? applying : applying.filter { everyday.contains($0.name) }
        let names = shown.map { f in (f.short.map { "-\($0)/" } ?? "") + "--\(f.name)" } + ["-h/--help"] + (path.count == 1 ? ["--version"] : [])
        if path.count == 1 {
            out += "\n" + wrap("Global flags (`mediactl help flags` says what each does):", width: width)
            out += wrap(names.joined(separator: ", "), width: width, indent: 2)
        } else {
            let more = shown.count < applying.count ? " and \(applying.count - shown.count) more" : ""
            out += "\n" + wrap("Global flags for \(api.label) commands (all: `mediactl help flags`):", width: width)
            out += wrap(names.joined(separator: ", ") + more, width: width, indent: 2)
        }
        if !command.examples.isEmpty {
            out += "\nExamples:\n" + command.examples.map { example($0, width: width) }.joined()
        }
        if !subs.isEmpty { out += "\nRun `\(name) COMMAND --help` (or `mediactl help \(path.dropFirst().map { "\($0.name) " }.joined())COMMAND`) for a command's flags.\n" }
        // The caller's line end closes the last line: no blank line after the help.
        return String(out.dropLast())
    }

    /// The global flags a command's help names (the rest: `mediactl help flags`).
    static let everyday: Set<String> = ["output", "query", "quiet", "debug", "no-input", "profile", "auth", "region", "endpoint", "proxy"]

    /// A description's first paragraph, which `--help` shows; the docs pages show every paragraph ("\n\n" apart).
    static func leadParagraph(_ description: String) -> String? {
        guard let lead = description.components(separatedBy: "\n\n").first, !lead.isEmpty else { return nil }
        return lead
    }

    /// An example command, indented by 2, broken with ` \` before a flag (kept with its value) where it would pass
    /// `width`; continued lines are indented by 4.
    static func example(_ command: String, width: Int) -> String {
        var units: [String] = []
        for word in command.split(separator: " ").map(String.init) {
            if word.hasPrefix("-") || units.isEmpty || units[units.count - 1].contains(" ") { units.append(word) }
            else if units[units.count - 1].hasPrefix("-") { units[units.count - 1] += " " + word }
            else { units.append(word) }
        }
        var lines: [String] = []
        var line = ""
        for unit in units {
            let indent = lines.isEmpty ? 2 : 4
            if !line.isEmpty && unit.hasPrefix("-") && indent + line.count + 1 + unit.count + 2 > width {
                lines.append(String(repeating: " ", count: indent) + line + " \\")
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + unit
        }
        lines.append(String(repeating: " ", count: lines.isEmpty ? 2 : 4) + line)
        return lines.joined(separator: "\n") + "\n"
    }

    static func usage(name: String, command: CommandSpec) -> String {
        if !command.subcommands.isEmpty { return "\(name) COMMAND [flags]" }
        var parts = [name]
        for p in command.positionals {
            let word = p.name.uppercased() + (p.variadic ? "..." : "")
            parts.append(p.required ? word : "[\(word)]")
        }
        for f in command.flags where f.required { parts.append("--\(f.name) \(f.meta)") }
        parts.append("[flags]")
        return parts.joined(separator: " ")
    }

    /// `mediactl help flags`: every global flag in full, grouped by the commands it applies to.
    static func globalFlags(width: Int = 80) -> String {
        var out = wrap("Global flags are accepted by every command. A value comes from the flag, else its environment variable, "
                       + "else the defaults file, else the default shown.", width: width)
        for scope in GlobalFlags.Scope.allCases {
            out += "\n\(scope.heading):\n" + flagLines(scope.flags.map(\.spec).filter { !$0.hidden }, width: width)
        }
        return out + hanging("  -h, --help", "show a command's help (or `mediactl help COMMAND...`)", column: flagColumn(width), width: width)
    }

    /// The column flag texts start at: 30, or 8 (below the flag) on a narrow terminal.
    static func flagColumn(_ width: Int) -> Int { width >= 60 ? 30 : 8 }

    static func flagLines(_ flags: [FlagSpec], width: Int = 80) -> String {
        flags.map { f in
            var left = "  " + (f.short.map { "-\($0), " } ?? "    ")
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
            return hanging(left, right, column: flagColumn(width), width: width)
        }.joined()
    }

    /// `left`, then `text` from `column` on, wrapped at `width` with every further line indented to `column`;
    /// `text` starts on the next line when `left` does not fit before the column.
    static func hanging(_ left: String, _ text: String, column: Int, width: Int) -> String {
        let body = wrap(text, width: width, indent: column)
        if left.count + 2 <= column { return left + String(body.dropFirst(left.count)) }
        return left + "\n" + body
    }

    /// Words of `text` in lines of at most `width` columns (a longer word stands alone), each line indented by `indent`;
    /// a newline in `text` starts a new line. Ends with a newline.
    static func wrap(_ text: String, width: Int, indent: Int = 0) -> String {
        let pad = String(repeating: " ", count: indent)
        var out = ""
        for paragraph in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = ""
            for word in paragraph.split(separator: " ") {
                if !line.isEmpty && indent + line.count + 1 + word.count > width {
                    out += pad + line + "\n"
                    line = ""
                }
                line += (line.isEmpty ? "" : " ") + word
            }
            out += pad + line + "\n"
        }
        return out
    }

    // MARK: `mediactl help`

    static let topics = Positional<String>(spec: PositionalSpec(name: "topic", help: "flags, exit-codes, or a command (e.g. `job run`)",
                                                                 required: false, variadic: true), decode: { $0 })

    static let command: CommandSpec = .verb(
        "help", summary: "Help on a command (`mediactl help job run`), the global flags (`help flags`) or the exit codes (`help exit-codes`)",
        examples: ["mediactl help job run", "mediactl help flags", "mediactl help exit-codes"],
        positionals: [topics.spec],
        parse: { (inv: Invocation) throws(MediaError) -> [String] in
            let words = try inv.values(topics)
            switch words {
            case ["flags"], ["exit-codes"]: return words
            default:
                // A command path, checked now: an unknown word is bad input like any other.
                _ = try Parser.parse(words + ["--help"], root: CommandTable.root, globals: [])
                return words
            }
        },
        run: { words, ctx throws(MediaError) in
            let width = ctx.io.terminal.width
            switch words {
            case ["flags"]: ctx.io.out(globalFlags(width: width), terminator: "")
            case ["exit-codes"]:
                for code in ExitCode.allCases { ctx.io.out("\(String(code.rawValue).padded(to: 4)) \(code.meaning)") }
            default:
                let line = try Parser.parse(words + ["--help"], root: CommandTable.root, globals: [])
                ctx.io.out(render(path: line.path, width: width))
            }
        })
}

extension Help.API {
    var label: String {
        switch self {
        case .oci: "OCI"
        case .video: "OpenTok / Vonage Video"
        case .local: "this machine only"
        }
    }
}
