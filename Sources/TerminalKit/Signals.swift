// Ctrl-C and SIGTERM for a command-line program: the first one is recorded (a running transfer sees it, stops and
// says what it did); a second one, or one while a prompt owns the terminal, restores the terminal and exits at once.
import Glibc

public enum Signals {
    /// Exit status after a signal, as shells report it: 128 + the signal's number.
    static let interruptedStatus: Int32 = 128 + SIGINT
    static let terminatedStatus: Int32 = 128 + SIGTERM

    /// Where the handler records a signal: called from the signal handler with SIGINT's or SIGTERM's number, it
    /// must only store it in an atomic, and returns the one recorded before (0 when none was).
    public typealias Recorder = @convention(c) (Int32) -> Int32

    nonisolated(unsafe) private static var recorder: Recorder?

    /// Installs the handlers for SIGINT and SIGTERM, unblocked first: a parent may hand us a mask that blocks
    /// them (Foundation's Process spawning from a dispatch thread does), and Ctrl-C must work regardless.
    /// A second signal, or any while `LineEditor` is reading a line, clears the line, shows the cursor again and
    /// exits with 130 (SIGINT) or 143 (SIGTERM).
    public static func installInterruptHandlers(record: Recorder) {
        recorder = record
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        sigprocmask(SIG_UNBLOCK, &unblock, nil)
        for sig in [SIGINT, SIGTERM] {
            var action = sigaction()
            action.__sigaction_handler.sa_handler = { sig in
                let already = Signals.recorder?(sig) ?? 0
                if already != 0 || LineEditor.promptActive.load(ordering: .relaxed) {
                    LineEditor.cleanUpAfterSignal()
                    let restore = "\r\u{1B}[2K\u{1B}[?25h\n"
                    _ = restore.withCString { write(STDERR_FILENO, $0, strlen($0)) }
                    _exit(sig == SIGTERM ? Signals.terminatedStatus : Signals.interruptedStatus)
                }
            }
            sigemptyset(&action.sa_mask)
            action.sa_flags = 0
            sigaction(sig, &action, nil)
        }
    }
}
