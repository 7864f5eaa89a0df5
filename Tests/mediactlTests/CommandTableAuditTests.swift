// The command table audited in-process: every flag a verb declares is read by its parse step (a flag
// declared and never read is a dead promise in --help), and the audit itself can fail.
import MediaKit
import Testing
@testable import mediactl

@Suite struct CommandTableAuditTests {
    /// Every command of the table with its path from the root.
    static func commands(_ spec: CommandSpec = CommandTable.root, path: [CommandSpec] = []) -> [[CommandSpec]] {
        let here = path + [spec]
        return [here] + spec.subcommands.flatMap { commands($0, path: here) }
    }

    /// The flags and arguments `command` declares that its parse step never reads. Every value reads as a valid
    /// sample, so a parse may still throw on a combination (e.g. --all with --page): what was read until then counts,
    /// and the error is rethrown only when something stays unread.
    static func unread(_ path: [CommandSpec]) throws -> Set<String> {
        let command = path[path.count - 1]
        guard let audit = command.audit else { return [] }
        let (io, _, _) = IOStreams.capturing()
        let inv = Invocation(line: ParsedLine(path: path), io: io, environment: [:], home: "/nonexistent",
                             globals: GlobalFlags.all, auditing: true)
        let declared = Set(command.flags.map(\.name) + command.positionals.map(\.name))
        do { try audit(inv) } catch {
            if !declared.subtracting(inv.readFlags).isEmpty { throw error }
        }
        return declared.subtracting(inv.readFlags)
    }

    @Test func everyDeclaredFlagIsRead() throws {
        var problems: [String] = []
        for path in Self.commands() where path.last?.audit != nil {
            let label = path.dropFirst().map(\.name).joined(separator: " ")
            do {
                let missing = try Self.unread(path)
                if !missing.isEmpty { problems.append("\(label): declared, never read: \(missing.sorted().joined(separator: ", "))") }
            } catch {
                problems.append("\(label): parse failed while audited: \(error)")
            }
        }
        #expect(problems.isEmpty, "\(problems.joined(separator: "\n"))")
    }

    @Test func theAuditFindsAFlagThatIsNeverRead() throws {
        let used = Flag.text("used", help: "read")
        let forgotten = Flag.text("forgotten", help: "never read")
        let verb = CommandSpec.verb("demo", summary: "demo", flags: [used, forgotten],
                                    parse: { inv throws(MediaError) in try inv.value(used) }, run: { _, _ in })
        #expect(try Self.unread([CommandTable.root, verb]) == ["forgotten"])
    }

    @Test func readingAFlagTheVerbDoesNotDeclareIsAnError() {
        let declared = Flag.text("declared", help: "declared")
        let stranger = Flag.text("stranger", help: "another verb's")
        let verb = CommandSpec.verb("demo", summary: "demo", flags: [declared],
                                    parse: { inv throws(MediaError) in try inv.value(stranger) }, run: { _, _ in })
        #expect(throws: MediaError.self) { try Self.unread([CommandTable.root, verb]) }
    }

    /// The flag names and short letters of `command` that a global flag also has: the verb's would hide the global one.
    static func shadowing(_ command: CommandSpec, globals: [FlagSpec] = GlobalFlags.all) -> [String] {
        let names = Set(globals.map(\.name)), shorts = Set(globals.compactMap(\.short))
        return command.flags.flatMap { flag in
            (names.contains(flag.name) ? ["--\(flag.name)"] : []) + (flag.short.map { shorts.contains($0) ? ["-\($0)"] : [] } ?? [])
        }
    }

    @Test func noVerbFlagHidesAGlobalFlag() {
        var problems: [String] = []
        for path in Self.commands() {
            let hidden = Self.shadowing(path[path.count - 1])
            if !hidden.isEmpty { problems.append("\(path.dropFirst().map(\.name).joined(separator: " ")): \(hidden.joined(separator: ", "))") }
        }
        #expect(problems.isEmpty, "a verb flag hides a global flag of the same name: \(problems.joined(separator: "; "))")
        let clash = CommandSpec.verb("demo", summary: "demo", flags: [Flag.file("config-file", help: "mine").short("q")],
                                     parse: { _ throws(MediaError) in }, run: { _, _ in })
        #expect(Self.shadowing(clash) == ["--config-file", "-q"], "the check finds a clash")
    }
}
