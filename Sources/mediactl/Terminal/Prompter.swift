// Asks for missing values on a terminal, as the lab's input() calls did: readline line editing,
// history kept across runs, validation at the prompt (a bad answer is asked again, never sent).
import CReadline
import FoundationEssentials
import Glibc
import MediaKit
import Synchronization

enum Prompter {
    static func askIfPossible(for spec: FlagSpec, invocation: Invocation) throws(MediaError) -> String? {
        guard invocation.io.canPrompt else { return nil }
        let label = spec.prompt ?? "\(spec.help.prefix(1).uppercased())\(spec.help.dropFirst())"
        Readline.setUp(historyFile: historyPath(invocation))
        while true {
            let defaultHint = spec.defaultValue.map { " [\($0)]" } ?? ""
            guard let answer = Readline.read(prompt: "\(label)\(defaultHint): ", completions: spec.completionValues ?? []) else {
                invocation.io.rawStderr("\n")
                throw .declined
            }
            let value = answer.trimming(.whitespaces)
            if value.isEmpty { invocation.io.error("--\(spec.name) is required"); continue }
            if let problem = spec.kind.problem(with: value) {
                invocation.io.error("--\(spec.name): \(problem); try again (Ctrl-D cancels)")
                continue
            }
            Readline.remember(value)
            return value
        }
    }

    /// Asks for a secret on the terminal with echo off (termios), never through readline, so it
    /// reaches neither the screen nor the history file. The terminal is restored on every path:
    /// an answer, Ctrl-D, and Ctrl-C (the first SIGINT only sets Interruption and interrupts read()).
    /// Nil when there is no terminal to ask on.
    static func askSecret(_ label: String, io: IOStreams) throws(MediaError) -> String? {
        guard io.canPrompt else { return nil }
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return nil }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else { return nil }
        defer { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &original) }
        while true {
            io.rawStderr("\(label) (input hidden): ")
            var bytes: [UInt8] = []
            var ended = false
            while true {
                var byte: UInt8 = 0
                let n = read(STDIN_FILENO, &byte, 1)
                if n < 0 && errno == EINTR && !Interruption.isRequested { continue }
                if n < 0 || Interruption.isRequested {
                    io.rawStderr("\n")
                    throw .cancelled("interrupted at the \(label) prompt")
                }
                if n == 0 { ended = true; break }
                if byte == 0x0A || byte == 0x0D { break }
                bytes.append(byte)
            }
            // Echo is off, so the Enter the user typed did not move the cursor.
            io.rawStderr("\n")
            if ended && bytes.isEmpty { throw .declined }
            let value = String(decoding: bytes, as: UTF8.self).trimming(.whitespaces)
            if !value.isEmpty { return value }
            io.error("\(label) is required; try again (Ctrl-D cancels)")
        }
    }

    /// $XDG_STATE_HOME/mediactl/history, else ~/.local/state/mediactl/history.
    static func historyPath(_ invocation: Invocation) -> String {
        historyPath(environment: invocation.environment, home: invocation.home)
    }

    static func historyPath(environment: [String: String], home: String) -> String {
        "\(StatePaths.directory(environment: environment, home: home))/history"
    }
}

/// The few readline calls mediactl makes, in one place.
enum Readline {
    nonisolated(unsafe) private static var historyFile: String?
    /// True while readline owns the terminal, so a signal restores it before exiting.
    static let promptActive = Atomic<Bool>(false)

    static func setUp(historyFile path: String) {
        guard historyFile == nil else { return }
        historyFile = path
        creadline_set_name("mediactl")
        creadline_use_stderr()
        creadline_disable_signals()
        try? FileManager.default.createDirectory(atPath: parentDirectory(of: path), withIntermediateDirectories: true)
        _ = read_history(path)
    }

    /// Reads a line; Tab completes from `completions` plus the OCIDs answered in earlier runs.
    static func read(prompt: String, completions: [String] = []) -> String? {
        candidates = completions + seenOCIDs()
        creadline_set_generator { text, state in
            guard let text else { return nil }
            let prefix = String(cString: text)
            if state == 0 { Readline.matches = Readline.candidates.filter { $0.hasPrefix(prefix) } }
            let i = Int(state)
            guard i < Readline.matches.count else { return nil }
            return strdup(Readline.matches[i])
        }
        promptActive.store(true, ordering: .relaxed)
        defer { promptActive.store(false, ordering: .relaxed) }
        guard let line = readline(prompt) else { return nil }
        defer { free(line) }
        return String(cString: line)
    }

    // Completion state for readline's C callback; prompts happen on the main thread only.
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var matches: [String] = []

    /// OCIDs from earlier answers (the history file), newest first, for Tab.
    static func seenOCIDs() -> [String] {
        guard let historyFile, let text = try? String(contentsOfFile: historyFile, encoding: .utf8) else { return [] }
        var seen = Set<String>(), out: [String] = []
        for line in text.split(separator: "\n").reversed() where line.hasPrefix("ocid1.") && seen.insert(String(line)).inserted {
            out.append(String(line))
        }
        return out
    }

    static func remember(_ value: String) {
        add_history(value)
        if let historyFile {
            _ = write_history(historyFile)
            chmod(historyFile, 0o600)
            _ = history_truncate_file(historyFile, 500)
        }
    }
}
