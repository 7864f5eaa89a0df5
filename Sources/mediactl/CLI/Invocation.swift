// One run of one command: its parsed line, typed access to every value (flag > env > defaults
// file > table default), the IO streams, and the clients built from the global flags.
import FoundationEssentials
import MediaKit

final class Invocation: @unchecked Sendable {
    // Used from the main thread only; the @unchecked lets actions be @Sendable values in the table.
    let line: ParsedLine
    let io: IOStreams
    let environment: [String: String]
    let home: String
    let globals: [FlagSpec]
    let clock: MediaKit.Clock
    private var defaultsCache: INIFile??
    /// Made on first use (Connections.swift): one OCI connection per run.
    var connectionFactory: ConnectionFactory?
    /// Files already warned about in this run (a command may load the connection more than once).
    private var warned = Set<String>()
    /// Flags read so far, by name (the table audit compares them with those declared).
    private(set) var readFlags = Set<String>()
    /// Auditing the table: every flag and argument reads as a valid sample value, nothing prompts, no file is read.
    let auditing: Bool
    private var builtContext: CommandContext?
    /// Set while a verb parses without a person to ask: each missing required value is noted (and read as a
    /// sample) so one error can name them all (`throwIfMissing`).
    var collectsMissing = false
    private var missingValues: [(meta: String, ways: [String], flag: String, env: String?)] = []

    init(line: ParsedLine, io: IOStreams, environment: [String: String], home: String, globals: [FlagSpec], clock: MediaKit.Clock = .system,
         auditing: Bool = false) {
        self.auditing = auditing
        self.line = line
        self.io = io
        self.environment = environment
        self.home = home
        self.globals = globals
        self.clock = clock
    }

    var commandName: String { line.commandName }

    /// The run side of this invocation, built on first use (after the global flags are checked).
    var context: CommandContext {
        get throws(MediaError) {
            if let builtContext { return builtContext }
            let made = try CommandContext(invocation: self)
            builtContext = made
            return made
        }
    }

    func noteRead(_ name: String) { readFlags.insert(name) }

    /// A typed read of a flag the running command does not declare is a programming error, caught by the table audit.
    func checkDeclared(_ name: String) throws(MediaError) {
        guard spec(name) != nil else { throw .usage("internal: --\(name) is not a flag of `\(Parser.commandLabel(line))`") }
    }

    /// One error for every required value missing from the line (noted while `collectsMissing`).
    func throwIfMissing() throws(MediaError) {
        let command = Parser.commandLabel(line)
        switch missingValues.count {
        case 0: return
        case 1: throw .usage("missing \(missingValues[0].meta) for `\(command)`: give \(missingValues[0].ways.joined(separator: ", or "))")
        default:
            let list = missingValues.map { "--\($0.flag)" + ($0.env.map { " (or \($0))" } ?? "") }.joined(separator: ", ")
            throw .usage("missing \(missingValues.count) values for `\(command)`: give \(list)")
        }
    }

    func spec(_ name: String) -> FlagSpec? { (line.command.flags + globals).first { $0.name == name } }

    // MARK: values

    /// Where a value came from, for messages.
    enum Source { case flag, env(String), defaultsFile(String), tableDefault, prompt }

    /// The raw value and its source, or nil when none was given anywhere.
    func raw(_ name: String) throws(MediaError) -> (String, Source)? {
        // The string lookups of code not yet on typed flags read an undeclared flag as absent; typed reads refuse it.
        guard let spec = spec(name) else { return nil }
        noteRead(name)
        if auditing { return (spec.sampleValue, .flag) }
        if let v = line.values[name]?.last { return (v, .flag) }
        for env in spec.envNames {
            if let v = EnvironmentVariables.value(env, in: environment) { return (v, .env(env)) }
        }
        if spec.fromDefaultsFile, let (v, key) = try defaultsValue(name) { return (v, .defaultsFile(key)) }
        if let d = spec.defaultValue { return (d, .tableDefault) }
        return nil
    }

    func string(_ name: String) throws(MediaError) -> String? {
        guard let (value, source) = try raw(name), let spec = spec(name) else { return nil }
        try Self.check(value, spec: spec, source: source)
        return value
    }

    /// A value the user chose (flag, env, defaults file), nil when only the table's default would apply: some request
    /// bodies leave an unchosen option out (vonage-video 1.6 sends only the keys given).
    func chosen(_ name: String) throws(MediaError) -> String? {
        guard let (_, source) = try raw(name) else { return nil }
        if case .tableDefault = source { return nil }
        return try string(name)
    }

    /// A value that must be there: from flag, env, defaults file, or (on a terminal) a prompt.
    /// `suggested` (a runtime default, e.g. the last job's master playlist) is the prompt's `[default]`, taken by Enter;
    /// with no one to ask it is the value (the caller says so on stderr).
    func required(_ name: String, suggested: String? = nil) throws(MediaError) -> String {
        if let v = try string(name) { return v }
        guard let spec = spec(name) else { throw .usage("internal: no flag --\(name)") }
        if let suggested, !io.canPrompt {
            try Self.check(suggested, spec: spec, source: .tableDefault)
            return suggested
        }
        var ways = ["--\(name)"]
        if let env = spec.env { ways.append(env) }
        if spec.fromDefaultsFile { ways.append("'\(name)' in the defaults file") }
        if collectsMissing && !io.canPrompt {
            missingValues.append((spec.meta, ways, name, spec.env))
            return spec.sampleValue
        }
        if let answer = try io.ask(for: spec, suggested: suggested) { return answer }
        throw .usage("missing \(spec.meta) for `\(Parser.commandLabel(line))`: give \(ways.joined(separator: ", or "))")
    }

