// Runs the built `mediactl` binary as a user would: real argv, environment, stdin and exit code.
import Foundation

public struct CLIResult: Sendable {
    public let status: Int32
    public let stdout: String
    public let stderr: String
    public var stdoutLines: [String] { stdout.split(separator: "\n").map(String.init) }
}

public enum CLIRunner {
    /// The mediactl binary next to the test bundle (swift build puts both in one products folder),
    /// or $MEDIACTL_BIN.
    public static var binary: String {
        if let explicit = ProcessInfo.processInfo.environment["MEDIACTL_BIN"] { return explicit }
        let exe = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")) ?? CommandLine.arguments[0]
        var dir = URL(fileURLWithPath: exe).deletingLastPathComponent()
        // Test bundles may live one level down (.xctest directories on some platforms).
        for _ in 0..<3 {
            let candidate = dir.appendingPathComponent("mediactl").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
            dir = dir.deletingLastPathComponent()
        }
        return "mediactl"
    }

    /// Runs the binary with stdin, stdout and stderr on temporary files (not pipes: corelibs
    /// Foundation's pipe handling is racy when many tests spawn processes at once).
    /// `executable` replaces the binary (e.g. a wrapper such as setpriv that then runs it).
    public static func run(_ arguments: [String], environment: [String: String], stdin: String? = nil,
                           timeout: Double = 60, executable: String? = nil) throws -> CLIResult {
        let dir = TemporaryDirectory()
        let inPath = dir.write("stdin", stdin ?? "")
        let outPath = dir.write("stdout", ""), errPath = dir.write("stderr", "")
        guard let input = FileHandle(forReadingAtPath: inPath), let out = FileHandle(forWritingAtPath: outPath),
              let err = FileHandle(forWritingAtPath: errPath) else { throw RunnerError.files }
        defer { try? input.close(); try? out.close(); try? err.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable ?? binary)
        process.arguments = arguments
        process.environment = environment
        process.standardInput = input
        process.standardOutput = out
        process.standardError = err
        // Spawning can fail transiently (EAGAIN, ETXTBSY) while many tests spawn at once.
        var attempt = 0
        while true {
            do { try process.run(); break } catch {
                attempt += 1
                if attempt >= 5 { throw error }
                usleep(100_000)
            }
        }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(5_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus,
                         stdout: String(decoding: FileManager.default.contents(atPath: outPath) ?? Data(), as: UTF8.self),
                         stderr: String(decoding: FileManager.default.contents(atPath: errPath) ?? Data(), as: UTF8.self))
    }

    enum RunnerError: Error { case files }
}
