// Test media made at test time with ffmpeg, ffprobe's view of files, and the lab workflow with a small ladder.
import EmulatorCore
import Foundation
import MediaKit
import TestSupport

enum MediaSamples {
    static let tools = MediaTools.find()
    static let namespace = "ns"

    /// A `seconds`-long test pattern (with a 440 Hz tone unless `audio` is false), H.264/AAC in MP4.
    static func video(at path: String, seconds: Int = 4, size: String = "640x360", rate: Int = 10, audio: Bool = true) throws {
        var args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-f", "lavfi", "-i", "testsrc2=size=\(size):rate=\(rate)"]
        if audio { args += ["-f", "lavfi", "-i", "sine=frequency=440"] }
        args += ["-t", String(seconds), "-c:v", "libx264", "-pix_fmt", "yuv420p"] + (audio ? ["-c:a", "aac"] : []) + [path]
        let run = try tool(tools?.ffmpeg ?? "ffmpeg", args)
        guard run.status == 0 else { throw EmulatorTestError("ffmpeg could not make the test video: \(run.stderr)") }
    }

    /// `ffprobe -show_streams -show_format` as JSON. `hls`: the file is a playlist of `.fmp4` segments, which
    /// Debian's ffmpeg 5.1 refuses by extension unless told `-extension_picky 0` (players such as hls.js do not look).
    static func probe(_ path: String, hls: Bool = false) throws -> JSONValue {
        let run = try tool(tools?.ffprobe ?? "ffprobe", ["-v", "error"] + (hls ? ["-extension_picky", "0"] : []) + ["-print_format", "json",
                                                         "-show_streams", "-show_format", path])
        guard run.status == 0 else { throw EmulatorTestError("ffprobe \(path): \(run.stderr)") }
        return try JSONParser.parse(run.stdout)
    }

    /// How long the video stream of `path` plays: from its first frame to the end of its last (fMP4 segments
    /// start where the previous one ended, so the container's duration would count from zero).
    static func videoSeconds(_ path: String) throws -> Double {
        let run = try tool(tools?.ffprobe ?? "ffprobe", ["-v", "error", "-select_streams", "v:0", "-show_entries",
                                                         "packet=pts_time,duration_time", "-print_format", "json", path])
        guard run.status == 0 else { throw EmulatorTestError("ffprobe \(path): \(run.stderr)") }
        let packets = try JSONParser.parse(run.stdout)["packets"]?.arrayValue ?? []
        let spans = packets.compactMap { p -> (Double, Double)? in
            guard let pts = p["pts_time"]?.stringValue.flatMap(Double.init), let d = p["duration_time"]?.stringValue.flatMap(Double.init) else { return nil }
            return (pts, pts + d)
        }
        guard let start = spans.map(\.0).min(), let end = spans.map(\.1).max() else { throw EmulatorTestError("\(path) has no video packets") }
        return end - start
    }

    static func probeImage(_ path: String) throws -> JSONValue {
        let run = try tool(tools?.ffprobe ?? "ffprobe", ["-v", "error", "-print_format", "json", "-show_streams", path])
        guard run.status == 0 else { throw EmulatorTestError("ffprobe \(path): \(run.stderr)") }
        return try JSONParser.parse(run.stdout)
    }

    static func stream(_ probe: JSONValue, _ type: String) -> JSONValue? {
        probe["streams"]?.arrayValue?.first { $0["codec_type"]?.stringValue == type }
    }

    /// The lab's six-task workflow with a two-rendition ladder (180p, 360p) and 2-second segments.
    static var labWorkflowJSON: String {
        LabWorkflow.definitionText
            .replacingOccurrences(of: #""segmentLength": 6"#, with: #""segmentLength": 2"#)
            .replacingOccurrences(of: #""ladder": [{"size": {"height": 360, "resizeMethod": "scale"}}]"#,
                                  with: #""ladder": [{"size": {"height": 180, "resizeMethod": "scale"}}, {"size": {"height": 360, "resizeMethod": "scale"}}]"#)
    }

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func tool(_ program: String, _ arguments: [String]) throws -> Run {
        let dir = TemporaryDirectory()
        let out = "\(dir.path)/out", err = "\(dir.path)/err"
        _ = FileManager.default.createFile(atPath: out, contents: nil)
        _ = FileManager.default.createFile(atPath: err, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: program)
        p.arguments = arguments
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: out))
        p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: err))
        try p.run()
        p.waitUntilExit()
        return Run(status: p.terminationStatus, stdout: (try? String(contentsOfFile: out, encoding: .utf8)) ?? "",
                   stderr: (try? String(contentsOfFile: err, encoding: .utf8)) ?? "")
    }
}

/// A clock tests move forward (the emulator reads it for token expiry and signatures).
final class TestClock: @unchecked Sendable {
    private let lock = NSLock()
    private var offset: TimeInterval = 0
    var now: Date { lock.withLock { Date().addingTimeInterval(offset) } }
    func advance(_ seconds: TimeInterval) { lock.withLock { offset += seconds } }
}
