// Flags as typed values: each is declared once (its table entry and how its text becomes a value) and
// read by symbol, so a misspelt flag is a compile error and the default lives only in the declaration.
//
//     static let wait = Switch("wait", help: "wait for the job to end")
//     static let timeout = Flag.number("timeout", 1...86_400, meta: "SECONDS", help: "...").defaulting(to: 3600)
//     static let layout = Flag.choice("layout", OpenTokLayoutType.self, meta: "TYPE", help: "...")
//
//     let options = Options(wait: try inv.value(wait), timeout: try inv.value(timeout), layout: try inv.value(layout))
import MediaKit

/// Anything that declares a flag of the command table.
protocol FlagDeclaration: Sendable {
    var spec: FlagSpec { get }
}

/// A flag whose value may be absent: `try inv.value(flag)` is nil when given nowhere (flag, env, defaults file).
struct Flag<Value: Sendable>: FlagDeclaration {
    var spec: FlagSpec
    /// The value of a text that passed `spec.kind`'s check.
    let decode: @Sendable (String) -> Value?
    /// The text of a value, for help's "(default …)" and the prompt's "[…]".
    let encode: @Sendable (Value) -> String

    /// The same flag with a table default: reading it never yields nil.
    func defaulting(to value: Value) -> DefaultedFlag<Value> { DefaultedFlag(flag: self, defaultValue: value) }

    // Modifiers, so a declaration reads as one expression.
    func short(_ letter: Character) -> Self { var f = self; f.spec.short = letter; return f }
    /// The variable that supplies the value when the flag is absent; `also` are older or other tools' names, read after it.
    func env(_ variable: String, _ also: String...) -> Self { var f = self; f.spec.env = variable; f.spec.extraEnv = also; return f }
    func prompt(_ text: String) -> Self { var f = self; f.spec.prompt = text; return f }
    /// Never filled from the defaults file (values that name one run: prefixes, tokens, pages).
    func notFromDefaultsFile() -> Self { var f = self; f.spec.fromDefaultsFile = false; return f }
    func hidden() -> Self { var f = self; f.spec.hidden = true; return f }
    func repeatable() -> Self { var f = self; f.spec.repeatable = true; return f }
    /// Shown as required in help; reading it with `inv.required` prompts or fails when missing.
    func required() -> Self { var f = self; f.spec.required = true; return f }
    /// The same flag with help worded for one verb.
    func help(_ text: String) -> Self { var f = self; f.spec.help = text; return f }
    /// Values the shell completes (for a text flag checked by its reader, e.g. case-insensitively).
    func completing(_ values: [String]) -> Self { var f = self; f.spec.completions = values; return f }
    /// Tab offers the ids of these kinds this user's runs printed (`RecentIDs`), for a flag that is not an OCID.
    func completingIDs(_ kinds: String...) -> Self { var f = self; f.spec.idKinds = kinds; return f }
    /// The same declaration under another name (e.g. a filter that shares a flag's type and help).
    func renamed(_ name: String) -> Self { var f = self; f.spec = spec.renamed(name); return f }
}

/// A flag whose table default makes it always have a value.
struct DefaultedFlag<Value: Sendable>: FlagDeclaration {
    let flag: Flag<Value>
    let defaultValue: Value

    var spec: FlagSpec {
        var s = flag.spec
        s.defaultValue = flag.encode(defaultValue)
        return s
    }

    func help(_ text: String) -> Self { DefaultedFlag(flag: flag.help(text), defaultValue: defaultValue) }
}

/// A switch: false unless given (`--wait`, `--wait=false`, or an env value such as 1/yes/on).
struct Switch: FlagDeclaration {
    var spec: FlagSpec

    init(_ name: String, short: Character? = nil, help: String, env: String? = nil) {
        spec = FlagSpec(name: name, short: short, kind: .bool, help: help, env: env, fromDefaultsFile: false)
    }

    /// A switch a defaults file may turn on (e.g. endpoint templates), unlike per-run switches such as --wait.
    func fromDefaultsFile() -> Self { var s = self; s.spec.fromDefaultsFile = true; return s }
}

/// A positional argument, typed like a flag.
struct Positional<Value: Sendable>: Sendable {
    let spec: PositionalSpec
    let decode: @Sendable (String) -> Value?

