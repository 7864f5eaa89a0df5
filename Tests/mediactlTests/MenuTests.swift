// The menu (`mediactl` alone on a terminal) carries on through the lab: the next step is the default choice,
// each id a step printed is the next prompt's default, and an archive with no session first makes one.
// In-process with scripted answers; the pty run of the menu is in PromptTests.
import Foundation
import Testing
import TestSupport
@testable import mediactl

@Suite struct MenuTests {
    @Test func theWorkflowJustBuiltIsTheJobPromptsDefault() throws {
        let h = try EmulatorHarness()
        let r = InProcess.run([], env: h.environment, terminal: .interactive,
                              answers: ["", "", "", "in", "out", "ns", "clip.mp4", "p1", "q"])
        let workflow = try #require(h.emulator.requests.first { $0.method == "POST" && $0.path.hasSuffix("/mediaWorkflows") }.flatMap { _ in
            r.stdout.split(separator: "\n").first { $0.contains("ocid1.mediaworkflow.") }
        })
        let id = String(workflow.split(separator: " ").first { $0.hasPrefix("ocid1.mediaworkflow.") } ?? "")
        #expect(r.prompts.first == "choice [build]: ")
        #expect(r.prompts.contains("choice [run]: "), "after build, run is the default: \(r.prompts)")
        #expect(r.prompts.contains { $0.contains("[\(id)]: ") }, "the workflow just built is offered: \(r.prompts)")
        #expect(r.stderr.contains("Next: run a job and wait for it"))
    }

    @Test func anArchiveWithNoSessionFirstCreatesOneAndOffersIt() throws {
        let h = try OpenTokHarness()
        let r = InProcess.run([], env: h.environment, terminal: .interactive, answers: ["archive-start", "", "", "q"])
        #expect(r.prompts.contains("An archive records a video session: create one first? [Y/n]: "), "\(r.prompts)")
        let prompt = try #require(r.prompts.first { $0.hasPrefix("Session ID [") }, "\(r.prompts) \(r.stderr)")
        let session = String(prompt.dropFirst("Session ID [".count).prefix { $0 != "]" })
        #expect(session.count > 20 && r.stdout.contains(session), "the session the menu created is offered: \(session)")
    }

    @Test func ctrlDAtTheFirstChoiceCancelsAndQAfterAStepEndsWithItsCode() throws {
        let h = try EmulatorHarness()
        let cancelled = InProcess.run([], env: h.environment, terminal: .interactive, answers: [])
        #expect(cancelled.status == 2)
        #expect(cancelled.stderr.contains("Cancelled."))
        let built = InProcess.run([], env: h.environment, terminal: .interactive, answers: ["build", "q"])
        #expect(built.status == 0, "\(built.stderr)")
        let bad = InProcess.run([], env: h.environment, terminal: .interactive, answers: ["bogus", "build", "quit"])
        #expect(bad.stderr.contains("'bogus' is not one of: build, run"))
        #expect(bad.status == 0)
    }
}
