// ffmpeg and ffprobe as the emulator's media engine: finding them, running them, and reading what ffprobe reports.
import Foundation
import MediaKit

/// The two programs real media processing needs. Their presence switches it on in `mediactl-emulator serve`.
public struct MediaTools: Sendable, Equatable {
    public let ffmpeg: String
    public let ffprobe: String

    public init(ffmpeg: String, ffprobe: String) {
        self.ffmpeg = ffmpeg
        self.ffprobe = ffprobe
    }

    /// ffmpeg and ffprobe from `PATH` (the Debian package puts them in /usr/bin); nil when either is missing.
    public static func find(environment: [String: String] = ProcessInfo.processInfo.environment) -> MediaTools? {
        let dirs = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").map(String.init)
        func which(_ name: String) -> String? {
            dirs.lazy.map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        }
        guard let ffmpeg = which("ffmpeg"), let ffprobe = which("ffprobe") else { return nil }
        return MediaTools(ffmpeg: ffmpeg, ffprobe: ffprobe)
    }

    /// The encoders this ffmpeg has (`libx264`, `libx265`, `aac`, ...), from `ffmpeg -encoders`.
    public func encoders() -> Set<String> {
        guard let run = try? ToolRun.run(ffmpeg, ["-hide_banner", "-encoders"], in: URL(fileURLWithPath: NSTemporaryDirectory())),
              run.status == 0 else { return [] }
        return Set(run.stdout.split(separator: "\n").compactMap { line in
            line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first.map(String.init)
        })
    }

    /// Streams and duration of a media file, from `ffprobe -show_streams -show_format`.
    public func probe(_ file: URL) throws(MediaTaskError) -> MediaProbe {
        let run: ToolRun
        do {
            run = try ToolRun.run(ffprobe, ["-v", "error", "-print_format", "json", "-show_streams", "-show_format", file.path],
                                  in: file.deletingLastPathComponent())
        } catch { throw MediaTaskError("cannot run ffprobe: \(error)") }
        guard run.status == 0, let json = try? JSONParser.parse(run.stdout) else {
            throw MediaTaskError("ffprobe cannot read \(file.lastPathComponent): \(run.lastErrorLine ?? "exit status \(run.status)")")
        }
        let streams = json["streams"]?.arrayValue ?? []
        let video = streams.first { $0["codec_type"]?.stringValue == "video" }
        let duration = json["format"]?["duration"]?.stringValue.flatMap(Double.init)
        return MediaProbe(width: video?["width"]?.intValue, height: video?["height"]?.intValue,
                          hasAudio: streams.contains { $0["codec_type"]?.stringValue == "audio" }, duration: duration)
    }
}

public struct MediaProbe: Sendable, Equatable {
    public let width: Int?
    public let height: Int?
    public let hasAudio: Bool
    public let duration: Double?
}

/// A task's reason for failing, as the job reports it.
public struct MediaTaskError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// One finished run of a program. Output goes to files, not pipes (corelibs Foundation's pipes are racy
/// under many concurrent processes), and is read back after exit.
struct ToolRun {
    let status: Int32
    let stdout: String
    let stderr: String
    let seconds: Double

    /// The last non-empty line of stderr: ffmpeg's own words for what went wrong.
    var lastErrorLine: String? {
        stderr.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.last { !$0.isEmpty }
    }

    static func run(_ program: String, _ arguments: [String], in directory: URL) throws -> ToolRun {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("mediactl-tool-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let out = scratch.appendingPathComponent("stdout"), err = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: out), errHandle = try FileHandle(forWritingTo: err)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        p.currentDirectoryURL = directory
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = outHandle
        p.standardError = errHandle
        let started = Date()
        try p.run()
        p.waitUntilExit()
        let seconds = Date().timeIntervalSince(started)
        try? outHandle.close()
        try? errHandle.close()
        let text = { (url: URL) in (try? String(contentsOf: url, encoding: .utf8)) ?? "" }
        return ToolRun(status: p.terminationStatus, stdout: text(out), stderr: text(err), seconds: seconds)
    }
}

extension Array where Element == String {
    /// The command as one shell line (what the emulator logs, so a person or bench/ can run it again).
    var shellLine: String { map(ShellQuoting.quoted).joined(separator: " ") }
}
