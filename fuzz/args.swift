// Fuzz target: the argument parser against a table with every flag kind, then every value's type check.
import MediaKit

private let table = CommandSpec(name: "mediactl", summary: "fuzz", subcommands: [
    CommandSpec(name: "job", summary: "jobs", subcommands: [
        CommandSpec(name: "run", summary: "run",
                    flags: [FlagSpec(name: "workflow-id", kind: .ocid(["mediaworkflow"]), meta: "OCID", help: "w"),
                            FlagSpec(name: "limit", short: "l", kind: .integer(1...1000), meta: "N", help: "l"),
                            FlagSpec(name: "timeout", kind: .number(1...86_400), meta: "S", help: "t"),
                            FlagSpec(name: "format", kind: .choice(["HLS", "DASH"]), meta: "F", help: "f"),
                            FlagSpec(name: "file", short: "f", kind: .file, meta: "PATH", help: "f"),
                            FlagSpec(name: "tag", kind: .string, help: "t", repeatable: true),
                            FlagSpec(name: "wait", kind: .bool, help: "w")],
                    positionals: [PositionalSpec(name: "id", help: "id", kind: .ocid(nil))]),
    ]),
])
private let globals = [FlagSpec(name: "output", short: "o", kind: .choice(["text", "json", "id"]), meta: "F", help: "o"),
                       FlagSpec(name: "debug", kind: .bool, help: "d"),
                       FlagSpec(name: "read-timeout", kind: .number(0.1...3600), meta: "S", help: "r")]

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzArgs(_ bytes: UnsafePointer<UInt8>, _ count: Int) -> Int32 {
    // NUL separates arguments, as in /proc/PID/cmdline.
    let words = FuzzInput.text(bytes, count).split(separator: "\0", omittingEmptySubsequences: false).map(String.init)
    guard let line = try? Parser.parse(words, root: table, globals: globals) else { return 0 }
    for (name, values) in line.values {
        guard let spec = (line.command.flags + globals).first(where: { $0.name == name }) else { continue }
        for v in values { _ = spec.kind.problem(with: v) }
    }
    for (i, p) in line.positionals.enumerated() where i < line.command.positionals.count {
        _ = line.command.positionals[i].kind.problem(with: p)
    }
    _ = Parser.suggestion(words.first ?? "", ["--workflow-id", "--limit", "--timeout"])
    return 0
}
