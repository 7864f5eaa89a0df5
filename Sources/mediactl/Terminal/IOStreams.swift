// Terminal facts and output streams, in one value handed to every command: results go to
// stdout, progress and diagnostics to stderr.
import FoundationEssentials
import Glibc
import MediaKit

final class IOStreams: @unchecked Sendable {
    // Writes are serialised by the lock; the spinner thread and the main thread both write.
    private let lock = Lock()
    let stdinIsTTY: Bool
    let stdoutIsTTY: Bool
    let stderrIsTTY: Bool
    let colorEnabled: Bool
    var quiet = false
    var noInput = false

    init(environment: [String: String]) {
        stdinIsTTY = isatty(STDIN_FILENO) == 1
        stdoutIsTTY = isatty(STDOUT_FILENO) == 1
        stderrIsTTY = isatty(STDERR_FILENO) == 1
        colorEnabled = stderrIsTTY && environment["NO_COLOR"] == nil && environment["TERM"] != "dumb"
    }

    /// Prompts need a person: stdin and stderr on a terminal, and --no-input not given.
    var canPrompt: Bool { stdinIsTTY && stderrIsTTY && !noInput }

    /// On a terminal, results are made printable too (names and states come from the server).
    func out(_ text: String, terminator: String = "\n") { write(STDOUT_FILENO, (stdoutIsTTY ? Self.printable(text) : text) + terminator) }

    /// A progress line: a spinner-free, timestamped line when stderr is not a terminal; nothing with --quiet.
    func progress(_ text: String) {
        guard !quiet else { return }
        if stderrIsTTY { write(STDERR_FILENO, Self.printable(text) + "\n") }
        else { write(STDERR_FILENO, "\(Self.timestamp()) \(Self.printable(text))\n") }
    }

    func warn(_ text: String) { write(STDERR_FILENO, (colorEnabled ? "\u{1B}[33mwarning:\u{1B}[0m " : "warning: ") + Self.printable(text) + "\n") }

    func error(_ text: String) {
        let oneLine = Self.printable(text.replacing("\n", with: " "))
        write(STDERR_FILENO, (colorEnabled ? "\u{1B}[31merror:\u{1B}[0m " : "error: ") + oneLine + "\n")
    }

    /// A line that goes with an error but is not one (what was created, how to finish): shown even with --quiet,
    /// so a failure still prints exactly one `error:` line.
    func note(_ text: String) { write(STDERR_FILENO, Self.printable(text.replacing("\n", with: " ")) + "\n") }

    func debug(_ text: String) { write(STDERR_FILENO, text.split(separator: "\n", omittingEmptySubsequences: false).map { "debug: \(Self.printable(String($0)))" }.joined(separator: "\n") + "\n") }

    func rawStderr(_ text: String) { write(STDERR_FILENO, text) }

    private func write(_ fd: Int32, _ text: String) {
        lock.lock()
        defer { lock.unlock() }
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n <= 0 { if errno == EINTR { continue }; return }
            bytes = bytes.dropFirst(n)
        }
    }

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
        runDetached { [weak self] in
            let frames = ["|", "/", "-", "\\"]
            var i = 0
            while let self, self.lock.withLock({ self.running }) {
                let line = self.lock.withLock { self.text }
                self.io.rawStderr("\r\u{1B}[2K\(frames[i % frames.count]) \(IOStreams.printable(line))")
                i += 1
                usleep(100_000)
            }
        }
    }

    func update(_ message: String) { lock.withLock { text = message } }

    /// Stops, clears the line and shows the cursor again.
    func stop() {
        guard isActive else { return }
        let wasRunning = lock.withLock { let r = running; running = false; return r }
        guard wasRunning else { return }
        usleep(120_000)
        io.rawStderr("\r\u{1B}[2K\u{1B}[?25h")
    }
}
