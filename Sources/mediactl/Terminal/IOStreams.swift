// Terminal facts and output streams, in one value handed to every command: results go to
// stdout, progress and diagnostics to stderr.
import FoundationEssentials
import MediaKit
import TerminalKit

/// What the program knows about its terminal: a value, so tests can fake a TTY.
struct TerminalFacts: Sendable, Equatable {
    var stdinIsTTY = false
    var stdoutIsTTY = false
    var stderrIsTTY = false
    /// Columns for wrapping help; 80 when unknown.
    var width = 80
    var colorEnabled = false
    /// Whether the terminal takes UTF-8 (LC_ALL, LC_CTYPE or LANG names it): the spinner's braille frames need it.
    var unicode = false

    /// The process's own terminal: isatty on fds 0-2, COLUMNS or the terminal's size, NO_COLOR and TERM.
    static func system(environment: [String: String]) -> TerminalFacts {
        var facts = TerminalFacts(stdinIsTTY: StandardStream.input.isTerminal, stdoutIsTTY: StandardStream.output.isTerminal,
                                  stderrIsTTY: StandardStream.error.isTerminal)
        facts.colorEnabled = facts.stderrIsTTY && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
        let locale = [environment["LC_ALL"], environment["LC_CTYPE"], environment["LANG"]].compactMap { $0 }.first { !$0.isEmpty } ?? ""
        facts.unicode = locale.uppercased().contains("UTF-8") || locale.uppercased().contains("UTF8")
        if let columns = environment["COLUMNS"].flatMap({ Int($0) }), columns > 20 { facts.width = columns }
        else if let columns = StandardStream.error.terminalColumns, columns > 20 { facts.width = columns }
        return facts
    }

    /// A person at a terminal on all three streams (tests of prompts and spinners).
    static let interactive = TerminalFacts(stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true, width: 100, colorEnabled: false)
}

/// Where the streams go: the process's file descriptors, or buffers in a test.
struct StreamEndpoints: Sendable {
    var stdout: @Sendable (String) -> Void
    var stderr: @Sendable (String) -> Void
    /// All of stdin up to `limit` bytes (more than `limit` returned means it was over).
    var readInput: @Sendable (_ limit: Int) -> Data

    static let system = StreamEndpoints(stdout: { StandardStream.output.write($0) },
                                        stderr: { StandardStream.error.write($0) },
                                        readInput: { StandardInput.read(limit: $0) })
}

/// Output captured by `IOStreams.capturing`, for in-process tests.
final class CapturedStreams: @unchecked Sendable {
    private let lock = Lock()
    private var outText = ""
    private var errText = ""
    var stdout: String { lock.withLock { outText } }
    var stderr: String { lock.withLock { errText } }
    fileprivate func append(out text: String) { lock.withLock { outText += text } }
    fileprivate func append(err text: String) { lock.withLock { errText += text } }
}

final class IOStreams: @unchecked Sendable {
    // Writes are serialised by the lock; the spinner thread and the main thread both write.
    private let lock = Lock()
    let terminal: TerminalFacts
    private let endpoints: StreamEndpoints
    let prompter: any Prompting
    var quiet = false
    var noInput = false
    /// Where printed ids and accepted answers are filed for later runs' completion (set by the runner).
    var recentIDs: RecentIDs?
    /// Tab's ids for an id flag at a prompt: recent ones, then a live list (set by the invocation, which can connect).
    var idCandidates: (@Sendable (FlagSpec) -> [String])?
    /// The newest id this process printed, per kind: a later prompt for that kind offers it (the menu's next step).
    private var printed: [String: String] = [:]

    var stdinIsTTY: Bool { terminal.stdinIsTTY }
    var stdoutIsTTY: Bool { terminal.stdoutIsTTY }
    var stderrIsTTY: Bool { terminal.stderrIsTTY }
    var colorEnabled: Bool { terminal.colorEnabled }

    init(terminal: TerminalFacts, endpoints: StreamEndpoints, prompter: any Prompting) {
        self.terminal = terminal
        self.endpoints = endpoints
        self.prompter = prompter
    }

    /// The process's streams, terminal and readline.
    convenience init(environment: [String: String], home: String) {
        self.init(terminal: .system(environment: environment), endpoints: .system,
                  prompter: ReadlinePrompter(environment: environment, home: home))
    }

    /// Streams into memory, with the terminal facts, stdin and prompt answers a test chooses.
    static func capturing(terminal: TerminalFacts = TerminalFacts(), stdin: Data = Data(),
                          answers: [String] = []) -> (IOStreams, CapturedStreams, ScriptedPrompter) {
        let captured = CapturedStreams()
        let prompter = ScriptedPrompter(answers)
        let endpoints = StreamEndpoints(stdout: { captured.append(out: $0) }, stderr: { captured.append(err: $0) },
                                        readInput: { limit in stdin.count > limit ? stdin.prefix(limit + 1) : stdin })
        return (IOStreams(terminal: terminal, endpoints: endpoints, prompter: prompter), captured, prompter)
    }

    /// Notes ids just printed (newest first) under their kinds, here and in the per-user cache.
    func notePrinted(_ ids: [String], kind: String?) {
        lock.withLock {
            for id in ids.reversed() { if let k = RecentIDs.kind(of: id, fallback: kind) { printed[k] = id } }
        }
        recentIDs?.record(ids, kind: kind)
    }

