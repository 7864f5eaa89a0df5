// Runs one command line: parse against the table, print help or version, run the action,
// and turn any error into one line on stderr and its exit code.
import FoundationEssentials
import MediaKit
import TerminalKit

enum Runner {
    static func run(_ arguments: [String], io: IOStreams, environment: [String: String]) -> ExitCode {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectoryForCurrentUser.path
        io.recentIDs = RecentIDs(environment: environment, home: home)
        if arguments.isEmpty && io.canPrompt && environment["CI"] != "true" {
            return Menu.run(io: io, environment: environment, home: home)
        }
        // Completion callbacks bypass the parser: their words are a partial, possibly invalid, line.
        if arguments.first == "__complete" {
            let words = Array(arguments.dropFirst())
            let ids: Completion.IDSource = { spec, complete in
                // The words before the value being completed, parsed as a line, say where a live list may look.
                let line = try? Parser.parse(complete, root: CommandTable.root, globals: GlobalFlags.all)
                let invocation = line.map { Invocation(line: $0, io: io, environment: environment, home: home, globals: GlobalFlags.all) }
                return IDCompletion.candidates(for: spec, invocation: invocation, environment: environment, home: home)
            }
            for candidate in Completion.candidates(words, ids: ids) { io.out(candidate) }
            return .ok
        }
        // The differential JMESPath test's batch entry: one JSON request per stdin line, one answer per line.
        if arguments.first == "__query" {
            for line in String(decoding: io.readInput(), as: UTF8.self).split(separator: "\n") { io.out(JMESPath.batchAnswer(String(line))) }
            return .ok
        }
        do throws(MediaError) {
            let line = try Parser.parse(arguments, root: CommandTable.root, globals: GlobalFlags.all)
            if line.versionRequested {
                io.out("mediactl \(MediaKitVersion.string)")
                return .ok
            }
            guard !line.helpRequested, let action = line.command.action else {
                io.out(Help.render(path: line.path, globals: GlobalFlags.all, width: io.terminal.width))
                return .ok
            }
            let invocation = Invocation(line: line, io: io, environment: environment, home: home, globals: GlobalFlags.all)
            io.idCandidates = { [unowned invocation] spec in
                IDCompletion.candidates(for: spec, invocation: invocation, environment: environment, home: home)
            }
            try invocation.readRunnerGlobals()
            try invocation.checkGlobals()
            try action(invocation)
            return .ok
        } catch {
            if let message = error.reportLine { io.error(message) }
            if let hint = error.hint { io.note(hint) }
            if let line = error.declinedLine { io.note(line) }
            return error.exitCode
        }
    }
}

/// Ctrl-C and SIGTERM: the first asks running transfers and waits to stop (they exit 130/143 and say
/// what was created); a second one, or one at a prompt, exits at once with the terminal restored.
enum SignalHandling {
    static func install() {
        // The first signal lands in MediaKit's Interruption, which transfers and waits poll.
        Signals.installInterruptHandlers { Interruption.signal.exchange($0, ordering: .relaxed) }
    }
}
