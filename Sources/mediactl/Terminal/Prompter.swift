// Asks for missing values on a terminal, as the lab's input() calls did: readline line editing,
// history kept across runs, validation at the prompt (a bad answer is asked again, never sent).
import FoundationEssentials
import MediaKit
import TerminalKit

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

    /// Tab completes from `completions` plus the OCIDs answered in earlier runs.
    func readLine(prompt: String, completions: [String]) -> String? {
        LineEditor.setUp(name: "mediactl", historyFile: historyFile)
        return LineEditor.readLine(prompt: prompt, completions: completions + Self.seenOCIDs())
    }

    func remember(_ answer: String) {
        LineEditor.setUp(name: "mediactl", historyFile: historyFile)
        LineEditor.remember(answer, keeping: 500)
    }

    /// OCIDs from earlier answers (the history file), newest first, for Tab.
    static func seenOCIDs() -> [String] {
        var seen = Set<String>(), out: [String] = []
        for line in LineEditor.savedHistory().reversed() where line.hasPrefix("ocid1.") && seen.insert(line).inserted {
            out.append(line)
        }
        return out
    }

    /// Echo off (termios), never through readline, so it reaches neither the screen nor the history file.
    /// The terminal is restored on every path: an answer, Ctrl-D, and Ctrl-C (the first SIGINT only sets
    /// Interruption and interrupts read()).
    func readSecret(prompt: String, io: IOStreams) throws(MediaError) -> String? {
        let answer = try StandardStream.input.withEchoOff { () throws(MediaError) -> String? in
            io.rawStderr(prompt)
            var bytes: [UInt8] = []
            var ended = false
            while true {
                let read = StandardStream.input.readByte()
                if read == .interrupted && !Interruption.isRequested { continue }
                let failed = switch read { case .interrupted, .failed: true; case .byte, .end: false }
                if failed || Interruption.isRequested {
                    io.rawStderr("\n")
                    throw .cancelled("interrupted at the \(prompt.trimming(.whitespaces)) prompt")
                }
                guard case let .byte(byte) = read else { ended = true; break }
                if byte == 0x0A || byte == 0x0D { break }
                bytes.append(byte)
            }
            // Echo is off, so the Enter the user typed did not move the cursor.
            io.rawStderr("\n")
            return ended && bytes.isEmpty ? nil : String(decoding: bytes, as: UTF8.self)
        }
        return answer ?? nil
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
    /// `suggested` (the last job's playlist, the id the menu's previous step made) is shown as `[…]` and Enter takes it.
    func ask(for spec: FlagSpec, suggested: String? = nil) throws(MediaError) -> String? {
        guard canPrompt else { return nil }
        let label = spec.prompt ?? "\(spec.help.prefix(1).uppercased())\(spec.help.dropFirst())"
        while true {
            let defaultHint = (suggested ?? spec.defaultValue).map { " [\($0)]" } ?? ""
            guard let answer = prompter.readLine(prompt: "\(label)\(defaultHint): ", completions: spec.completionValues ?? []) else {
                rawStderr("\n")
                throw .declined
            }
            var value = answer.trimming(.whitespaces)
            if value.isEmpty, let suggested { value = suggested }
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