    /// Forgets ids just deleted, here and in the per-user cache.
    func noteDeleted(_ ids: [String]) {
        lock.withLock { printed = printed.filter { !ids.contains($0.value) } }
        recentIDs?.forget(ids)
    }

    /// The newest id of these kinds this process printed.
    func lastPrinted(kinds: [String]) -> String? { lock.withLock { kinds.lazy.compactMap { self.printed[$0] }.first } }

    /// Stdin, read to its end or to just past `limit` bytes.
    func readInput(limit: Int = .max) -> Data { endpoints.readInput(limit) }

    /// Prompts need a person: stdin and stderr on a terminal, and --no-input not given.
    var canPrompt: Bool { stdinIsTTY && stderrIsTTY && !noInput }

    /// On a terminal, results are made printable too (names and states come from the server).
    func out(_ text: String, terminator: String = "\n") { writeOut((stdoutIsTTY ? Self.printable(text) : text) + terminator) }

    /// A progress line: a spinner-free, timestamped line when stderr is not a terminal; nothing with --quiet.
    func progress(_ text: String) {
        guard !quiet else { return }
        if stderrIsTTY { writeErr(Self.printable(text) + "\n") }
        else { writeErr("\(Self.timestamp()) \(Self.printable(text))\n") }
    }

    func warn(_ text: String) { writeErr((colorEnabled ? "\u{1B}[33mwarning:\u{1B}[0m " : "warning: ") + Self.printable(text) + "\n") }

    func error(_ text: String) {
        let oneLine = Self.printable(text.replacing("\n", with: " "))
        writeErr((colorEnabled ? "\u{1B}[31merror:\u{1B}[0m " : "error: ") + oneLine + "\n")
    }

    /// A line that goes with an error but is not one (what was created, how to finish): shown even with --quiet,
    /// so a failure still prints exactly one `error:` line.
    func note(_ text: String) { writeErr(Self.printable(text.replacing("\n", with: " ")) + "\n") }

    func debug(_ text: String) { writeErr(text.split(separator: "\n", omittingEmptySubsequences: false).map { "debug: \(Self.printable(String($0)))" }.joined(separator: "\n") + "\n") }

    func rawStderr(_ text: String) { writeErr(text) }

    private func writeOut(_ text: String) { lock.withLock { endpoints.stdout(text) } }
    private func writeErr(_ text: String) { lock.withLock { endpoints.stderr(text) } }

    /// Text from a server (error messages, names, states) must not drive the terminal: control characters
    /// other than newline and tab (ESC sequences, BEL, C1 codes) are shown as `\u{1b}` instead.
    static func printable(_ text: String) -> String {
        func isControl(_ s: Unicode.Scalar) -> Bool { (s.value < 0x20 && s != "\n" && s != "\t") || (0x7F...0x9F).contains(s.value) }
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if isControl(s) { out.append(contentsOf: "\\u{\(String(s.value, radix: 16))}".unicodeScalars) } else { out.append(s) }
        }
        return String(out)
    }

    static func timestamp() -> String {
        Date().internetDateTime()
    }
}

/// What a person sees while a wait polls: on a terminal a spinner line, redrawn each poll; without one, a
/// timestamped progress line whenever `key` changes (a task or state moved), not at every poll.
final class WaitProgress: @unchecked Sendable {
    // Used from the waiting thread only (the spinner draws from its own, through `Spinner`'s lock).
    private let spinner: Spinner
    private let io: IOStreams
    private var lastKey: String?

    init(io: IOStreams, first: String) {
        self.io = io
        spinner = Spinner(io: io)
        spinner.start(first)
    }

    func update(live: String, line: @autoclosure () -> String, key: String) {
        if spinner.isActive { spinner.update(live) } else if key != lastKey { io.progress(line()) }
        lastKey = key
    }

    func stop() { spinner.stop() }
}

/// A one-line spinner on stderr while waiting, only on a terminal; cleared when stopped.
final class Spinner: @unchecked Sendable {
    private let io: IOStreams
    private let lock = Lock()
    private var text = ""
    private var running = false

    init(io: IOStreams) { self.io = io }

    var isActive: Bool { io.stderrIsTTY && !io.quiet }

    func start(_ message: String) {
        guard isActive else { return }
        lock.withLock { text = message; running = true }
        io.rawStderr("\u{1B}[?25l")  // hide the cursor while spinning
        // Braille dots where the locale is UTF-8 (as most terminals are), the classic bar elsewhere.
        let frames = io.terminal.unicode ? ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏"] : ["|", "/", "-", "\\"]
        runDetached { [weak self] in
            var i = 0
            // A frame is drawn under the lock, checked against `running` there: once `stop` has cleared the line no
            // late frame can land on top of the message that follows (an interrupted wait's, an error's).
            while let self, self.lock.withLock({ () -> Bool in
                guard self.running else { return false }
                self.io.rawStderr("\r\u{1B}[2K\(frames[i % frames.count]) \(IOStreams.printable(self.text))")
                return true
            }) {
                i += 1
                Processes.sleep(seconds: 0.1)
            }
        }
    }

    func update(_ message: String) { lock.withLock { text = message } }

    /// Stops, clears the line and shows the cursor again, before whatever is printed next.
    func stop() {
        guard isActive else { return }
        lock.withLock {
            guard running else { return }
            running = false
            io.rawStderr("\r\u{1B}[2K\u{1B}[?25h")
        }
    }
}
