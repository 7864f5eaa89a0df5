// `mediactl job submit --from FILE --concurrency N`, run through the built binary against the emulator.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct JobSubmitTests {
    static func line(_ video: String) -> String {
        #"{"video": {"srcBucket": "in", "dstBucket": "out", "namespace": "ns", "compartmentID": "\#(Fixtures.compartment)", "srcVideo": "\#(video)", "outputPrefixName": "p"}}"#
    }

    @Test func everyLineBecomesOneJobAndResultsKeepTheFilesOrder() throws {
        let h = try EmulatorHarness()
        let workflow = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let videos = (1...25).map { "clip\($0).mp4" }
        // JSON lines; a blank line is skipped but still counts for line numbers.
        let file = h.dir.write("jobs.jsonl", videos.prefix(10).map(Self.line).joined(separator: "\n") + "\n\n"
                               + videos.dropFirst(10).map(Self.line).joined(separator: "\n") + "\n")

        let r = try h.run(["job", "submit", "--workflow-id", workflow, "--from", file, "--concurrency", "4", "--output", "json"])

        #expect(r.status == 0, "\(r.stderr)")
        let jobs = try JSONParser.parse(r.stdout).arrayValue ?? []
        #expect(jobs.compactMap { $0["parameters"]?["video"]?["srcVideo"]?.stringValue } == videos)
        #expect(jobs.allSatisfy { $0["mediaWorkflowId"]?.stringValue == workflow && OCID.isValid($0["id"]?.stringValue ?? "", type: "mediaworkflowjob") })
        #expect(r.stderr.contains("Submitted 25 of 25 jobs (0 failed)"))
        #expect(r.stderr.contains("4 at a time"))
        let posts = h.emulator.requests.filter { $0.method == "POST" && $0.path == "/20211101/mediaWorkflowJobs" }
        #expect(posts.count == 25)
        #expect(posts.allSatisfy { $0.status == 200 && $0.keyID == Fixtures.testKeyID })
    }

    @Test func aJSONArrayWorksAndIdOutputIsOneIdALine() throws {
        let h = try EmulatorHarness()
        let workflow = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let file = h.dir.write("jobs.json", "[" + ["a.mp4", "b.mp4", "c.mp4"].map(Self.line).joined(separator: ",\n") + "]")

        let r = try h.run(["job", "submit", "--workflow-id", workflow, "--from", file, "--output", "id"])

        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdoutLines.count == 3)
        #expect(r.stdoutLines.allSatisfy { OCID.isValid($0, type: "mediaworkflowjob") })
    }

    @Test func badEntriesAreReportedByLineAndNothingIsSent() throws {
        let h = try EmulatorHarness()
        let file = h.dir.write("jobs.jsonl", Self.line("a.mp4") + "\n[1]\n{\"video\": 3}\n{not json\n")

        let r = try h.run(["job", "submit", "--workflow-id", "ocid1.mediaworkflow.oc1.iad.aaaaaaaaexample", "--from", file])

        #expect(r.status == 64)
        #expect(r.stderr.contains("line 2: expected an object"))
        #expect(r.stderr.contains("line 3: /video must be an object of parameters, got number"))
        #expect(r.stderr.contains("line 4: not valid JSON"))
        #expect(h.requestCount == 0)
    }

    @Test func refusedJobsAreReportedPerLineWithANonZeroExit() throws {
        let h = try EmulatorHarness()
        let file = h.dir.write("jobs.jsonl", [Self.line("a.mp4"), Self.line("b.mp4")].joined(separator: "\n"))

        let r = try h.run(["job", "submit", "--workflow-id", "ocid1.mediaworkflow.oc1.iad.aaaaaaaanotthere", "--from", file,
                           "--concurrency", "2", "--output", "id"])

        #expect(r.status != 0)
        #expect(r.stdout.isEmpty)
        #expect(r.stderr.contains("line 1: "))
        #expect(r.stderr.contains("line 2: "))
        #expect(r.stderr.contains("Submitted 0 of 2 jobs (2 failed)"))
    }
}
