// `mediactl emulator start|stop|status`: runs `mediactl-emulator` in the background and prints how to point mediactl at it.
import FoundationEssentials
import Glibc
import MediaKit

enum EmulatorCommands {
    static let group = CommandSpec(
        name: "emulator", summary: "A local Media Services, Media Streams and OpenTok emulator for offline work and CI",
        description: "Runs the `mediactl-emulator` binary (next to mediactl, or on PATH) in the background on a loopback port, "
            + "with a throw-away API key and an OCI config profile EMULATOR in its state directory.\n"
            + "Point mediactl at it with: eval \"$(mediactl emulator start)\"",
        examples: ["eval \"$(mediactl emulator start)\" && mediactl workflow build",
                   "mediactl emulator status --output json",
                   "mediactl emulator stop"],
        subcommands: [start, stop, status])

    static let stateDirFlag = FlagSpec(name: "state-dir", kind: .file, meta: "DIR",
                                       help: "the emulator's state directory (default $XDG_STATE_HOME/mediactl/emulator)",
                                       env: "MEDIACTL_EMULATOR_STATE_DIR", fromDefaultsFile: false)

    static let start = CommandSpec(
        name: "start", summary: "Start the emulator in the background and print the `export` lines that point mediactl at it",
        description: "Waits until it answers. If one is already running on the state directory, prints its settings again. "
            + "Its state (SQLite) survives restarts; its log is emulator.log in the state directory.",
        examples: ["eval \"$(mediactl emulator start --port 0)\"", "mediactl emulator start --output json"],
        flags: [FlagSpec(name: "port", kind: .integer(0...65535), meta: "N", help: "loopback port (0 picks a free one)",
                         env: "MEDIACTL_EMULATOR_PORT", defaultValue: "0", fromDefaultsFile: false),
                stateDirFlag,
                FlagSpec(name: "job-seconds", kind: .number(0...86_400), meta: "SECONDS",
                         help: "how long a simulated job takes from ACCEPTED to SUCCEEDED", defaultValue: "6", fromDefaultsFile: false),
                FlagSpec(name: "simulate-media", kind: .bool,
                         help: "simulate jobs on the clock instead of running ffmpeg on the emulator's objects (the default without ffmpeg)",
                         fromDefaultsFile: false),
                FlagSpec(name: "emulator-binary", kind: .file, meta: "PATH", help: "the mediactl-emulator to run (default: next to mediactl, else PATH)",
                         env: "MEDIACTL_EMULATOR_BIN", fromDefaultsFile: false),
                CommonFlags.timeout(default: 30).spec],
        action: { inv throws(MediaError) in
            let dir = try inv.emulatorStateDirectory()
            if let running = EmulatorProcess.running(dir) {
                inv.io.progress("The emulator is already running at \(running.endpoint) (pid \(running.pid)).")
                inv.renderEmulator(running, dir: dir)
                return
            }
            let binary = try EmulatorProcess.binary(explicit: try inv.string("emulator-binary"), environment: inv.environment)
            let port = try inv.int("port") ?? 0
            let jobSeconds = try inv.string("job-seconds") ?? "6"
            let timeout = try inv.double("timeout") ?? 30
            let simulate = try inv.bool("simulate-media") ? ["--simulate-media"] : []
            let pid = try EmulatorProcess.spawn(binary: binary, arguments: ["serve", "--port", String(port), "--state", dir,
                                                                            "--job-seconds", jobSeconds] + simulate, dir: dir)
            inv.io.progress("Started \(binary) (pid \(pid)); log: \(dir)/emulator.log")
            guard let running = EmulatorProcess.waitUntilAnswering(dir, pid: pid, timeout: timeout) else {
                let tail = EmulatorProcess.logTail(dir)
                throw .network("the emulator did not answer within \(Int(timeout)) s" + (tail.isEmpty ? "" : "; its log ends: \(tail)"))
            }
            inv.io.progress("The emulator answers at \(running.endpoint).")
            inv.renderEmulator(running, dir: dir)
        })

    static let stop = CommandSpec(
        name: "stop", summary: "Stop the background emulator (SIGTERM; its state is kept)",
        flags: [stateDirFlag, CommonFlags.timeout(default: 10).spec],
        action: { inv throws(MediaError) in
            let dir = try inv.emulatorStateDirectory()
            guard let pid = EmulatorProcess.pid(dir) else {
                inv.io.progress("No emulator is running on \(dir).")
                return
            }
            let timeout = try inv.double("timeout") ?? 10
            kill(pid, SIGTERM)
            let deadline = Date().addingTimeInterval(timeout)
            while EmulatorProcess.isAlive(pid) && Date() < deadline { usleep(50_000) }
            if EmulatorProcess.isAlive(pid) {
                kill(pid, SIGKILL)
                inv.io.warn("the emulator (pid \(pid)) did not stop within \(Int(timeout)) s; killed it")
            }
            EmulatorProcess.clearRunningFiles(dir)
            inv.io.progress("Stopped the emulator (pid \(pid)).")
        })

    static let status = CommandSpec(
        name: "status", summary: "Say whether the emulator is running, where, and how to point mediactl at it (exit 1 if not)",
        flags: [stateDirFlag],
        action: { inv throws(MediaError) in
            let dir = try inv.emulatorStateDirectory()
            guard let running = EmulatorProcess.running(dir) else {
                if inv.outputFormat == "json" {
                    inv.io.out(JSONValue.object([("running", false), ("stateDir", .string(dir))]).prettyText)
                } else {
                    inv.io.progress("The emulator is not running (state directory \(dir)).")
                }
                throw .reported(.failed("the emulator is not running"))
            }
            inv.io.progress("The emulator is running at \(running.endpoint) (pid \(running.pid)).")
            inv.renderEmulator(running, dir: dir)
        })
}

extension Invocation {
    /// `--state-dir` > MEDIACTL_EMULATOR_STATE_DIR > $XDG_STATE_HOME/mediactl/emulator > ~/.local/state/mediactl/emulator.
    func emulatorStateDirectory() throws(MediaError) -> String {
        if let given = try string("state-dir") { return expand(given) }
        return "\(StatePaths.directory(environment: environment, home: home))/emulator"
    }

    /// text: `export` lines for eval; json: one object; id: the endpoint.
    func renderEmulator(_ running: EmulatorProcess.Running, dir: String) {
        switch outputFormat {
        case "json":
            io.out(JSONValue.object([("running", true), ("endpoint", .string(running.endpoint)), ("pid", .int(Int(running.pid))),
                                     ("stateDir", .string(dir)), ("log", .string("\(dir)/emulator.log")),
                                     ("environment", .object(running.environment.map { ($0.0, .string($0.1)) }))]).prettyText)
        case "id":
            io.out(running.endpoint)
        default:
            for (name, value) in running.environment { io.out("export \(name)=\(ShellQuoting.quoted(value))") }
        }
    }
}

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
