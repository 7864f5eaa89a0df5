// The few things MediaKit and mediactl took from the full Foundation, on FoundationEssentials and libc.
//
// MediaKit and mediactl import FoundationEssentials (Data, Date, URL, FileManager, ProcessInfo), never
// Foundation: one use of a Foundation-only API (String(format:), trimmingCharacters, NSLock,
// ISO8601DateFormatter...) links all of Foundation, CoreFoundation and ICU into mediactl (75 MB instead
// of 25 MB), and the first ICU call costs some 8 MB of memory. Tests/MediaKitTests/ImportRuleTests
// enforces it. The names below differ from Foundation's so files that import both still compile.
import FoundationEssentials
import Glibc

extension String {
    /// printf-style formatting of numbers (`%02x`, `%.1f`, `%04d`); no `%@`: interpolate strings instead.
    public init(cFormat format: String, _ arguments: CVarArg...) {
        var buffer = [CChar](repeating: 0, count: 64)
        let needed = Int(withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) })
        if needed >= buffer.count {
            buffer = [CChar](repeating: 0, count: needed + 1)
            _ = withVaList(arguments) { vsnprintf(&buffer, buffer.count, format, $0) }
        }
        self = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    }

    /// Cut or padded with spaces to `width` characters (Foundation's `padding(toLength:withPad:startingAt:)`).
    public func padded(to width: Int) -> String {
        count >= width ? String(prefix(width)) : self + String(repeating: " ", count: width - count)
    }
}

/// What `trimming(_:)` removes from both ends (Foundation's character sets of the same names).
public enum TrimmedCharacters: Sendable {
    case whitespaces, newlines, whitespacesAndNewlines

    func contains(_ c: Character) -> Bool {
        switch self {
        case .whitespaces: c.isWhitespace && !c.isNewline
        case .newlines: c.isNewline
        case .whitespacesAndNewlines: c.isWhitespace
        }
    }
}

extension StringProtocol {
    /// Without the given characters at either end (Foundation's `trimmingCharacters(in:)`).
    public func trimming(_ set: TrimmedCharacters) -> String {
        guard let first = firstIndex(where: { !set.contains($0) }), let last = lastIndex(where: { !set.contains($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// A mutual-exclusion lock for classes that guard state by hand (Foundation's NSLock).
public final class Lock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    public init() { pthread_mutex_init(mutex, nil) }
    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }

    public func withLock<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        lock()
        defer { unlock() }
        return try body()
    }
}

extension Date {
    /// RFC 3339 in UTC, `2026-11-22T00:27:00Z`, or with milliseconds (ISO8601DateFormatter's `.withInternetDateTime`).
    public func internetDateTime(fractionalSeconds: Bool = false) -> String {
        ISO8601Format(Date.ISO8601FormatStyle(includingFractionalSeconds: fractionalSeconds))
    }

    /// Parses RFC 3339 (`Z` or an offset), with or without fractional seconds.
    public init?(internetDateTime text: String) {
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle()) { self = date; return }
        guard let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) else { return nil }
        self = date
    }
}

public enum StandardInput {
    /// Reads stdin to its end, or until more than `limit` bytes (then returns what was read, over the limit).
    public static func read(limit: Int = .max) -> Data {
        var data = Data()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while data.count <= limit {
            let n = Glibc.read(STDIN_FILENO, &chunk, chunk.count)
            if n < 0 && errno == EINTR { continue }
            if n <= 0 { break }
            data.append(contentsOf: chunk[0..<n])
        }
        return data
    }
}

/// The folder part of a path (NSString's `deletingLastPathComponent`): `/a/b` → `/a`, `/a` → `/`, `a` → ``.
public func parentDirectory(of path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/") else { return "" }
    return slash == p.startIndex ? "/" : String(p[..<slash])
}

/// The last component of a path (`a/b.mp4` → `b.mp4`), as NSString's `lastPathComponent` gives it.
public func lastPathComponent(of path: String) -> String {
    var p = Substring(path)
    while p.count > 1 && p.hasSuffix("/") { p = p.dropLast() }
    guard let slash = p.lastIndex(of: "/"), p != "/" else { return String(p) }
    return String(p[p.index(after: slash)...])
}

/// Runs `body(0)`...`body(count - 1)`, each on a thread of its own, and returns when all have returned
/// (Foundation's Thread and a DispatchGroup). For blocking work such as one libcurl handle per thread.
public func runOnThreads(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
    let threads = (0..<count).map { index in startThread { body(index) } }
    for thread in threads { pthread_join(thread, nil) }
}

/// Runs `body` on a new thread nobody waits for (Foundation's `Thread { }.start()`).
public func runDetached(_ body: @escaping @Sendable () -> Void) {
    pthread_detach(startThread(body))
}

private func startThread(_ body: @escaping @Sendable () -> Void) -> pthread_t {
    final class Work {
        let run: () -> Void
        init(_ run: @escaping () -> Void) { self.run = run }
    }
    let work = Unmanaged.passRetained(Work(body)).toOpaque()
    var thread = pthread_t()
    let created = pthread_create(&thread, nil, { arg in
        Unmanaged<Work>.fromOpaque(arg!).takeRetainedValue().run()
        return nil
    }, work)
    precondition(created == 0, "pthread_create failed: \(created)")
    return thread
}

/// A file-system error from FileManager in a few words, e.g. `No such file or directory: /proc/x`
/// (what Foundation's `localizedDescription` gave).
public func fileErrorReason(_ error: any Error) -> String {
    let cocoa = error as? CocoaError
    guard let posix = (cocoa?.underlying ?? error) as? POSIXError else { return "\(error)" }
    let reason = String(cString: strerror(posix.code.rawValue))
    return cocoa?.filePath.map { "\(reason): \($0)" } ?? reason
}
