// Runs one command line: parse against the table, print help or version, run the action,
// and turn any error into one line on stderr and its exit code.
import CReadline
import FoundationEssentials
import Glibc
import MediaKit

enum Runner {
    static func run(_ arguments: [String], io: IOStreams, environment: [String: String]) -> ExitCode {
        let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? FileManager.default.homeDirectoryForCurrentUser.path
        if arguments.isEmpty && io.canPrompt && environment["CI"] != "true" {
            return Menu.run(io: io, environment: environment, home: home)
        }
        // Completion callbacks bypass the parser: their words are a partial, possibly invalid, line.
        if arguments.first == "__complete" {
            for candidate in Completion.candidates(Array(arguments.dropFirst())) { io.out(candidate) }
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
        // A parent may hand us a mask that blocks these (Foundation's Process spawning from a
        // dispatch thread does); Ctrl-C must work regardless.
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                let already = Interruption.signal.exchange(sig, ordering: .relaxed)
                if already != 0 || Readline.promptActive.load(ordering: .relaxed) {
                    creadline_cleanup()
                    let restore = "\r\u{1B}[2K\u{1B}[?25h\n"
                    _ = restore.withCString { write(STDERR_FILENO, $0, strlen($0)) }
                    _exit(sig == SIGTERM ? 143 : 130)
                }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
    }
}
