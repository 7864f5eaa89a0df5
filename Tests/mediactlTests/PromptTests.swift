// Prompts through a real pseudo-terminal: missing values asked for, a bad OCID asked again,
// Tab completion of choices and of OCIDs from history, Ctrl-D and Ctrl-C cancelling cleanly.
import Foundation
import Testing
import TestSupport

@Suite(.serialized) struct PromptTests {
    @Test func aMissingValueIsPromptedAndABadOCIDAskedAgain() throws {
        let h = try EmulatorHarness()
        h.environment["MEDIACTL_COMPARTMENT_ID"] = nil
        let pty = try PseudoTerminalSession(["channel", "build", "--output", "id"], environment: h.environment)
        #expect(pty.expect("Compartment OCID: "))
        pty.send("not-an-ocid\r")
        #expect(pty.expect("is not an OCID"))
        #expect(pty.expect("try again (Ctrl-D cancels)"))
        let mark = pty.output.count
        pty.send("ocid1.compartment.oc1..aaaaprompted\r")
        #expect(pty.waitForExit() == 0, "\(pty.output)")
        #expect(pty.expect("ocid1.streamdistributionchannel.", after: mark))
        #expect(h.emulator.requests.filter { $0.method == "POST" }.count == 3, "only the good answer was sent")
        #expect(pty.terminalIsSane)
        // The answer went into the compartment prompts' own history, for the next run's up-arrow; and into the ids Tab offers.
        let history = try String(contentsOfFile: "\(h.dir.path)/.state/mediactl/prompt-history/compartment", encoding: .utf8)
        #expect(history.contains("ocid1.compartment.oc1..aaaaprompted"))
        #expect(!history.contains("not-an-ocid"), "rejected answers are not remembered")
        let recent = try String(contentsOfFile: "\(h.dir.path)/.state/mediactl/recent-ids.json", encoding: .utf8)
        #expect(recent.contains("ocid1.compartment.oc1..aaaaprompted") && !recent.contains("not-an-ocid"))
    }

    @Test func theMenuOffersTheLabsChoicesWithTabCompletion() throws {
        let h = try EmulatorHarness()
        h.environment["MEDIACTL_COMPARTMENT_ID"] = nil
        // A compartment typed in an earlier run: Tab completes it; a bucket typed earlier is in another history.
        let first = try PseudoTerminalSession(["job", "run", "--workflow-id", "ocid1.mediaworkflow.oc1..aaaa",
                                                       "--compartment-id", "ocid1.compartment.oc1..aaaaother"], environment: h.environment)
        #expect(first.expect("Source bucket: "))
        first.send("media-in\r")
        #expect(first.expect("Destination bucket: "))
        first.send("\u{04}")
        #expect(first.waitForExit() == 2)
        let second = try PseudoTerminalSession(["channel", "build", "--output", "id"], environment: h.environment)
        #expect(second.expect("Compartment OCID: "))
        second.send("ocid1.compartment.oc1..aaaafromhistory\r")
        #expect(second.waitForExit() == 0, "\(second.output)")

        let pty = try PseudoTerminalSession([], environment: h.environment)
        #expect(pty.expect("What do you want to do?"))
        #expect(pty.expect("choice [build]: "))
        pty.send("stre\t")
        #expect(pty.expect("stream"))
        pty.send("\r")
        #expect(pty.expect("Compartment OCID: "))
        var mark = pty.output.count
        pty.send("\u{1B}[A")                           // up-arrow: this prompt's history, not the bucket's
        #expect(pty.expect("aaaafromhistory", after: mark))
        #expect(!pty.output.dropFirst(mark).contains("media-in"))
        pty.send("\u{15}ocid1.compartment.oc1..aaaafrom\t")  // Ctrl-U, then Tab completes from the ids seen before
        #expect(pty.expect("aaaafromhistory", after: mark))
        pty.send("\r")
        // The menu carries on: the lab's next step is the default choice.
        #expect(pty.expect("Next: ingest a playlist"))
        #expect(pty.expect("choice [ingest]: "))
        pty.send("q\r")
        #expect(pty.waitForExit() == 0, "\(pty.output)")
        let body = h.emulator.requests.filter { $0.method == "POST" }.suffix(3).first.map { String(decoding: $0.body, as: UTF8.self) } ?? ""
        #expect(body.contains("ocid1.compartment.oc1..aaaafromhistory"))
    }

