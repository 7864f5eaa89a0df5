// A failed system call, as its errno: what the CLI puts after the path or flag it was about.
import Glibc

/// The errno of a failed system call; `message` is the C library's text for it (strerror).
public struct SystemError: Error, Sendable, Equatable {
    public let code: Int32

    public init(code: Int32) { self.code = code }

    /// errno, as the failed call left it.
    static var current: SystemError { SystemError(code: errno) }

    /// "No such file or directory", "Permission denied", ...
    public var message: String { String(cString: strerror(code)) }
}
