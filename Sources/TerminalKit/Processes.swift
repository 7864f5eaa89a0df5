// This process and the ones it starts: its id, exit, sleeping, and a detached child (spawned in its own session,
// signalled, reaped) for `mediactl emulator start/stop`.
import FoundationEssentials
import Glibc

public enum Processes {
    /// This process's id (getpid).
    public static var currentID: Int32 { getpid() }

    /// Ends the process with `status` (exit: atexit handlers and stdio buffers run).
    public static func exit(_ status: Int32) -> Never { Glibc.exit(status) }

    /// Blocks the calling thread for `seconds`, or until a signal arrives (nanosleep).
    public static func sleep(seconds: Double) {
        guard seconds > 0 else { return }
        let whole = seconds.rounded(.down)
        var request = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1_000_000_000))
        _ = nanosleep(&request, nil)
    }

    /// The signals `send` delivers.
    public enum Signal: Sendable {
        /// SIGTERM: stop, cleanly.
        case terminate
        /// SIGKILL: stop, now.
        case kill

        var number: Int32 { self == .terminate ? SIGTERM : SIGKILL }
    }

    /// Sends `signal` to `pid`; false when it could not be delivered (no such process, not ours).
    @discardableResult
    public static func send(_ signal: Signal, to pid: Int32) -> Bool { kill(pid, signal.number) == 0 }

    /// The process exists and has not exited: one of another user's counts (EPERM), a zombie (exited, not yet
    /// reaped) does not.
    public static func isAlive(_ pid: Int32) -> Bool {
        guard pid > 0 else { return false }
        if kill(pid, 0) != 0 { return errno == EPERM }
        if let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") {
            let stat = String(decoding: data, as: UTF8.self)
            if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].drop(while: { $0 == " " }).hasPrefix("Z") {
                return false
            }
        }
        return true
    }

    /// Reaps our child `pid` if it has exited (waitpid, WNOHANG): true when it had.
    public static func reapIfExited(_ pid: Int32) -> Bool {
        var status: Int32 = 0
        return waitpid(pid, &status, WNOHANG) == pid
    }

    /// Starts `executable` with `arguments` and this process's environment, in a session of its own (so a closing
    /// terminal's SIGHUP does not reach it), stdin from /dev/null, stdout and stderr appended to `logFile`
    /// (created with mode 0600), no other descriptor of ours, and no signal blocked. Returns its pid.
    public static func spawnDetached(_ executable: String, arguments: [String], logFile: String) throws(SystemError) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, logFile, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else may leak into a long-lived child: a caller that watches for our exit through an
        // inherited descriptor (Foundation's Process keeps a socket in its child) would wait for it.
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // Whatever the calling thread blocks or ignores, the child starts with SIGINT and SIGTERM at their defaults and
        // no signal blocked, so `send(.terminate, to:)` stops it (a thread of Foundation's Process blocks SIGTERM).
        var none = sigset_t(), stopping = sigset_t()
        sigemptyset(&none)
        sigemptyset(&stopping)
        sigaddset(&stopping, SIGINT)
        sigaddset(&stopping, SIGTERM)
        posix_spawnattr_setsigmask(&attributes, &none)
        posix_spawnattr_setsigdefault(&attributes, &stopping)
        posix_spawnattr_setflags(&attributes, posixSpawnSetSID | Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, executable, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw SystemError(code: rc) }
        return pid
    }

    /// This process's open descriptors, from /proc/self/fd.
    static func openDescriptors() -> [Int32] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd")) ?? []
        // The directory listing itself used one descriptor, now closed; closing a closed one is harmless.
        return names.compactMap { Int32($0) }.sorted()
    }

    /// glibc's POSIX_SPAWN_SETSID (spawn.h, 2.26+), which Swift does not see without _GNU_SOURCE.
    static let posixSpawnSetSID: Int16 = 0x80
}