    static func text(_ name: String, help: String, prompt: String? = nil, required: Bool = true) -> Positional<String> {
        Positional<String>(spec: PositionalSpec(name: name, help: help, kind: .string, required: required, prompt: prompt), decode: { $0 })
    }

    static func ocid(_ name: String, types: [String]?, help: String, prompt: String? = nil) -> Positional<String> {
        Positional<String>(spec: PositionalSpec(name: name, help: help, kind: .ocid(types), prompt: prompt), decode: { $0 })
    }

    /// Tab offers the ids of these kinds this user's runs printed (`RecentIDs`).
    func completingIDs(_ kinds: String...) -> Self { var s = spec; s.idKinds = kinds; return Positional(spec: s, decode: decode) }
}

extension Flag where Value == String {
    static func text(_ name: String, meta: String = "VALUE", help: String) -> Flag<String> {
        Flag(spec: FlagSpec(name: name, kind: .string, meta: meta, help: help), decode: { $0 }, encode: { $0 })
    }

    /// An OCID of one of `types` (any well-formed OCID except one of another known Media Services kind).
    static func ocid(_ name: String, types: [String]?, help: String) -> Flag<String> {
        Flag(spec: FlagSpec(name: name, kind: .ocid(types), meta: "OCID", help: help), decode: { $0 }, encode: { $0 })
    }

    /// A path; `-` where the help says stdin is accepted.
    static func file(_ name: String, meta: String = "PATH", help: String) -> Flag<String> {
        Flag(spec: FlagSpec(name: name, kind: .file, meta: meta, help: help), decode: { $0 }, encode: { $0 })
    }
}

extension Flag where Value == Int {
    static func integer(_ name: String, _ range: ClosedRange<Int>, meta: String = "N", help: String) -> Flag<Int> {
        Flag(spec: FlagSpec(name: name, kind: .integer(range), meta: meta, help: help), decode: { Int($0) }, encode: { String($0) })
    }
}

extension Flag where Value == Double {
    static func number(_ name: String, _ range: ClosedRange<Double>, meta: String = "SECONDS", help: String) -> Flag<Double> {
        Flag(spec: FlagSpec(name: name, kind: .number(range), meta: meta, help: help), decode: { Double($0) },
             encode: { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : String($0) })
    }
}

extension Flag where Value: RawRepresentable & CaseIterable, Value.RawValue == String {
    /// One of an enum's raw values; reading it yields the enum case.
    static func choice(_ name: String, _ type: Value.Type, meta: String, help: String) -> Flag<Value> {
        Flag(spec: FlagSpec(name: name, kind: .choice(type.allCases.map(\.rawValue)), meta: meta, help: help),
             decode: { Value(rawValue: $0) }, encode: { $0.rawValue })
    }
}

extension FlagSpec {
    func renamed(_ newName: String) -> FlagSpec {
        var copy = self
        copy.name = newName
        return copy
    }

    /// A value of this kind that passes its check: what a flag reads as while the table is audited.
    var sampleValue: String {
        switch kind {
        case .string: "sample"
        case .file: "sample-file"
        case let .integer(range): String(range.lowerBound)
        case let .number(range): String(range.lowerBound)
        case .bool: "true"
        case let .choice(values): values.first ?? ""
        case let .ocid(types): "ocid1.\(types?.first ?? "sample").oc1.iad.aaaaaaaasample"
        }
    }
}

// MARK: reading, on the parse side

extension Invocation {
    /// The flag's value from the command line, env or defaults file; nil when given nowhere.
    func value<V>(_ flag: Flag<V>) throws(MediaError) -> V? {
        try checkDeclared(flag.spec.name)
        guard let text = try string(flag.spec.name) else { return nil }
        return try decoded(text, flag)
    }

    /// The flag's value, or the table's default.
    func value<V>(_ flag: DefaultedFlag<V>) throws(MediaError) -> V {
        try checkDeclared(flag.spec.name)
        guard let text = try string(flag.spec.name) else { return flag.defaultValue }
        return try decoded(text, flag.flag)
    }

    func value(_ flag: Switch) throws(MediaError) -> Bool {
        try checkDeclared(flag.spec.name)
        return try bool(flag.spec.name)
    }

    /// A value the user chose (flag, env, defaults file): nil when only the table's default would apply
    /// (some request bodies leave an unchosen option out: vonage-video sends only the keys given).
    func chosen<V>(_ flag: DefaultedFlag<V>) throws(MediaError) -> V? {
        try checkDeclared(flag.spec.name)
        guard let text = try chosen(flag.spec.name) else { return nil }
        return try decoded(text, flag.flag)
    }

