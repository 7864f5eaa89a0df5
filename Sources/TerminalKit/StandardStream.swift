// The process's three standard streams as the terminal sees them: is it a terminal, how wide, writing every
// byte, reading one byte, and echo turned off for a secret.
import Glibc

/// Standard input, output or error (file descriptors 0, 1, 2).
public enum StandardStream: Int32, Sendable, CaseIterable {
    case input = 0
    case output = 1
    case error = 2

    /// A terminal is at the other end (isatty).
    public var isTerminal: Bool { isatty(rawValue) == 1 }

    /// The terminal's width in columns (ioctl TIOCGWINSZ); nil when it is not a terminal or does not say.
    public var terminalColumns: Int? {
        var size = winsize()
        guard ioctl(rawValue, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }

    /// Writes all of `text`, again after a signal interrupts a write; gives up silently when the stream is gone
    /// (a closed pipe: there is nowhere left to report it).
    public func write(_ text: String) {
        var bytes = Array(text.utf8)[...]
        while !bytes.isEmpty {
            let n = bytes.withUnsafeBytes { Glibc.write(rawValue, $0.baseAddress, $0.count) }
            if n <= 0 { if errno == EINTR { continue }; return }
            bytes = bytes.dropFirst(n)
        }
    }

    /// What one `read` of a single byte gave.
    public enum ByteRead: Sendable, Equatable {
        case byte(UInt8)
        /// End of input (Ctrl-D at the start of a line on a terminal).
        case end
        /// A signal arrived before a byte did (EINTR).
        case interrupted
        case failed(SystemError)
    }

    /// One byte, unbuffered, so nothing past the end of a line is consumed.
    public func readByte() -> ByteRead {
        var byte: UInt8 = 0
        let n = read(rawValue, &byte, 1)
        if n == 1 { return .byte(byte) }
        if n == 0 { return .end }
        return errno == EINTR ? .interrupted : .failed(.current)
    }

    /// Runs `body` with the terminal's echo off (termios, TCSAFLUSH), restoring the previous settings on every
    /// path out of it; nil, and `body` not run, when the stream is not a terminal whose settings can be changed.
    public func withEchoOff<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T? {
        var original = termios()
        guard tcgetattr(rawValue, &original) == 0 else { return nil }
        var silent = original
        silent.c_lflag &= ~tcflag_t(ECHO)
        guard tcsetattr(rawValue, TCSAFLUSH, &silent) == 0 else { return nil }
        defer { _ = tcsetattr(rawValue, TCSAFLUSH, &original) }
        return try body()
    }
}
