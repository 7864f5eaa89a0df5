// GNU readline, as the CLI uses it: one line with editing and Tab completion from a list, prompts on stderr
// (stdout carries results only), and a history per prompt kept across runs (up-arrow at the workflow prompt
// recalls workflows, never bucket names).
import CReadline
import FoundationEssentials
import Glibc
import Synchronization

/// The few readline calls a prompt makes, in one place. Prompts happen on one thread (the main one).
public enum LineEditor {
    /// True while readline owns the terminal, so a signal restores it before exiting (`Signals`).
    static let promptActive = Atomic<Bool>(false)

    /// Names the program to readline, sends prompts to stderr and leaves SIGINT/SIGTERM to `Signals`. Only the first call counts.
    public static func setUp(name: String) {
        guard programName == nil else { return }
        programName = strdup(name)
        creadline_set_name(programName)
        creadline_use_stderr()
        creadline_disable_signals()
    }

    /// A line typed after `prompt`, or nil at end of input (Ctrl-D). Tab completes from `completions`, asked for on
    /// the first Tab only (it may read a cache or the network). Up-arrow walks the lines of `historyFile` alone.
    public static func readLine(prompt: String, historyFile: String?, completions: @escaping () -> [String]) -> String? {
        candidateSource = completions
        candidates = nil
        creadline_set_generator { text, state in
            guard let text else { return nil }
            let prefix = String(cString: text)
            if state == 0 {
                if LineEditor.candidates == nil { LineEditor.candidates = LineEditor.candidateSource() }
                LineEditor.matches = (LineEditor.candidates ?? []).filter { $0.hasPrefix(prefix) }
            }
            let i = Int(state)
            guard i < LineEditor.matches.count else { return nil }
            return strdup(LineEditor.matches[i])
        }
        clear_history()
        if let historyFile { _ = read_history(historyFile) }
        promptActive.store(true, ordering: .relaxed)
        defer { promptActive.store(false, ordering: .relaxed) }
        guard let line = readline(prompt) else { return nil }
        defer { free(line) }
        return String(cString: line)
    }

    /// Adds `line` to the history in `historyFile` and saves it (folder 0700, file 0600), keeping its newest `keeping`
    /// lines. A line equal to the newest one is not added twice.
    public static func remember(_ line: String, historyFile: String, keeping: Int = 200) {
        clear_history()
        try? FileManager.default.createDirectory(atPath: URL(fileURLWithPath: historyFile).deletingLastPathComponent().path,
                                                 withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        _ = read_history(historyFile)
        let newest = creadline_newest_history().map { String(cString: $0) }
        guard newest != line else { return }
        add_history(line)
        _ = write_history(historyFile)
        chmod(historyFile, 0o600)
        _ = history_truncate_file(historyFile, Int32(keeping))
    }

    // Completion state for readline's C callback.
    nonisolated(unsafe) static var candidateSource: () -> [String] = { [] }
    nonisolated(unsafe) static var candidates: [String]?
    nonisolated(unsafe) static var matches: [String] = []
    /// readline keeps the pointer it is given for the program's name.
    nonisolated(unsafe) private static var programName: UnsafeMutablePointer<CChar>?

    /// Readline's state after a signal, before the process exits.
    static func cleanUpAfterSignal() { creadline_cleanup() }
}
