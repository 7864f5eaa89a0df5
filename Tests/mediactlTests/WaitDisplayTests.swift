// What a person sees while a job runs and when it ends (issue 18): the running task, tasks done and the time so
// far on a terminal; a line per task change without one; the duration and the master playlist at the end; one line
// per failed task with its first cause.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct WaitDisplayTests {
    static func workflow(_ h: EmulatorHarness) throws -> String {
        let r = try h.run(["workflow", "build", "--output", "id"])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdoutLines[0]
    }

    static let lab = ["--source-bucket", "in", "--destination-bucket", "out", "--namespace", "ns", "--source-video", "clip.mp4",
                      "--output-prefix", "run1", "--wait"]

    @Test func aTerminalShowsTheRunningTaskTasksDoneAndElapsedTime() throws {
        let h = try EmulatorHarness(pollsInProgress: 3)
        let wf = try Self.workflow(h)
        var env = h.environment
        env["LANG"] = "C.UTF-8"
        let pty = try PseudoTerminalSession(["job", "run", "--workflow-id", wf] + Self.lab, environment: env)
        #expect(pty.waitForExit() == 0, "\(pty.output)")
        let out = pty.output
        #expect(out.contains("▸"), "task progress on the spinner line: \(out)")
        #expect(out.range(of: #"[a-zA-Z]+ ▸ \d+/\d+ · 00:\d\d"#, options: .regularExpression) != nil, "\(out)")
        #expect(["⠋", "⠙", "⠹"].contains { out.contains($0) }, "braille spinner in a UTF-8 terminal")
        #expect(out.range(of: #"job ocid1\.mediaworkflowjob\.\S+ SUCCEEDED in 00:\d\d; master playlist: out/\S+-master\.m3u8"#,
                          options: .regularExpression) != nil, "\(out)")
    }

    @Test func withoutATerminalEachTaskChangeIsOneLine() throws {
        let h = try EmulatorHarness(pollsInProgress: 2)
        let wf = try Self.workflow(h)
        let r = try h.run(["job", "run", "--workflow-id", wf] + Self.lab)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n").map(String.init).filter { $0.contains("job ocid1.mediaworkflowjob") }
        // Timestamped lines, no spinner control characters, no two the same in a row.
        #expect(!r.stderr.contains("\u{1B}["))
        #expect(lines.contains { $0.range(of: #"IN_PROGRESS \S+ ▸ \d+/\d+ \(00:\d\d\)"#, options: .regularExpression) != nil }, "\(r.stderr)")
        #expect(zip(lines, lines.dropFirst()).allSatisfy { $0 != $1 })
        #expect(lines.last?.contains("SUCCEEDED in 00:") == true, "\(r.stderr)")
        #expect(lines.last?.contains("master playlist: out/") == true, "\(r.stderr)")
    }

    @Test func aFailedJobSaysWhichTaskFailedOnceAndSummarisesTheCanceledOnes() throws {
        let h = try EmulatorHarness(pollsInProgress: 1)
        let wf = try Self.workflow(h)
        h.emulator.addJobFault(JobFaultRule(target: .job(nil, task: "transcode"), message: "transcode failed: unsupported codec"))
        let r = try h.run(["job", "run", "--workflow-id", wf] + Self.lab)
        #expect(r.status == 9, "\(r.stderr)")
        let errors = r.stderr.split(separator: "\n").filter { $0.hasPrefix("error:") }
        #expect(errors.count == 1, "\(r.stderr)")
        let error = String(errors.first ?? "")
        #expect(error.contains("FAILED in task transcode: transcode failed: unsupported codec"), "\(error)")
        #expect(error.components(separatedBy: "unsupported codec").count == 2, "the cause once: \(error)")
        #expect(r.stderr.range(of: #"\d+ follow-on tasks? canceled: "#, options: .regularExpression) != nil, "\(r.stderr)")
    }
}
