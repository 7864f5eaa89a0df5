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

    public static func run(_ arguments: [String], environment: [String: String], stdin: String? = nil,
                           timeout: Double = 60) throws -> CLIResult {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.environment = environment
        let out = Pipe(), err = Pipe(), input = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = input
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try? input.fileHandleForWriting.close()
        // Read both pipes concurrently so a chatty child never blocks on a full pipe.
        let group = DispatchGroup()
        nonisolated(unsafe) var outData = Data()
        nonisolated(unsafe) var errData = Data()
        group.enter()
        DispatchQueue.global().async { outData = out.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        group.enter()
        DispatchQueue.global().async { errData = err.fileHandleForReading.readDataToEndOfFile(); group.leave() }
        let deadline = Date().addingTimeInterval(timeout)
        while process.isRunning && Date() < deadline { usleep(10_000) }
        if process.isRunning { process.terminate() }
        group.wait()
        process.waitUntilExit()
        return CLIResult(status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
                         stderr: String(decoding: errData, as: UTF8.self))
    }
}
