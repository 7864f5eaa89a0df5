// Ctrl-C during a wait (issue 18): the one-line message says what keeps running at the service and the command that
// shows it (and, for a job, the one that stops it), after the spinner line is cleared; exit 130. Real processes on a
// pseudo-terminal, a real SIGINT, the emulator (or a loopback service that keeps a resource CREATING) behind them.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct InterruptedWaitTests {
    /// The error line comes after the spinner's last clear (`ESC[2K`, cursor shown), with no frame drawn in between.
    static func spinnerClearedBefore(_ message: String, in out: String) -> Bool {
        guard let text = out.range(of: message), let clear = out.range(of: "\u{1B}[2K\u{1B}[?25h", options: .backwards) else { return false }
        guard clear.upperBound <= text.lowerBound else { return false }
        let between = out[clear.upperBound..<text.lowerBound]
        return !between.contains("\r") && !["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧", "⠇", "⠏", "|", "/", "\\"].contains { between.contains($0) }
    }

    /// Ctrl-C, then: exit 130, `message` on the terminal after the spinner's last clear, the terminal sane.
    static func interrupt(_ pty: PseudoTerminalSession, expecting message: String) {
        pty.interrupt()
        #expect(pty.waitForExit(timeout: 5) == 130)
        let out = pty.output
        #expect(out.contains(message), "\(out)")
        #expect(spinnerClearedBefore(message, in: out), "the spinner line is cleared before the message: \(out.debugDescription)")
        #expect(pty.terminalIsSane)
    }

    @Test func ctrlCDuringJobWaitNamesTheJobAndHowToCheckAndStopIt() throws {
        let h = try EmulatorHarness(pollsInProgress: 1000)
        let wf = try h.run(["workflow", "build", "--output", "id"]).stdoutLines[0]
        let run = try h.run(["job", "run", "--workflow-id", wf, "--source-bucket", "in", "--destination-bucket", "out", "--namespace", "ns",
                             "--source-video", "clip.mp4", "--output-prefix", "run1", "--output", "id"])
        #expect(run.status == 0, "\(run.stderr)")
        let job = run.stdoutLines[0]
        #expect(OCID.isValid(job, type: "mediaworkflowjob"), "\(run.stdout)")

        let pty = try PseudoTerminalSession(["job", "wait", job], environment: h.environment)
        #expect(pty.expect("IN_PROGRESS"))
        Self.interrupt(pty, expecting: "interrupted while waiting for job \(job): it keeps running at the service; "
            + "check it with `mediactl job get \(job)`, stop it with `mediactl job delete \(job)`")
        // Nothing was stopped on the person's behalf: the job is still running at the service.
        #expect(!h.emulator.requests.contains { $0.method == "DELETE" })
        let still = try h.run(["job", "get", job, "--output", "json"])
        #expect(still.stdout.contains("\"IN_PROGRESS\""), "\(still.stdout)")
    }

    @Test func ctrlCDuringWaitForStateOfACreateNamesTheResourceAndTheGetCommand() throws {
        let asset = "ocid1.mediaasset.oc1.iad.aaaacreating"
        // A service that created the asset and keeps it CREATING: the wait can only end by the interrupt.
        let server = try LoopbackServer { request in
            let body = #"{"id": "\#(asset)", "displayName": "a", "type": "PLAYLIST", "lifecycleState": "CREATING", "compartmentId": "\#(Fixtures.compartment)"}"#
            if request.method == "POST" && request.path.hasSuffix("/mediaAssets") || request.method == "GET" && request.path.hasSuffix("/mediaAssets/\(asset)") {
                return HTTPResponse(status: 200, headers: [("Content-Type", "application/json"), ("etag", "e1")], body: Data(body.utf8))
            }
            return HTTPResponse(status: 404)
        }
        defer { server.stop() }
        let h = try EmulatorHarness()
        let pty = try PseudoTerminalSession(["asset", "create", "--type", "PLAYLIST", "--bucket", "b", "--object", "m.m3u8", "--namespace", "ns",
                                             "--wait-for-state", "ACTIVE"],
                                            environment: h.environment.merging(["MEDIACTL_ENDPOINT": server.baseURL]) { $1 })
        #expect(pty.expect("CREATING"))
        Self.interrupt(pty, expecting: "interrupted while waiting for media asset \(asset) to be ACTIVE: the operation goes on at the service; "
            + "check it with `mediactl asset get \(asset)`")
    }
}
