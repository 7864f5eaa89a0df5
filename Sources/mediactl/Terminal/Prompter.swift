// Asks for missing values on a terminal, as the lab's input() calls did: readline line editing,
// history kept across runs, validation at the prompt (a bad answer is asked again, never sent).
import CReadline
import FoundationEssentials
import Glibc
import MediaKit
import Synchronization

/// The person at the terminal, as a value a test can replace: one line of input (with line editing and
/// history in production), a secret with echo off, and remembering an accepted answer.
protocol Prompting: AnyObject, Sendable {
    /// A line typed after `prompt`, or nil at end of input (Ctrl-D). Tab completes from `completions`.
    func readLine(prompt: String, completions: [String]) -> String?
    /// An accepted answer, for the history (never a rejected one, never a secret).
    func remember(_ answer: String)
    /// A secret typed with echo off; nil at end of input. Ctrl-C throws `.cancelled`.
    func readSecret(prompt: String, io: IOStreams) throws(MediaError) -> String?
}

/// readline with the history file under $XDG_STATE_HOME/mediactl, and termios for secrets.
final class ReadlinePrompter: Prompting, @unchecked Sendable {
    private let historyFile: String

    init(environment: [String: String], home: String) {
        historyFile = "\(StatePaths.directory(environment: environment, home: home))/history"
    }

    func readLine(prompt: String, completions: [String]) -> String? {
        Readline.setUp(historyFile: historyFile)
        return Readline.read(prompt: prompt, completions: completions)
    }

    func remember(_ answer: String) {
        Readline.setUp(historyFile: historyFile)
        Readline.remember(answer)
    }

    /// Echo off (termios), never through readline, so it reaches neither the screen nor the history file.
    /// The terminal is restored on every path: an answer, Ctrl-D, and Ctrl-C (the first SIGINT only sets
    /// Interruption and interrupts read()).
    func readSecret(prompt: String, io: IOStreams) throws(MediaError) -> String? {
        var original = termios()
        guard tcgetattr(STDIN_FILENO, &original) == 0 else { return nil }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(STDIN_FILENO, TCSAFLUSH, &silent) == 0 else { return nil }
        defer { _ = tcsetattr(STDIN_FILENO, TCSAFLUSH, &original) }
        io.rawStderr(prompt)
        var bytes: [UInt8] = []
        var ended = false
        while true {
            var byte: UInt8 = 0
            let n = read(STDIN_FILENO, &byte, 1)
            if n < 0 && errno == EINTR && !Interruption.isRequested { continue }
            if n < 0 || Interruption.isRequested {
                io.rawStderr("\n")
                throw .cancelled("interrupted at the \(prompt.trimming(.whitespaces)) prompt")
            }
            if n == 0 { ended = true; break }
            if byte == 0x0A || byte == 0x0D { break }
            bytes.append(byte)
        }
        // Echo is off, so the Enter the user typed did not move the cursor.
        io.rawStderr("\n")
        return ended && bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
    }
}

/// Answers given in advance, for in-process tests of prompts; records every prompt shown.
final class ScriptedPrompter: Prompting, @unchecked Sendable {
    private let lock = Lock()
    private var answers: [String]
    private(set) var prompts: [String] = []
    private(set) var remembered: [String] = []

    init(_ answers: [String]) { self.answers = answers }

    private func next(_ prompt: String) -> String? {
        lock.withLock {
            prompts.append(prompt)
            return answers.isEmpty ? nil : answers.removeFirst()
        }
    }

    func readLine(prompt: String, completions: [String]) -> String? { next(prompt) }
    func remember(_ answer: String) { lock.withLock { remembered.append(answer) } }
    func readSecret(prompt: String, io: IOStreams) throws(MediaError) -> String? { next(prompt) }
}

extension IOStreams {
    /// Asks for a missing value as the lab's input() did; a bad answer is asked again, never sent.
    /// Nil when there is no person to ask (no terminal, or --no-input).
    func ask(for spec: FlagSpec) throws(MediaError) -> String? {
        guard canPrompt else { return nil }
        let label = spec.prompt ?? "\(spec.help.prefix(1).uppercased())\(spec.help.dropFirst())"
        while true {
            let defaultHint = spec.defaultValue.map { " [\($0)]" } ?? ""
            guard let answer = prompter.readLine(prompt: "\(label)\(defaultHint): ", completions: spec.completionValues ?? []) else {
                rawStderr("\n")
                throw .declined
            }
            let value = answer.trimming(.whitespaces)
            if value.isEmpty { error("--\(spec.name) is required"); continue }
            if let problem = spec.kind.problem(with: value) {
                error("--\(spec.name): \(problem); try again (Ctrl-D cancels)")
                continue
            }
            prompter.remember(value)
            return value
        }
    }

    /// Asks for a secret with echo off; nil when there is no terminal to ask on.
    func askSecret(_ label: String) throws(MediaError) -> String? {
        guard canPrompt else { return nil }
        while true {
            guard let answer = try prompter.readSecret(prompt: "\(label) (input hidden): ", io: self) else { throw .declined }
            let value = answer.trimming(.whitespaces)
            if !value.isEmpty { return value }
            error("\(label) is required; try again (Ctrl-D cancels)")
        }
    }

    /// Destructive verbs ask on a terminal, and need --yes without one.
    func confirm(_ question: String, yes: Bool) throws(MediaError) {
        if yes { return }
        guard canPrompt else { throw .usage("refusing to \(question) without confirmation: pass --yes (no terminal to ask on)") }
        guard let answer = prompter.readLine(prompt: "Really \(question)? [y/N]: ", completions: []) else { throw .declined }
        guard ["y", "yes"].contains(answer.lowercased().trimming(.whitespaces)) else { throw .declined }
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