    func strings(_ name: String) throws(MediaError) -> [String] {
        guard let spec = spec(name) else { return [] }
        if auditing { noteRead(name); return [spec.sampleValue] }
        let values = line.values[name] ?? []
        for v in values { try Self.check(v, spec: spec, source: .flag) }
        if values.isEmpty, let one = try string(name) { return [one] }
        return values
    }

    func int(_ name: String) throws(MediaError) -> Int? { try string(name).flatMap { Int($0) } }
    func double(_ name: String) throws(MediaError) -> Double? { try string(name).flatMap { Double($0) } }
    func bool(_ name: String) throws(MediaError) -> Bool { try string(name).flatMap(FlagKind.switchValue) ?? false }

    func positional(_ index: Int) throws(MediaError) -> String {
        let specs = line.command.positionals
        guard index < specs.count else { throw .usage("internal: no positional \(index)") }
        let spec = specs[index]
        noteRead(spec.name)
        if auditing { return FlagSpec(name: spec.name, kind: spec.kind, help: spec.help).sampleValue }
        if index < line.positionals.count {
            let value = line.positionals[index]
            try Self.check(value, spec: spec.asFlag, source: .flag, label: spec.name.uppercased())
            return value
        }
        if let answer = try io.ask(for: spec.asFlag) { return answer }
        throw .usage("missing \(spec.name.uppercased()) for `\(Parser.commandLabel(line))`: \(spec.help)")
    }

    /// An optional positional: its value when given (type-checked), nil otherwise; never prompts.
    func optionalPositional(_ index: Int) throws(MediaError) -> String? {
        guard auditing || index < line.positionals.count else {
            if index < line.command.positionals.count { noteRead(line.command.positionals[index].name) }
            return nil
        }
        return try positional(index)
    }

    /// Type checks shared by flags, env values, defaults and prompt answers.
    static func check(_ value: String, spec: FlagSpec, source: Source, label: String? = nil) throws(MediaError) {
        let name = label ?? "--\(spec.name)"
        let from: String
        switch source {
        case .flag, .prompt, .tableDefault: from = name
        case let .env(env): from = "\(name) (from \(env))"
        case let .defaultsFile(key): from = "\(name) (from '\(key)' in the defaults file)"
        }
        if let problem = spec.kind.problem(with: value) { throw .usage("\(from): \(problem)") }
    }

    /// One warning per run and file when group or others can read a config or key file (as the OCI CLI does).
    func warnAboutPermissions(of path: String) {
        guard !warned.contains(path), let text = FilePermissions.warning(for: path, environment: environment) else { return }
        warned.insert(path)
        io.warn(text)
    }

    // MARK: defaults file

    /// `--defaults-file` > MEDIACTL_DEFAULTS_FILE > $XDG_CONFIG_HOME/mediactl/defaults > ~/.config/mediactl/defaults.
    var defaultsPath: String {
        if let v = line.values["defaults-file"]?.last { return expand(v) }
        if let v = environment["MEDIACTL_DEFAULTS_FILE"], !v.isEmpty { return expand(v) }
        let base = environment["XDG_CONFIG_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "\(home)/.config"
        return "\(base)/mediactl/defaults"
    }

    var profileName: String {
        line.values["profile"]?.last ?? environment["OCI_CLI_PROFILE"].flatMap { $0.isEmpty ? nil : $0 } ?? "DEFAULT"
    }

    func expand(_ path: String) -> String {
        if path == "~" { return home }
        if path.hasPrefix("~/") { return home + path.dropFirst() }
        return path
    }

    /// Most specific key wins: `job.run.compartment-id` > `job.compartment-id` > `compartment-id`.
    private func defaultsValue(_ name: String) throws(MediaError) -> (String, String)? {
        if defaultsCache == nil {
            let path = defaultsPath
            if FileManager.default.fileExists(atPath: path) {
                let data: Data
                do { data = try LocalFiles().read(path) } catch { throw .config("defaults file \(path): \(error.reason)") }
                do { defaultsCache = .some(try INIFile(text: String(decoding: data, as: UTF8.self), path: path)) } catch {
                    throw .config("defaults file \(error.message)")
                }
            } else {
                defaultsCache = .some(nil)
            }
        }
        guard let file = defaultsCache ?? nil, let section = file.profile(profileName) else { return nil }
        let names = line.path.dropFirst().map(\.name)
        var keys: [String] = []
        for n in stride(from: names.count, through: 0, by: -1) { keys.append((names.prefix(n) + [name]).joined(separator: ".")) }
        for key in keys { if let v = section[key], !v.isEmpty { return (v, key) } }
        return nil
    }
}
