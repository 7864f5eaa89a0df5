// The vocabulary of the command table: a flag, a positional argument, a command. Plain values;
// the parser, --help, completions and docs are all functions of the table built from them.
import MediaKit

enum FlagKind: Sendable, Equatable {
    case string
    case integer(ClosedRange<Int>)
    case number(ClosedRange<Double>)
    case bool
    case choice([String])
    case file
    /// An OCID, optionally of given resource types: any well-formed OCID is taken except another known
    /// Media Services kind (`OCID.mixUp`), so an unfamiliar spelling never blocks a user.
    case ocid([String]?)
}

extension FlagKind {
    /// A switch's value: true/false as the parser writes them, and 1/0, yes/no, on/off from the environment
    /// or the defaults file; nil for anything else (which is an error, never a silent false).
    static func switchValue(_ value: String) -> Bool? {
        switch value.lowercased() {
        case "true", "1", "yes", "on": true
        case "false", "0", "no", "off": false
        default: nil
        }
    }

    /// Nil when `value` fits `kind`, else what was expected.
    func problem(with value: String) -> String? {
        switch self {
        case .bool:
            return Self.switchValue(value) == nil ? "expected true or false, got '\(value.prefix(80))'" : nil
        case .string, .file:
            return value.isEmpty ? "expected a non-empty value" : nil
        case let .integer(range):
            guard let n = Int(value) else { return "expected a whole number, got '\(value.prefix(80))'" }
            return range.contains(n) ? nil : "expected a number from \(range.lowerBound) to \(range.upperBound), got \(n)"
        case let .number(range):
            guard let n = Double(value), n.isFinite else { return "expected a number, got '\(value.prefix(80))'" }
            return range.contains(n) ? nil : "expected a number from \(range.lowerBound) to \(range.upperBound), got \(value.prefix(80))"
        case let .choice(values):
            return values.contains(value) ? nil : "expected one of \(values.joined(separator: ", ")), got '\(value.prefix(80))'"
        case let .ocid(types):
            guard OCID.isValid(value) else { return "'\(value.prefix(80))' is not an OCID (expected ocid1.<type>.<realm>.<region>.<id>)" }
            if let types, let t = OCID.mixUp(value, expected: types) {
                return "expected the OCID of a \(OCID.describe(expected: types)), got one of a \(t)"
            }
            return nil
        }
    }
}

struct FlagSpec: Sendable {
    var name: String
    var short: Character? = nil
    var kind: FlagKind = .string
    var meta: String = "VALUE"
    var help: String
    /// Environment variable that supplies the value when the flag is absent.
    var env: String? = nil
    /// Further variables, after `env`, that mean the same (oci-cli's and the SDK's names for it).
    var extraEnv: [String] = []
    var defaultValue: String? = nil
    var required: Bool = false
    var repeatable: Bool = false
    /// Whether a value from the defaults file may fill it (ids, names, sizes; never switches like --wait).
    var fromDefaultsFile: Bool = true
    /// Hidden from help and completion (e.g. deprecated spellings).
    var hidden: Bool = false
    /// Prompt text used when the flag is missing and a terminal is there (the lab's `input()` wording).
    var prompt: String? = nil
    /// Values a shell offers for a flag that is not a choice (e.g. lifecycle states, taken in any case).
    var completions: [String]? = nil
    /// The kinds of id Tab offers (`RecentIDs`) for a flag that is not an OCID (`session`, `archive`, `bucket`).
    var idKinds: [String]? = nil

    var takesValue: Bool { kind != .bool }

    /// Every variable that can supply the value, in precedence order.
    var envNames: [String] { (env.map { [$0] } ?? []) + extraEnv }

    /// The kinds of id Tab offers from those printed before: the OCID types of an OCID flag, or `idKinds`.
    var recentKinds: [String] {
        if let idKinds { return idKinds }
        if case let .ocid(types?) = kind { return types }
        return []
    }

    /// Completion hint for shells: values, files, or nothing.
    var completionValues: [String]? {
        if case let .choice(values) = kind { return values }
        return completions
    }
}

struct PositionalSpec: Sendable {
    let name: String
    let help: String
    var kind: FlagKind = .string
    var required: Bool = true
    var prompt: String? = nil
    /// The kinds of id Tab offers for a value that is not an OCID (`FlagSpec.idKinds`).
    var idKinds: [String]? = nil
    /// The last argument may be given any number of times (`mediactl help job run`).
    var variadic: Bool = false
}

typealias CommandAction = @Sendable (Invocation) throws(MediaError) -> Void

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
    /// A verb's parse step alone (see `CommandSpec.verb`): the table audit runs it with every flag given.
    var audit: CommandAction? = nil

    func subcommand(_ name: String) -> CommandSpec? { subcommands.first { $0.name == name } }
}

extension PositionalSpec {
    /// The positional as a flag spec, for the prompt, the type check and completion.
    var asFlag: FlagSpec {
        var spec = FlagSpec(name: name, kind: kind, meta: name.uppercased(), help: help, prompt: prompt)
        spec.idKinds = idKinds
        return spec
    }
}
