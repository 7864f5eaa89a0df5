// TerminalKit against the real system: files made on disk, children really spawned, signalled and reaped.
// Readline, echo-off secrets, the signal handlers and the standard streams belong to the process and its terminal:
// the tests of the built binary cover them (Tests/mediactlTests/PromptTests.swift on a pseudo-terminal,
// VideoSecretsAndErrorsTests.swift, ReliabilityTests.swift, and every test that reads the binary's output).
import Foundation
import Testing
import TerminalKit

@Suite struct FileSystemTests {
    let dir: String = {
        let path = NSTemporaryDirectory() + "terminalkit-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test func statusSaysKindSizeAndPermissions() throws {
        let file = dir + "/a.txt"
        try Data("hello, world".utf8).write(to: URL(fileURLWithPath: file))
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file)
        let status = try FileSystem.status(file)
        #expect(status.kind == .regular && status.size == 12 && status.permissions == 0o640, "\(status)")
        #expect(status.isOpenToOthers)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        #expect(try !FileSystem.status(file).isOpenToOthers)
        #expect(try FileSystem.status(dir).kind == .directory)
        #expect(try FileSystem.status("/dev/null").kind == .other)
    }

    @Test func aMissingPathIsItsErrnoWithTheCLibrarysMessage() {
        let missing = dir + "/missing"
        #expect(throws: SystemError(code: ENOENT)) { try FileSystem.status(missing) }
        #expect(throws: SystemError(code: ENOENT)) { try FileSystem.checkReadable(missing) }
        #expect(throws: SystemError(code: ENOENT)) { try FileSystem.rename(missing, to: dir + "/b") }
        #expect(SystemError(code: ENOENT).message == "No such file or directory")
        #expect(SystemError(code: EACCES).message == "Permission denied")
    }

    @Test func renameReplacesTheDestinationAndRemoveIgnoresAMissingFile() throws {
        let from = dir + "/new", to = dir + "/old"
        try Data("new".utf8).write(to: URL(fileURLWithPath: from))
        try Data("old, longer".utf8).write(to: URL(fileURLWithPath: to))
        try FileSystem.checkReadable(from)
        try FileSystem.rename(from, to: to)
        #expect(!FileManager.default.fileExists(atPath: from))
        #expect(try String(contentsOfFile: to, encoding: .utf8) == "new")
        FileSystem.removeIfPresent(to)
        #expect(!FileManager.default.fileExists(atPath: to))
        FileSystem.removeIfPresent(to)
    }
}

@Suite struct ProcessesTests {
    let dir: String = {
        let path = NSTemporaryDirectory() + "terminalkit-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    func waitFor(_ seconds: Double = 10, _ condition: () -> Bool) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline { if condition() { return true }; Processes.sleep(seconds: 0.02) }
        return condition()
    }

    /// Field `n` (1-based, after the command name) of /proc/PID/stat: 1 is the state, 4 the session.
    func procStat(_ pid: Int32, _ n: Int) -> String? {
        guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8), let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        return fields.count >= n ? String(fields[n - 1]) : nil
    }

    @Test func aDetachedChildHasItsOwnSessionNullStdinTheLogAndNoOtherDescriptor() throws {
        let log = dir + "/child.log"
        // A descriptor of ours the child must not inherit.
        let ours = FileHandle(forReadingAtPath: "/etc/hostname")
        defer { try? ours?.close() }
        let pid = try Processes.spawnDetached("/bin/sh", arguments: ["-c", "echo out; echo err >&2; read line; echo read=$?; exec sleep 30"],
                                              logFile: log)
        defer { Processes.send(.kill, to: pid); _ = waitFor { Processes.reapIfExited(pid) } }
        #expect(pid > 0 && pid != Processes.currentID)
        #expect(waitFor { (try? String(contentsOfFile: log, encoding: .utf8))?.contains("read=") == true })
        // stdin was /dev/null, so `read` met its end at once (status 1); stdout and stderr both went to the log.
        #expect(try String(contentsOfFile: log, encoding: .utf8) == "out\nerr\nread=1\n")
        #expect(try FileSystem.status(log).permissions == 0o600)
        #expect(procStat(pid, 4) == String(pid), "the child leads a session of its own")
        #expect(waitFor { (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/exe"))?.hasSuffix("sleep") == true })
        let fds = try FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").sorted()
        #expect(fds == ["0", "1", "2"])
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(pid)/fd/0") == "/dev/null")
        // No signal blocked, whatever this test thread blocks.
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        #expect(status.split(separator: "\n").contains("SigBlk:\t0000000000000000"), "\(status)")
        #expect(Processes.isAlive(pid))
        #expect(!Processes.reapIfExited(pid))
    }

    @Test func terminateStopsItAndAnExitedUnreapedChildIsNotAlive() throws {
        let pid = try Processes.spawnDetached("/bin/sleep", arguments: ["30"], logFile: dir + "/sleep.log")
        #expect(Processes.isAlive(pid))
        #expect(Processes.send(.terminate, to: pid))
        // Exited but not yet reaped: a zombie, which does not count as alive.
        #expect(waitFor { procStat(pid, 1) == "Z" })
        #expect(!Processes.isAlive(pid))
        #expect(Processes.reapIfExited(pid))
        #expect(!Processes.isAlive(pid))
        #expect(!Processes.send(.terminate, to: pid), "no such process once reaped")
    }

    @Test func aMissingExecutableIsItsErrno() {
        #expect(throws: SystemError(code: ENOENT)) {
            try Processes.spawnDetached(dir + "/no-such-program", arguments: [], logFile: dir + "/x.log")
        }
        #expect(!Processes.isAlive(0) && !Processes.isAlive(-1))
        #expect(Processes.isAlive(Processes.currentID))
        #expect(Processes.currentID == ProcessInfo.processInfo.processIdentifier)
    }

    @Test func sleepWaitsAboutAsLongAsAsked() {
        let start = Date()
        Processes.sleep(seconds: 0.15)
        let elapsed = Date().timeIntervalSince(start)
        #expect(elapsed >= 0.14 && elapsed < 2, "\(elapsed)")
        Processes.sleep(seconds: 0)
        Processes.sleep(seconds: -1)
    }
}
