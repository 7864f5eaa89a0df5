// Every create of the lab's flow against the emulator binary with faults injected: its answer lost
// after it was handled, then a 503, then a 429 with Retry-After. Retries with one opc-retry-token
// must leave exactly one resource of each.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct EveryCreateRetryTests {
    static let creates = ["POST /20211101/mediaWorkflows", "POST /20211101/mediaWorkflowJobs", "POST /20211101/streamDistributionChannels",
                          "POST /20211101/streamCdnConfigs", "POST /20211101/streamPackagingConfigs", "POST /20211101/mediaAssets",
                          "POST /20211101/streamDistributionChannels/*"]

    @Test func everyCreateSurvivesALostAnswerA503AndA429AndExistsOnce() throws {
        let emu = try EmulatorUnderTest()
        var rules: [JSONValue] = []
        for op in Self.creates {
            rules.append(["operation": .string(op), "dropConnection": true, "afterHandling": true, "count": 1])
            rules.append(["operation": .string(op), "status": 503, "count": 1, "retryAfter": 0])
            rules.append(["operation": .string(op), "status": 429, "count": 1, "retryAfter": 1])
        }
        #expect(try emu.send("POST", "/_emulator/faults", body: .array(rules)).status == 200)

        let wf = try emu.run(["workflow", "build", "--output", "id"])
        #expect(wf.status == 0, "\(wf.stderr)")
        let workflow = wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try emu.putSource("v.mp4", bucket: "a")
        let job = try emu.run(["job", "run", "--workflow-id", workflow, "--source-bucket", "a", "--destination-bucket", "b", "--namespace", "emulator",
                               "--source-video", "v.mp4", "--output-prefix", "p", "--output", "id"])
        #expect(job.status == 0, "\(job.stderr)")
        let channel = try emu.run(["channel", "build", "--output", "id"])
        #expect(channel.status == 0, "\(channel.stderr)")
        let ids = channel.stdoutLines
        try #require(ids.count == 3)
        let ingest = try emu.run(["ingest", "--channel-id", ids[0], "--namespace", "n", "--bucket", "b", "--object", "m.m3u8", "--output", "id"])
        #expect(ingest.status == 0, "\(ingest.stderr)")

        // Every rule was used: each create really lost an answer, got a 503 and a 429.
        let active = try JSONParser.parse(try emu.send("GET", "/_emulator/faults").body)
        #expect(active["items"]?.arrayValue?.isEmpty == true, "\(active.compactText)")
        for (args, expected) in [(["workflow", "list"], 1), (["channel", "list"], 1), (["asset", "list"], 1),
                                 (["cdn-config", "list", "--channel-id", ids[0]], 1), (["packaging-config", "list", "--channel-id", ids[0]], 1),
                                 (["job", "list"], 2)] {   // the job run's, and the ingest's
            let list = try emu.run(args + ["--all", "--output", "id"])
            #expect(list.status == 0, "\(args): \(list.stderr)")
            #expect(list.stdoutLines.count == expected, "\(args): \(list.stdout)")
        }
    }
}
