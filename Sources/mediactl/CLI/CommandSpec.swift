// The vocabulary of the command table: a flag, a positional argument, a command. Plain values;
// the parser, --help, completions and docs are all functions of the table built from them.

enum FlagKind: Sendable, Equatable {
    case string
    case integer(ClosedRange<Int>)
    case number(ClosedRange<Double>)
    case bool
    case choice([String])
    case file
    /// An OCID, optionally of given resource types.
    case ocid([String]?)
}

struct FlagSpec: Sendable {
    let name: String
    var short: Character? = nil
    var kind: FlagKind = .string
    var meta: String = "VALUE"
    let help: String
    /// Environment variable that supplies the value when the flag is absent.
    var env: String? = nil
    var defaultValue: String? = nil
    var required: Bool = false
    var repeatable: Bool = false
    /// Whether a value from the defaults file may fill it (ids, names, sizes; never switches like --wait).
    var fromDefaultsFile: Bool = true
    /// Hidden from help and completion (e.g. deprecated spellings).
    var hidden: Bool = false
    /// Prompt text used when the flag is missing and a terminal is there (the lab's `input()` wording).
    var prompt: String? = nil

    var takesValue: Bool { kind != .bool }

    /// Completion hint for shells: values, files, or nothing.
    var completionValues: [String]? {
        if case let .choice(values) = kind { return values }
        return nil
    }
}

struct PositionalSpec: Sendable {
    let name: String
    let help: String
    var kind: FlagKind = .string
    var required: Bool = true
    var prompt: String? = nil
}

typealias CommandAction = @Sendable (Invocation) throws(CLIError) -> Void

struct CommandSpec: Sendable {
    let name: String
    let summary: String
    var description: String = ""
    var examples: [String] = []
    var flags: [FlagSpec] = []
    var positionals: [PositionalSpec] = []
    var subcommands: [CommandSpec] = []
    var action: CommandAction? = nil
    var hidden: Bool = false

    func subcommand(_ name: String) -> CommandSpec? { subcommands.first { $0.name == name } }
}
