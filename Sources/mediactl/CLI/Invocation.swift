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

    init(line: ParsedLine, io: IOStreams, environment: [String: String], home: String, globals: [FlagSpec], clock: MediaKit.Clock = .system) {
        self.line = line
        self.io = io
        self.environment = environment
        self.home = home
        self.globals = globals
        self.clock = clock
    }

    var commandName: String { line.commandName }

    func spec(_ name: String) -> FlagSpec? { (line.command.flags + globals).first { $0.name == name } }

    // MARK: values

    /// Where a value came from, for messages.
    enum Source { case flag, env(String), defaultsFile(String), tableDefault, prompt }

    /// The raw value and its source, or nil when none was given anywhere.
    func raw(_ name: String) throws(CLIError) -> (String, Source)? {
        guard let spec = spec(name) else { return nil }
        if let v = line.values[name]?.last { return (v, .flag) }
        for env in spec.envNames {
            if let v = EnvironmentVariables.value(env, in: environment) { return (v, .env(env)) }
        }
        if spec.fromDefaultsFile, let (v, key) = try defaultsValue(name) { return (v, .defaultsFile(key)) }
        if let d = spec.defaultValue { return (d, .tableDefault) }
        return nil
    }

    func string(_ name: String) throws(CLIError) -> String? {
        guard let (value, source) = try raw(name), let spec = spec(name) else { return nil }
        try Self.check(value, spec: spec, source: source)
        return value
    }

    /// A value the user chose (flag, env, defaults file), nil when only the table's default would apply: some request
    /// bodies leave an unchosen option out (vonage-video 1.6 sends only the keys given).
    func chosen(_ name: String) throws(CLIError) -> String? {
        guard let (_, source) = try raw(name) else { return nil }
        if case .tableDefault = source { return nil }
        return try string(name)
    }

    /// A value that must be there: from flag, env, defaults file, or (on a terminal) a prompt.
    func required(_ name: String) throws(CLIError) -> String {
        if let v = try string(name) { return v }
        guard let spec = spec(name) else { throw .usage("internal: no flag --\(name)") }
        if let answer = try Prompter.askIfPossible(for: spec, invocation: self) { return answer }
        var ways = ["--\(name)"]
        if let env = spec.env { ways.append(env) }
        if spec.fromDefaultsFile { ways.append("'\(name)' in the defaults file") }
        throw .usage("missing \(spec.meta) for `\(Parser.commandLabel(line))`: give \(ways.joined(separator: ", or "))")
    }

    func strings(_ name: String) throws(CLIError) -> [String] {
        guard let spec = spec(name) else { return [] }
        let values = line.values[name] ?? []
        for v in values { try Self.check(v, spec: spec, source: .flag) }
        if values.isEmpty, let one = try string(name) { return [one] }
        return values
    }

    func int(_ name: String) throws(CLIError) -> Int? { try string(name).flatMap { Int($0) } }
    func double(_ name: String) throws(CLIError) -> Double? { try string(name).flatMap { Double($0) } }
    func bool(_ name: String) throws(CLIError) -> Bool { try string(name).flatMap(FlagKind.switchValue) ?? false }

    func positional(_ index: Int) throws(CLIError) -> String {
        let specs = line.command.positionals
        guard index < specs.count else { throw .usage("internal: no positional \(index)") }
        let spec = specs[index]
        if index < line.positionals.count {
            let value = line.positionals[index]
            try Self.check(value, spec: FlagSpec(name: spec.name, kind: spec.kind, meta: spec.name.uppercased(), help: spec.help), source: .flag, label: spec.name.uppercased())
            return value
        }
        let asFlag = FlagSpec(name: spec.name, kind: spec.kind, meta: spec.name.uppercased(), help: spec.help, prompt: spec.prompt)
        if let answer = try Prompter.askIfPossible(for: asFlag, invocation: self) { return answer }
        throw .usage("missing \(spec.name.uppercased()) for `\(Parser.commandLabel(line))`: \(spec.help)")
    }

    /// An optional positional: its value when given (type-checked), nil otherwise; never prompts.
    func optionalPositional(_ index: Int) throws(CLIError) -> String? {
        guard index < line.positionals.count else { return nil }
        return try positional(index)
    }

    /// Type checks shared by flags, env values, defaults and prompt answers.
    static func check(_ value: String, spec: FlagSpec, source: Source, label: String? = nil) throws(CLIError) {
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
    private func defaultsValue(_ name: String) throws(CLIError) -> (String, String)? {
        if defaultsCache == nil {
            let path = defaultsPath
            if FileManager.default.fileExists(atPath: path) {
                let data: Data
                do { data = try LocalFiles().read(path) } catch { throw .media(.config("defaults file \(path): \(error.reason)")) }
                do { defaultsCache = .some(try INIFile(text: String(decoding: data, as: UTF8.self), path: path)) } catch {
                    throw .media(.config("defaults file \(error.message)"))
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
