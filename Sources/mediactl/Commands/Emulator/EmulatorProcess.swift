// The background `mediactl-emulator`, seen through the files it writes in its state directory, and how it is started.
import FoundationEssentials
import Glibc
import MediaKit

/// The background process, seen through the files `mediactl-emulator` writes in its state directory
/// (pid, endpoint, env), and the one health call that proves it answers.
enum EmulatorProcess {
    struct Running {
        let pid: pid_t
        let endpoint: String
        let environment: [(String, String)]
    }

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimming(.whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The pid in the pid file, if that process is alive and is a mediactl-emulator (pids get reused).
    static func pid(_ dir: String) -> pid_t? {
        guard let text = read("\(dir)/pid"), let pid = pid_t(text), pid > 0, isAlive(pid) else { return nil }
        if let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
           !String(decoding: cmdline, as: UTF8.self).contains("mediactl-emulator") {
            return nil
        }
        return pid
    }

    static func isAlive(_ pid: pid_t) -> Bool {
        if kill(pid, 0) != 0 { return errno == EPERM }
        // A zombie (exited, not yet reaped) is not running.
        if let stat = read("/proc/\(pid)/stat"), let close = stat.lastIndex(of: ")") {
            let rest = stat[stat.index(after: close)...].trimming(.whitespaces)
            if rest.hasPrefix("Z") { return false }
        }
        return true
    }

    /// Running and answering its health endpoint.
    static func running(_ dir: String) -> Running? {
        guard let pid = pid(dir), let endpoint = read("\(dir)/endpoint"), answers(endpoint) else { return nil }
        return Running(pid: pid, endpoint: endpoint, environment: environment(dir))
    }

    /// The `env` file's `export NAME=value` lines.
    static func environment(_ dir: String) -> [(String, String)] {
        (read("\(dir)/env") ?? "").split(separator: "\n").compactMap { line in
            guard line.hasPrefix("export "), let eq = line.firstIndex(of: "=") else { return nil }
            let name = String(line[line.index(line.startIndex, offsetBy: 7)..<eq])
            var value = String(line[line.index(after: eq)...])
            if value.hasPrefix("'") && value.hasSuffix("'") && value.count >= 2 {
                value = String(value.dropFirst().dropLast()).replacing("'\\''", with: "'")
            }
            return (name, value)
        }
    }

    static func answers(_ endpoint: String) -> Bool {
        guard let url = RequestURL(endpoint + "/_emulator/health"),
              let transport = try? ConnectionFactory.plainTransport(connectTimeout: 1, totalTimeout: 2),
              let response = try? transport.send(HTTPRequest(method: "GET", url: url)) else { return false }
        return response.status == 200
    }

    static func waitUntilAnswering(_ dir: String, pid: pid_t, timeout: Double) -> Running? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            var status: Int32 = 0
            // Reap it if it already died (a bad flag, a port in use): no point waiting out the timeout.
            if waitpid(pid, &status, WNOHANG) == pid { return nil }
            if read("\(dir)/endpoint") != nil, let running = running(dir), running.pid == pid { return running }
            usleep(100_000)
        }
        return nil
    }

    /// SIGTERM, then SIGKILL if it is still alive after `timeout` seconds; false when it had to be killed.
    static func stop(_ pid: pid_t, timeout: Double) -> Bool {
        kill(pid, SIGTERM)
        let deadline = Date().addingTimeInterval(timeout)
        while isAlive(pid) && Date() < deadline { usleep(50_000) }
        guard isAlive(pid) else { return true }
        kill(pid, SIGKILL)
        return false
    }

    static func clearRunningFiles(_ dir: String) {
        for name in ["pid", "endpoint", "port"] { try? FileManager.default.removeItem(atPath: "\(dir)/\(name)") }
    }

    static func logTail(_ dir: String) -> String {
        guard let text = read("\(dir)/emulator.log") else { return "" }
        return text.split(separator: "\n").suffix(3).joined(separator: " | ")
    }

    /// `--emulator-binary`/MEDIACTL_EMULATOR_BIN, else next to this mediactl, else the first on PATH.
    static func binary(explicit: String?, environment: [String: String]) throws(MediaError) -> String {
        if let explicit {
            guard FileManager.default.isExecutableFile(atPath: explicit) else { throw .usage("--emulator-binary \(explicit): not an executable file") }
            return explicit
        }
        if let exe = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            let sibling = parentDirectory(of: exe) + "/mediactl-emulator"
            if FileManager.default.isExecutableFile(atPath: sibling) { return sibling }
        }
        for dir in (environment["PATH"] ?? "").split(separator: ":") {
            let candidate = "\(dir)/mediactl-emulator"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw .config("mediactl-emulator was not found next to mediactl or on PATH; build it with "
            + "`swift build --product mediactl-emulator`, or name it with --emulator-binary")
    }

    /// Starts it in its own session (so a closing terminal's SIGHUP does not reach it), stdin from
    /// /dev/null, stdout and stderr appended to emulator.log in the state directory.
    static func spawn(binary: String, arguments: [String], dir: String) throws(MediaError) -> pid_t {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .config("cannot create the state directory \(dir): \(fileErrorReason(error))")
        }
        clearRunningFiles(dir)
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, "\(dir)/emulator.log", O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        // Nothing else may leak into a long-lived child: a caller that watches for our exit through an
        // inherited descriptor (Foundation's Process keeps a socket in its child) would wait for the emulator.
        for fd in openDescriptors() where fd > 2 { posix_spawn_file_actions_addclose(&actions, fd) }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(&attributes, posixSpawnSetSID)
        let argv = ([binary] + arguments).map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        var pid: pid_t = 0
        let rc = posix_spawn(&pid, binary, &actions, &attributes, argv, environ)
        guard rc == 0 else { throw .config("cannot start \(binary): \(String(cString: strerror(rc)))") }
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
