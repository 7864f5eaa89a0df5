// GNU readline, as the CLI uses it: one line with editing and Tab completion from a list, prompts on stderr
// (stdout carries results only), and a history file kept across runs.
import CReadline
import FoundationEssentials
import Glibc
import Synchronization

/// The few readline calls a prompt makes, in one place. Prompts happen on one thread (the main one).
public enum LineEditor {
    nonisolated(unsafe) public private(set) static var historyFile: String?
    /// True while readline owns the terminal, so a signal restores it before exiting (`Signals`).
    static let promptActive = Atomic<Bool>(false)

    /// Names the program to readline, sends prompts to stderr, leaves SIGINT/SIGTERM to `Signals`, and loads the
    /// history file (its folder is created). Only the first call counts.
    public static func setUp(name: String, historyFile path: String) {
        guard historyFile == nil else { return }
        historyFile = path
        programName = strdup(name)
        creadline_set_name(programName)
        creadline_use_stderr()
        creadline_disable_signals()
        try? FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = read_history(path)
    }

    /// A line typed after `prompt`, or nil at end of input (Ctrl-D). Tab completes from `completions`.
    public static func readLine(prompt: String, completions: [String] = []) -> String? {
        candidates = completions
        creadline_set_generator { text, state in
            guard let text else { return nil }
            let prefix = String(cString: text)
            if state == 0 { LineEditor.matches = LineEditor.candidates.filter { $0.hasPrefix(prefix) } }
            let i = Int(state)
            guard i < LineEditor.matches.count else { return nil }
            return strdup(LineEditor.matches[i])
        }
        promptActive.store(true, ordering: .relaxed)
        defer { promptActive.store(false, ordering: .relaxed) }
        guard let line = readline(prompt) else { return nil }
        defer { free(line) }
        return String(cString: line)
    }

    /// Adds `line` to the history and saves it (mode 0600), keeping the newest `keeping` lines in the file.
    public static func remember(_ line: String, keeping: Int = 500) {
        add_history(line)
        if let historyFile {
            _ = write_history(historyFile)
            chmod(historyFile, 0o600)
            _ = history_truncate_file(historyFile, Int32(keeping))
        }
    }

    /// The history file's lines, oldest first; empty before `setUp` or when there is none.
    public static func savedHistory() -> [String] {
        guard let historyFile, let text = try? String(contentsOfFile: historyFile, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    // Completion state for readline's C callback.
    nonisolated(unsafe) static var candidates: [String] = []
    nonisolated(unsafe) static var matches: [String] = []
    /// readline keeps the pointer it is given for the program's name.
    nonisolated(unsafe) private static var programName: UnsafeMutablePointer<CChar>?

    /// Readline's state after a signal, before the process exits.
    static func cleanUpAfterSignal() { creadline_cleanup() }
}
