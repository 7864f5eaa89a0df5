// Markdown reference pages generated from the command table: one page per top-level command,
// plus the exit codes. `mediactl __docs DIR` writes them; a test fails when docs/ drifts.
import FoundationEssentials
import MediaKit

enum Docs {
    static func pages() -> [(String, String)] {
        var pages: [(String, String)] = []
        for command in CommandTable.root.subcommands where !command.hidden && command.name != "help" {
            pages.append(("\(command.name).md", page(command)))
        }
        pages.append(("exit-codes.md", exitCodes()))
        pages.append(("mediactl.1", ManPage.render()))
        pages.append(("global-flags.md", "# Global flags\n\nAccepted by every command. A value comes from the flag, else its environment variable,\nelse the defaults file (see the README), else the default shown.\n"
            + "A command's `--help` names those that apply to the API it calls; `mediactl help flags` explains them all.\n"
            + GlobalFlags.Scope.allCases.map { "\n## \($0.heading)\n\n" + flagTable($0.flags.map(\.spec)) }.joined()
            + "\n" + environmentSection()))
        return pages
    }

    static func page(_ command: CommandSpec) -> String {
        var out = "# mediactl \(command.name)\n\n\(command.summary).\n\n"
        out += section(command, path: ["mediactl", command.name], level: 2)
        return out
    }

    static func section(_ command: CommandSpec, path: [String], level: Int) -> String {
        var out = ""
        // Each paragraph ("\n\n" apart) on one line; `--help` shows only the first (Help.leadParagraph).
        if !command.description.isEmpty {
            out += command.description.components(separatedBy: "\n\n").map { $0.replacing("\n", with: " ") }.joined(separator: "\n\n") + "\n\n"
        }
        if command.action != nil {
            out += "```\n\(Help.usage(name: path.joined(separator: " "), command: command))\n```\n\n"
            if !command.positionals.isEmpty {
                out += command.positionals.map { "- `\($0.name.uppercased())`: \($0.help)" }.joined(separator: "\n") + "\n\n"
            }
            if !command.flags.filter({ !$0.hidden }).isEmpty { out += flagTable(command.flags.filter { !$0.hidden }) + "\n" }
            if !command.examples.isEmpty { out += "Examples:\n\n```sh\n" + command.examples.joined(separator: "\n") + "\n```\n\n" }
        }
        for sub in command.subcommands where !sub.hidden {
            out += "\(String(repeating: "#", count: level)) \((path + [sub.name]).joined(separator: " "))\n\n\(sub.summary).\n\n"
            out += section(sub, path: path + [sub.name], level: level + 1)
        }
        return out
    }

    static func flagTable(_ flags: [FlagSpec]) -> String {
        var out = "| flag | value | default | env | description |\n|---|---|---|---|---|\n"
        for f in flags {
            var value = f.takesValue ? f.meta : ""
            if case let .choice(values) = f.kind { value = values.joined(separator: " \\| ") }
            let name = (f.short.map { "`-\($0)`, " } ?? "") + "`--\(f.name)`"
            out += "| \(name) | \(value) | \(f.defaultValue ?? (f.required ? "required" : "")) | \(f.envNames.map { "`\($0)`" }.joined(separator: ", ")) | \(f.help.replacing("|", with: "\\|")) |\n"
        }
        return out
    }

    /// The variables read directly rather than as a flag's value: MediaKit's (`EnvironmentVariables.all`) and the CLI's.
    static func environmentSection() -> String {
        var out = "## Environment\n\nBesides each flag's variables above (and those of the commands' own flags), these change what mediactl does.\n"
            + "Values are trimmed; an empty value counts as unset.\n\n| variable | effect | related flag |\n|---|---|---|\n"
        for v in GlobalFlags.environment {
            out += "| `\(v.name)` | \(v.effect.replacing("|", with: "\\|")) | \(v.flag.map { "`--\($0)`" } ?? "") |\n"
        }
        return out
    }

    static func exitCodes() -> String {
        var out = "# Exit codes\n\nEvery failure prints one line on stderr (`error: ...`) and exits with one of these codes.\nService errors name the HTTP status, the service's code and message, the request and its opc-request-id.\nLines that go with it are not errors: what a command had created before it failed (`created before the failure: ...`)\nand, when a create's answer may have been lost, how to finish without a duplicate (`rerun with --retry-token TOKEN ...`;\nsee reliability.md).\n\n| code | meaning |\n|---|---|\n"
        for code in ExitCode.allCases { out += "| \(code.rawValue) | \(code.meaning) |\n" }
        return out
    }

    /// The hidden docs writer: `mediactl __docs DIR`.
    static let directory = Positional<String>.text("dir", help: "folder to write the pages into")

    static let command: CommandSpec = .verb(
        "__docs", summary: "Write the reference pages generated from the command table", positionals: [directory.spec], hidden: true,
        parse: { inv throws(MediaError) in inv.expand(try inv.required(directory)) },
        run: { dir, _ throws(MediaError) in
            try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            for (file, text) in pages() where !FileManager.default.createFile(atPath: "\(dir)/\(file)", contents: Data(text.utf8)) {
                throw .usage("DIR: cannot write \(dir)/\(file)")
            }
        })
}
