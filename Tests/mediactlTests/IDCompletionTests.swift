// Finding ids: those mediactl printed complete by kind (at the shell and at prompts), deleted ones are
// forgotten, secrets are never kept, a live list adds what this user has not printed, and each prompt keeps
// its own history. In-process against the emulators; the shells themselves are in CompletionTests.
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct IDCompletionTests {
    func complete(_ words: [String], env: [String: String]) -> [String] {
        InProcess.run(["__complete"] + words, env: env).stdout.split(separator: "\n").map { String($0.split(separator: "\t").first ?? "") }
    }

    func recentFile(_ env: [String: String]) -> String {
        (try? String(contentsOfFile: "\(env["XDG_STATE_HOME"]!)/mediactl/recent-ids.json", encoding: .utf8)) ?? ""
    }

    @Test func printedIDsCompleteByKindAndDeletedOnesAreForgotten() throws {
        let h = try EmulatorHarness()
        let build = InProcess.run(["workflow", "build", "--output", "id"], env: h.environment)
        #expect(build.status == 0, "\(build.stderr)")
        let workflow = build.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(workflow.hasPrefix("ocid1.mediaworkflow."))
        // No compartment, so no live list: what completes comes from the cache of printed ids alone.
        var offline = h.environment
        offline["MEDIACTL_COMPARTMENT_ID"] = nil
        #expect(complete(["job", "run", "--workflow-id", ""], env: offline) == [workflow])
        #expect(complete(["job", "run", "--workflow-id=ocid1.media"], env: offline) == ["--workflow-id=\(workflow)"])
        #expect(complete(["workflow", "get", ""], env: offline) == [workflow], "a positional id completes too")
        #expect(complete(["channel", "get", ""], env: offline).isEmpty, "a workflow is not offered for a channel")
        #expect(complete(["ingest", "--bucket", ""], env: offline).isEmpty, "nor for a bucket")

        let delete = InProcess.run(["workflow", "delete", workflow, "--yes"], env: h.environment)
        #expect(delete.status == 0, "\(delete.stderr)")
        #expect(complete(["workflow", "get", ""], env: offline).isEmpty, "a deleted id is forgotten")
    }

    @Test func aLiveListAddsIDsThisUserNeverPrintedAndAnAbsentServiceAddsNothing() throws {
        let h = try EmulatorHarness()
        // Made by "someone else": another state folder, so this user's cache does not have it.
        var other = h.environment
        other["XDG_STATE_HOME"] = h.dir.path + "/other-state"
        let workflow = InProcess.run(["workflow", "build", "--output", "id"], env: other).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(workflow.hasPrefix("ocid1.mediaworkflow."))
        let before = h.requestCount
        #expect(complete(["job", "run", "--workflow-id", ""], env: h.environment) == [workflow])
        let listed = h.emulator.requests.dropFirst(before)
        #expect(listed.count == 1 && listed.first?.method == "GET" && listed.first?.path == "/20211101/mediaWorkflows")
        #expect(listed.first?.query?.contains("compartmentId=") == true)

        var absent = h.environment
        absent["MEDIACTL_ENDPOINT"] = "http://127.0.0.1:9"
        let r = InProcess.run(["__complete", "job", "run", "--workflow-id", ""], env: absent)
        #expect(r.status == 0 && r.stdout.isEmpty && r.stderr.isEmpty, "a refused live list is silent: \(r.stderr)")
    }

    @Test func videoSessionIDsCompleteForArchivesAndTokensAreNeverKept() throws {
        let h = try OpenTokHarness()
        let created = InProcess.run(["session", "create", "--media-mode", "routed", "--output", "id"], env: h.environment)
        #expect(created.status == 0, "\(created.stderr)")
        let session = created.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let token = InProcess.run(["token", "--session-id", session], env: h.environment)
        #expect(token.status == 0, "\(token.stderr)")
        let tokenText = token.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!tokenText.isEmpty)

        let cache = recentFile(h.environment)
        #expect(cache.contains(session))
        #expect(!cache.contains(tokenText), "a client token is a secret: never kept")
        #expect(!cache.contains(OpenTokHarness.apiSecret))
        #expect(complete(["archive", "start", "--session-id", ""], env: h.environment) == [session])
        #expect(complete(["job", "run", "--workflow-id", ""], env: h.environment).isEmpty)
    }

    @Test func tabAtAPromptOffersOnlyThatKindAndEachPromptKeepsItsOwnHistory() throws {
        let h = try EmulatorHarness()
        let workflow = InProcess.run(["workflow", "build", "--output", "id"], env: h.environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let channel = InProcess.run(["channel", "build", "--output", "id"], env: h.environment).stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(channel.contains("distributionchannel"), "channel create printed \(channel)")

        // `workflow get` with no id, on a terminal: Tab at the prompt, then a bad answer, then the good one.
        let r = InProcess.run(["workflow", "get"], env: h.environment, terminal: .interactive,
                              answers: ["ocid1.\t", "not-an-ocid", workflow])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.offered.count == 1)
        #expect(r.offered.first?.contains(workflow) == true)
        #expect(r.offered.first?.contains(channel) == false, "Tab at a workflow prompt never offers a channel")
        #expect(r.remembered.map(\.answer) == [workflow], "the rejected answer is not kept")
        #expect(r.remembered.first?.history == "mediaworkflow", "workflow prompts share one history, their own")

    }
}