    @Test func ctrlDCancelsWithExitTwo() throws {
        let h = try EmulatorHarness()
        h.environment["MEDIACTL_COMPARTMENT_ID"] = nil
        let pty = try PseudoTerminalSession(["channel", "build"], environment: h.environment)
        #expect(pty.expect("Compartment OCID: "))
        pty.send("\u{04}")
        #expect(pty.waitForExit() == 2)
        #expect(pty.terminalIsSane)
        #expect(h.requestCount == 0)
    }

    @Test func ctrlCAtAPromptExits130WithTheTerminalRestored() throws {
        let h = try EmulatorHarness()
        h.environment["MEDIACTL_COMPARTMENT_ID"] = nil
        let pty = try PseudoTerminalSession(["channel", "build"], environment: h.environment)
        #expect(pty.expect("Compartment OCID: "))
        pty.send("ocid1.half")
        usleep(200_000)
        pty.interrupt()
        #expect(pty.waitForExit() == 130)
        #expect(pty.terminalIsSane)
        #expect(h.requestCount == 0)
    }

    @Test func noTerminalMeansNoPromptAndAUsageError() throws {
        let h = try EmulatorHarness()
        h.environment["MEDIACTL_COMPARTMENT_ID"] = nil
        let r = try h.run(["channel", "build"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("missing OCID for `mediactl channel build`: give --compartment-id"))
        let pty = try PseudoTerminalSession(["channel", "build", "--no-input"], environment: h.environment)
        #expect(pty.waitForExit() == 64, "--no-input never prompts, even on a terminal")
    }

    @Test func aWaitShowsASpinnerOnATerminalAndRestoresTheCursor() throws {
        let h = try EmulatorHarness(pollsInProgress: 2)
        let channel = try h.run(["channel", "build", "--output", "id"]).stdoutLines[0]
        let pty = try PseudoTerminalSession(["ingest", "--channel-id", channel, "--namespace", "n", "--bucket", "b", "--object", "m.m3u8"],
                                            environment: h.environment)
        #expect(pty.waitForExit() == 0, "\(pty.output)")
        let out = pty.output
        #expect(out.contains("\u{1B}[?25l"), "cursor hidden while spinning")
        #expect(out.contains("ingest job ocid1.mediaworkflowjob."))
        #expect(out.contains("\u{1B}[?25h"), "cursor shown again")
        #expect(out.contains("Ingest completed."))
    }

    @Test func ctrlCDuringAWaitExits130AndSaysWhatExists() throws {
        let h = try EmulatorHarness(pollsInProgress: 1000)
        let channel = try h.run(["channel", "build", "--output", "id"]).stdoutLines[0]
        let pty = try PseudoTerminalSession(["ingest", "--channel-id", channel, "--namespace", "n", "--bucket", "b", "--object", "m.m3u8"],
                                            environment: h.environment)
        #expect(pty.expect("IN_PROGRESS"))
        let started = Date()
        pty.interrupt()
        #expect(pty.waitForExit(timeout: 5) == 130)
        #expect(Date().timeIntervalSince(started) < 2, "stops promptly")
        let out = pty.output
        #expect(out.contains("Created media asset ocid1.mediaasset."))
        // The ingest job runs on: the message names it and the commands that check and stop it.
        let job = try #require(out.range(of: #"interrupted while waiting for ingest job (ocid1\.mediaworkflowjob\.\S+): it keeps running at the service"#,
                                          options: .regularExpression), "\(out)")
        let id = String(out[job].split(separator: " ")[6].dropLast())
        #expect(out.contains("check it with `mediactl job get \(id)`, stop it with `mediactl job delete \(id)`"), "\(out)")
        #expect(out.hasSuffix("\u{1B}[?25h") || out.contains("\u{1B}[?25h"), "cursor shown again")
        #expect(pty.terminalIsSane)
    }

    @Test func colourOnlyOnATerminalAndNeverWithNoColor() throws {
        let h = try EmulatorHarness()
        let tty = try PseudoTerminalSession(["job", "get", "ocid1.nope"], environment: h.environment)
        #expect(tty.waitForExit() == 64)
        #expect(tty.output.contains("\u{1B}[31merror:\u{1B}[0m"))
        let noColor = try PseudoTerminalSession(["job", "get", "ocid1.nope"], environment: h.environment.merging(["NO_COLOR": "1"]) { _, n in n })
        #expect(noColor.waitForExit() == 64)
        #expect(noColor.output.contains("error: ID:") && !noColor.output.contains("\u{1B}["))
        let piped = try h.run(["job", "get", "ocid1.nope"])
        #expect(piped.stderr.hasPrefix("error: ID:"), "no colour without a terminal")
    }
}
