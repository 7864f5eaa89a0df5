// Runs the built binary on a real pseudo-terminal (openpty): stdin, stdout and stderr are the pty,
// so isatty() is true and readline runs as it would for a person typing.
import Foundation

public final class PseudoTerminalSession: @unchecked Sendable {
    private let master: Int32
    private let slave: Int32
    private let process = Process()
    private let lock = NSLock()
    private var buffer = ""
    private var reader: Thread?

    /// Runs `executable` (default: the built mediactl) with `arguments` on a new pseudo-terminal.
    public init(_ arguments: [String], environment: [String: String], executable: String = CLIRunner.binary,
                columns: UInt16 = 120) throws {
        var m: Int32 = 0, s: Int32 = 0
        var size = winsize(ws_row: 40, ws_col: columns, ws_xpixel: 0, ws_ypixel: 0)
        guard openpty(&m, &s, nil, nil, &size) == 0 else { throw PTYError.openpty }
        master = m
        slave = s
        let handle = FileHandle(fileDescriptor: s, closeOnDealloc: false)
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = environment.merging(["TERM": "xterm"]) { a, _ in a }
        process.standardInput = handle
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let t = Thread { [weak self] in self?.readLoop() }
        reader = t
        t.start()
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
        close(master)
        close(slave)
    }

    private func readLoop() {
        var chunk = [UInt8](repeating: 0, count: 4096)
        while true {
            let n = read(master, &chunk, chunk.count)
            if n <= 0 { return }
            let text = String(decoding: chunk[0..<n], as: UTF8.self)
            lock.withLock { buffer += text }
        }
    }

    /// Everything the program wrote so far.
    public var output: String { lock.withLock { buffer } }

    public func send(_ text: String) {
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    /// Waits until `text` appears after `from` characters of output; false on timeout.
    @discardableResult
    public func expect(_ text: String, after from: Int = 0, timeout: Double = 10) -> Bool {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let out = output
            if out.count > from, out.dropFirst(from).contains(text) { return true }
            usleep(20_000)
        }
        return false
    }

    public func interrupt() { kill(process.processIdentifier, SIGINT) }

    /// Waits for the exit status (nil on timeout).
    public func waitForExit(timeout: Double = 20) -> Int32? {
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(20_000) }
        if process.isRunning { return nil }
        process.waitUntilExit()
        usleep(100_000)  // let the reader drain the last bytes
        return process.terminationStatus
    }

    /// Whether the terminal is back in canonical mode with echo (readline restored it).
    public var terminalIsSane: Bool {
        var t = termios()
        guard tcgetattr(slave, &t) == 0 else { return false }
        return t.c_lflag & tcflag_t(ICANON) != 0 && t.c_lflag & tcflag_t(ECHO) != 0
    }

    enum PTYError: Error { case openpty }
}
