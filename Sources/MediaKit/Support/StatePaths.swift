// Per-user state locations, records kept there, and shell quoting, defined once for the CLI and the emulator.
import FoundationEssentials
import Glibc

public enum StatePaths {
    /// Writes a record (an upload to resume, a publication's progress) through a temporary file beside it and a
    /// rename, creating its folder (0700) and the file (0600): a reader sees the old record or the new one,
    /// never half of one. The temporary file is created with O_EXCL under a name no other writer uses (pid and
    /// random suffix), so two writers never share one; the last rename wins. False when it could not be written.
    /// `durable: false` skips the fsync, for a cache whose loss costs nothing (an fsync is milliseconds on a disk).
    public static func writeRecord(_ data: Data, to path: String, durable: Bool = true) -> Bool {
        try? FileManager.default.createDirectory(atPath: parentDirectory(of: path), withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp-\(getpid())-\(Digest.randomBytes(6).hexLowercase)"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { return false }
        let written = data.withUnsafeBytes { bytes -> Bool in
            guard let base = bytes.baseAddress else { return true }   // an empty record
            var done = 0
            while done < bytes.count {
                let n = write(fd, base + done, bytes.count - done)
                if n < 0 { if errno == EINTR { continue }; return false }
                done += n
            }
            return true
        }
        // fsync before the rename: after a crash the record is the old one or the whole new one.
        let synced = written && (!durable || fsync(fd) == 0)
        close(fd)
        guard synced, rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }

    /// `$XDG_STATE_HOME/mediactl`, else `~/.local/state/mediactl`: prompt history and the emulator's state live below it.
    public static func directory(environment: [String: String], home: String) -> String {
        let base = EnvironmentVariables.value("XDG_STATE_HOME", in: environment) ?? "\(home)/.local/state"
        return "\(base)/mediactl"
    }
}

/// An exclusive lock on a record, held by one process while it uses the record (a multipart upload in progress):
/// `flock` on a `.lock` file beside the record, which holds the holder's pid. The kernel drops the lock when the
/// holder exits, however it exits (kill -9 included), so a lock never outlives its process. The holder removes
/// the file when it releases the lock; a taker checks that the file it locked is still the one at the path
/// (else it locked a removed file and tries again), so removal never lets two processes hold it.
public final class RecordLock: @unchecked Sendable {
    // @unchecked: the descriptor is set once in init and only cleared by release(), called from one thread.
    private var descriptor: Int32
    public let path: String

    public enum Outcome {
        case acquired(RecordLock)
        /// Another process holds it; its pid when the lock file names one.
        case heldBy(pid: Int32?)
        case failed(String)
    }

    private init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
    }

    /// Takes the lock of `recordPath` without waiting.
    public static func acquire(for recordPath: String) -> Outcome {
        let path = recordPath + ".lock"
        try? FileManager.default.createDirectory(atPath: parentDirectory(of: path), withIntermediateDirectories: true,
                                                 attributes: [.posixPermissions: 0o700])
        for _ in 0..<100 {
            let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            guard fd >= 0 else { return .failed("cannot open \(path): \(String(cString: strerror(errno)))") }
            var locked = flock(fd, LOCK_EX | LOCK_NB)
            while locked != 0 && errno == EINTR { locked = flock(fd, LOCK_EX | LOCK_NB) }
            if locked != 0 {
                let why = errno
                defer { close(fd) }
                guard why == EWOULDBLOCK else { return .failed("cannot lock \(path): \(String(cString: strerror(why)))") }
                // The holder writes its pid just after it takes the lock: give it a moment before naming no one.
                var pid = holder(fd)
                for _ in 0..<50 where pid == nil {
                    usleep(10_000)
                    pid = holder(fd)
                }
                return .heldBy(pid: pid)
            }
            // Locked; but if the holder removed the file meanwhile, this is a dead file: take the new one.
            var mine = stat(), current = stat()
            guard fstat(fd, &mine) == 0, stat(path, &current) == 0, mine.st_dev == current.st_dev, mine.st_ino == current.st_ino else {
                close(fd)
                continue
            }
            // The holder's pid, for the message a second process prints.
            let pid = Array("\(getpid())\n".utf8)
            _ = ftruncate(fd, 0)
            _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            return .acquired(RecordLock(descriptor: fd, path: path))
        }
        return .failed("cannot lock \(path): it keeps being replaced")
    }

    private static func holder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let n = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 31, 0) }
        // Only a whole line counts: the holder truncates, then writes "pid\n".
        guard n > 1, buffer[n - 1] == UInt8(ascii: "\n") else { return nil }
        return Int32(String(decoding: buffer.prefix(n - 1), as: UTF8.self))
    }

    /// Removes the lock file and releases the lock (also done when the object goes; the kernel does it if the
    /// process dies first, leaving the file for the next taker).
    public func release() {
        guard descriptor >= 0 else { return }
        unlink(path)          // while still holding it: a taker that opened it before sees the inode change
        close(descriptor)     // closing the only descriptor drops the flock
        descriptor = -1
    }

    deinit { release() }
}

public enum ShellQuoting {
    /// A word a POSIX shell reads back unchanged: as is when it holds only safe characters, else single-quoted.
    public static func quoted(_ s: String) -> String {
        let safe = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./:=@%+,")
        if !s.isEmpty && s.allSatisfy({ safe.contains($0) }) { return s }
        return "'" + s.replacing("'", with: "'\\''") + "'"
    }
}
