// Walks argv against the command table. Nothing else in the program looks at argv.
import MediaKit

struct ParsedLine {
    /// The command path from the root, e.g. [root, workflow, build].
    var path: [CommandSpec]
    /// Flag name → raw values, in the order given.
    var values: [String: [String]] = [:]
    var positionals: [String] = []
    var helpRequested = false
    var versionRequested = false

    var command: CommandSpec { path[path.count - 1] }
    var commandName: String { path.dropFirst().map(\.name).joined(separator: " ") }
}

enum Parser {
    /// Parses `arguments` (without the program name). Global flags may stand anywhere.
    static func parse(_ arguments: [String], root: CommandSpec, globals: [FlagSpec]) throws(MediaError) -> ParsedLine {
        var line = ParsedLine(path: [root])
        var i = 0
        var flagsEnded = false
        func flags() -> [FlagSpec] { line.command.flags + globals }

        while i < arguments.count {
            let arg = arguments[i]
            i += 1
            if !flagsEnded && arg == "--" { flagsEnded = true; continue }
            if !flagsEnded && (arg == "-h" || arg == "--help") { line.helpRequested = true; continue }
            if !flagsEnded && arg == "--version" && line.path.count == 1 { line.versionRequested = true; continue }

            if !flagsEnded && arg.hasPrefix("-") && arg.count > 1 && !isNegativeNumber(arg) {
                var name: String
                var inline: String?
                if arg.hasPrefix("--") {
                    let body = arg.dropFirst(2)
                    if let eq = body.firstIndex(of: "=") {
                        name = String(body[..<eq])
                        inline = String(body[body.index(after: eq)...])
                    } else {
                        name = String(body)
                    }
                } else {
                    guard arg.count == 2, let spec = flags().first(where: { $0.short == arg.last }) else {
                        throw .usage("unknown flag \(arg) for `\(commandLabel(line))`"
                                     + (suggestion(arg, flags().compactMap { $0.short.map { "-\($0)" } }) ?? dashedValueHint(line)))
                    }
                    name = spec.name
                }
                guard let spec = flags().first(where: { $0.name == name }) else {
                    throw .usage("unknown flag --\(name) for `\(commandLabel(line))`"
                                 + (suggestion("--" + name, flags().filter { !$0.hidden }.map { "--" + $0.name }) ?? dashedValueHint(line)))
                }
                let value: String
                if spec.takesValue {
                    if let inline { value = inline } else {
                        guard i < arguments.count else { throw .usage("--\(spec.name) needs a value (\(spec.meta))") }
                        value = arguments[i]
                        i += 1
                    }
                } else {
                    value = inline ?? "true"
                    guard ["true", "false"].contains(value) else { throw .usage("--\(spec.name) takes no value (or =true/=false), got '\(value)'") }
                }
                if line.values[spec.name] != nil && !spec.repeatable {
                    throw .usage("--\(spec.name) given more than once")
                }
                line.values[spec.name, default: []].append(value)
                continue
            }

            // A word: a subcommand while the current command has any, else a positional argument.
            if !line.command.subcommands.isEmpty && line.positionals.isEmpty {
                guard let sub = line.command.subcommand(arg), !flagsEnded else {
                    if line.helpRequested { break }
                    let names = line.command.subcommands.filter { !$0.hidden }.map(\.name)
                    throw .usage("unknown command '\(arg)' for `\(commandLabel(line))`\(suggestion(arg, names) ?? ""); expected one of: \(names.joined(separator: ", "))")
                }
                line.path.append(sub)
                continue
            }
            line.positionals.append(arg)
        }
        if line.helpRequested || line.versionRequested { return line }
        if line.positionals.count > line.command.positionals.count, line.command.positionals.last?.variadic != true {
            let extra = line.positionals[line.command.positionals.count]
            throw .usage("unexpected argument '\(extra)' for `\(commandLabel(line))`")
        }
        return line
    }

    static func commandLabel(_ line: ParsedLine) -> String {
        (["mediactl"] + line.path.dropFirst().map(\.name)).joined(separator: " ")
    }

    static func isNegativeNumber(_ s: String) -> Bool { s.count > 1 && s.hasPrefix("-") && Double(s) != nil }

    /// ` (did you mean --x?)` when one candidate is close.
    static func suggestion(_ word: String, _ candidates: [String]) -> String? {
        let best = candidates.map { ($0, distance(word, $0)) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(2, word.count / 3) else { return nil }
        return " (did you mean \(best.0)?)"
    }

    /// For a command that takes arguments: an id or name may begin with '-' (base64 ids do), and goes after `--`.
    static func dashedValueHint(_ line: ParsedLine) -> String {
        line.command.positionals.isEmpty ? "" : " (an argument that begins with '-' goes after `--`: `\(commandLabel(line)) -- VALUE`)"
    }

    static func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        var row = Array(0...b.count)
        for i in 1...a.count {
            var prev = row[0]
            row[0] = i
            for j in stride(from: 1, through: b.count, by: 1) {
                let current = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] == b[j - 1] ? 0 : 1))
                prev = current
            }
        }
        return row[b.count]
    }
}