    /// Every value of a repeatable flag, in the order given (or the one from env / defaults file).
    func values<V>(_ flag: Flag<V>) throws(MediaError) -> [V] {
        try checkDeclared(flag.spec.name)
        var out: [V] = []
        for text in try strings(flag.spec.name) { out.append(try decoded(text, flag)) }
        return out
    }

    /// A value that must be there: from flag, env, defaults file, or (on a terminal) a prompt. `suggested`: a runtime
    /// default the prompt offers as `[value]` (Enter takes it), and the value itself when there is no one to ask.
    func required<V>(_ flag: Flag<V>, suggested: String? = nil) throws(MediaError) -> V {
        try checkDeclared(flag.spec.name)
        return try decoded(try required(flag.spec.name, suggested: suggested), flag)
    }

    /// Whether the flag is on the command line itself (for "cannot be combined" checks).
    func isGiven(_ flag: some FlagDeclaration) -> Bool {
        guard spec(flag.spec.name) != nil else { return false }
        noteRead(flag.spec.name)
        return !auditing && line.values[flag.spec.name] != nil
    }

    func value<V>(_ positional: Positional<V>) throws(MediaError) -> V? {
        guard let index = positionalIndex(positional.spec.name) else { throw .usage("internal: \(positional.spec.name) is not an argument of `\(commandName)`") }
        guard let text = try optionalPositional(index) else { return nil }
        return try decodedPositional(text, positional)
    }

    /// Every word given for a variadic positional (the last one), in order; empty when none.
    func values<V>(_ positional: Positional<V>) throws(MediaError) -> [V] {
        guard let index = positionalIndex(positional.spec.name) else { throw .usage("internal: \(positional.spec.name) is not an argument of `\(commandName)`") }
        noteRead(positional.spec.name)
        if auditing { return [] }
        var out: [V] = []
        for text in line.positionals.dropFirst(index) { out.append(try decodedPositional(text, positional)) }
        return out
    }

    func required<V>(_ positional: Positional<V>) throws(MediaError) -> V {
        guard let index = positionalIndex(positional.spec.name) else { throw .usage("internal: \(positional.spec.name) is not an argument of `\(commandName)`") }
        return try decodedPositional(try self.positional(index), positional)
    }

    private func positionalIndex(_ name: String) -> Int? { line.command.positionals.firstIndex { $0.name == name } }

    private func decoded<V>(_ text: String, _ flag: Flag<V>) throws(MediaError) -> V {
        guard let value = flag.decode(text) else { throw .usage("--\(flag.spec.name): '\(text.prefix(80))' is not a valid \(flag.spec.meta)") }
        return value
    }

    private func decodedPositional<V>(_ text: String, _ positional: Positional<V>) throws(MediaError) -> V {
        guard let value = positional.decode(text) else { throw .usage("\(positional.spec.name.uppercased()): '\(text.prefix(80))' is not valid") }
        return value
    }
}

// MARK: verbs

extension CommandSpec {
    /// A verb: flags declared as values; `parse` reads them into an options value, `run` does the work with
    /// that value and the context (streams, clients, rendering). The table audits `parse` (every declared
    /// flag read: CommandTableAuditTests), and tests call `run` with options they build.
    static func verb<Options>(_ name: String, summary: String, description: String = "", examples: [String] = [],
                              flags: [any FlagDeclaration] = [], positionals: [PositionalSpec] = [], hidden: Bool = false,
                              parse: @escaping @Sendable (Invocation) throws(MediaError) -> Options,
                              run: @escaping @Sendable (Options, CommandContext) throws(MediaError) -> Void) -> CommandSpec {
        var spec = CommandSpec(name: name, summary: summary, description: description, examples: examples,
                               flags: flags.map(\.spec), positionals: positionals, hidden: hidden)
        spec.action = { inv throws(MediaError) in
            inv.collectsMissing = true
            let options: Options
            do throws(MediaError) { options = try parse(inv) } catch {
                try inv.throwIfMissing()
                throw error
            }
            try inv.throwIfMissing()
            inv.collectsMissing = false
            try run(options, try inv.context)
        }
        spec.audit = { inv throws(MediaError) in _ = try parse(inv) }
        return spec
    }
}
