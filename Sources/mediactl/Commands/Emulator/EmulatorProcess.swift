// The background `mediactl-emulator`, seen through the files it writes in its state directory, and how it is started.
import FoundationEssentials
import MediaKit
import TerminalKit

/// The background process, seen through the files `mediactl-emulator` writes in its state directory
/// (pid, endpoint, env), and the one health call that proves it answers.
enum EmulatorProcess {
    struct Running {
        let pid: Int32
        let endpoint: String
        let environment: [(String, String)]
    }

    static func read(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimming(.whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// The pid in the pid file, if that process is alive and is a mediactl-emulator (pids get reused).
    static func pid(_ dir: String) -> Int32? {
        guard let text = read("\(dir)/pid"), let pid = Int32(text), pid > 0, Processes.isAlive(pid) else { return nil }
        if let cmdline = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"),
           !String(decoding: cmdline, as: UTF8.self).contains("mediactl-emulator") {
            return nil
        }
        return pid
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

    static func waitUntilAnswering(_ dir: String, pid: Int32, timeout: Double) -> Running? {
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            // Reap it if it already died (a bad flag, a port in use): no point waiting out the timeout.
            if Processes.reapIfExited(pid) { return nil }
            if read("\(dir)/endpoint") != nil, let running = running(dir), running.pid == pid { return running }
            Processes.sleep(seconds: 0.1)
        }
        return nil
    }

    /// SIGTERM, then SIGKILL if it is still alive after `timeout` seconds; false when it had to be killed.
    static func stop(_ pid: Int32, timeout: Double) -> Bool {
        Processes.send(.terminate, to: pid)
        let deadline = Date().addingTimeInterval(timeout)
        while Processes.isAlive(pid) && Date() < deadline { Processes.sleep(seconds: 0.05) }
        guard Processes.isAlive(pid) else { return true }
        Processes.send(.kill, to: pid)
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
    static func spawn(binary: String, arguments: [String], dir: String) throws(MediaError) -> Int32 {
        do {
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .config("cannot create the state directory \(dir): \(fileErrorReason(error))")
        }
        clearRunningFiles(dir)
        do throws(SystemError) {
            return try Processes.spawnDetached(binary, arguments: arguments, logFile: "\(dir)/emulator.log")
        } catch {
            throw .config("cannot start \(binary): \(error.message)")
        }
    }
}
