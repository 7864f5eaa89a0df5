// Asks for missing values on a terminal, as the lab's input() calls did: readline line editing,
// history kept across runs, validation at the prompt (a bad answer is asked again, never sent).
import FoundationEssentials
import MediaKit
import TerminalKit

/// One line to ask for: its prompt, what Tab offers, and the history it keeps.
struct PromptLine: Sendable {
    var prompt: String
    /// Fixed candidates (a choice's values, the menu's keys).
    var completions: [String] = []
    /// Further candidates, asked for on the first Tab only: the ids this user's runs printed and a live list.
    var moreCompletions: (@Sendable () -> [String])? = nil
    /// The history this prompt reads and adds to (a flag's name, `menu`); nil keeps none (confirmations).
    var history: String? = nil

    /// Every candidate Tab offers.
    var allCompletions: [String] {
        var seen = Set<String>()
        return (completions + (moreCompletions?() ?? [])).filter { seen.insert($0).inserted }
    }
}

/// The person at the terminal, as a value a test can replace: one line of input (with line editing and
/// history in production), a secret with echo off, and remembering an accepted answer.
protocol Prompting: AnyObject, Sendable {
    /// A line typed after `line.prompt`, or nil at end of input (Ctrl-D).
    func readLine(_ line: PromptLine) -> String?
    /// An accepted answer, for that prompt's history (never a rejected one, never a secret).
    func remember(_ answer: String, history: String)
    /// A secret typed with echo off; nil at end of input. Ctrl-C throws `.cancelled`.
    func readSecret(prompt: String, io: IOStreams) throws(MediaError) -> String?
}

/// readline with one history file per prompt under $XDG_STATE_HOME/mediactl/prompt-history, and termios for secrets.
final class ReadlinePrompter: Prompting, @unchecked Sendable {
    private let historyDirectory: String

    init(environment: [String: String], home: String) {
        historyDirectory = "\(StatePaths.directory(environment: environment, home: home))/prompt-history"
    }

    /// The file of one prompt's history: its name kept to letters, digits and '-'.
    func historyFile(_ name: String) -> String {
        "\(historyDirectory)/\(String(name.lowercased().map { $0.isLetter || $0.isNumber || $0 == "-" ? $0 : "-" }))"
    }

    func readLine(_ line: PromptLine) -> String? {
        LineEditor.setUp(name: "mediactl")
        return LineEditor.readLine(prompt: line.prompt, historyFile: line.history.map(historyFile)) { line.allCompletions }
    }

    func remember(_ answer: String, history: String) {
        LineEditor.setUp(name: "mediactl")
        LineEditor.remember(answer, historyFile: historyFile(history))
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

/// Answers given in advance, for in-process tests of prompts; records every prompt shown. An answer ending in a
/// tab is a Tab press: what the prompt would offer for the text before it goes to `offered`, and the next answer is read.
final class ScriptedPrompter: Prompting, @unchecked Sendable {
    private let lock = Lock()
    private var answers: [String]
    private(set) var prompts: [String] = []
    private(set) var remembered: [(history: String, answer: String)] = []
    private(set) var offered: [[String]] = []

    init(_ answers: [String]) { self.answers = answers }

    private func next(_ prompt: String) -> String? {
        lock.withLock {
            prompts.append(prompt)
            return answers.isEmpty ? nil : answers.removeFirst()
        }
    }

    func readLine(_ line: PromptLine) -> String? {
        while let answer = next(line.prompt) {
            guard answer.hasSuffix("\t") else { return answer }
            let prefix = String(answer.dropLast())
            let candidates = line.allCompletions.filter { $0.hasPrefix(prefix) }
            lock.withLock { offered.append(candidates) }
        }
        return nil
    }

    func remember(_ answer: String, history: String) { lock.withLock { remembered.append((history, answer)) } }
    func readSecret(prompt: String, io: IOStreams) throws(MediaError) -> String? { next(prompt) }
}

extension IOStreams {
    /// Asks for a missing value as the lab's input() did; a bad answer is asked again, never sent.
    /// Nil when there is no person to ask (no terminal, or --no-input).
    /// `suggested` (the last job's playlist, the id the menu's previous step made) is shown as `[…]` and Enter takes it.
    func ask(for spec: FlagSpec, suggested: String? = nil) throws(MediaError) -> String? {
        guard canPrompt else { return nil }
        let suggested = suggested ?? lastPrinted(kinds: spec.recentKinds)
        let label = spec.prompt ?? "\(spec.help.prefix(1).uppercased())\(spec.help.dropFirst())"
        // One history per kind of value: up-arrow at any workflow prompt recalls workflows, never buckets.
        let history = spec.recentKinds.first ?? spec.name
        while true {
            let defaultHint = (suggested ?? spec.defaultValue).map { " [\($0)]" } ?? ""
            var line = PromptLine(prompt: "\(label)\(defaultHint): ", completions: spec.completionValues ?? [], history: history)
            if !spec.recentKinds.isEmpty, let ids = idCandidates { line.moreCompletions = { ids(spec) } }
            guard let answer = prompter.readLine(line) else {
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
            prompter.remember(value, history: history)
            // An id typed once completes next time, at any prompt for its kind.
            if !spec.recentKinds.isEmpty { recentIDs?.record([value], kind: spec.recentKinds.first) }
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
        guard let answer = prompter.readLine(PromptLine(prompt: "Really \(question)? [y/N]: ")) else { throw .declined }
        guard ["y", "yes"].contains(answer.lowercased().trimming(.whitespaces)) else { throw .declined }
    }
}
