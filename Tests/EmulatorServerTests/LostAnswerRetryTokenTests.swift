// A create whose answer is lost (the emulator handles it, then drops the connection) with retries off: the
// real binary fails with one error line and prints the retry token it used; the same command rerun with
// --retry-token gets back what was created, and exactly one of each resource exists.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct LostAnswerRetryTokenTests {
    static func loseNextAnswer(_ emu: EmulatorUnderTest, _ operation: String) throws {
        let rule: JSONValue = ["operation": .string(operation), "dropConnection": true, "afterHandling": true, "count": 1]
        #expect(try emu.send("POST", "/_emulator/faults", body: rule).status == 200)
    }

    /// Checks the failed run's stderr (one `error:` line, the hint) and returns the token it printed.
    static func printedToken(_ r: CLIResult, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
        #expect(r.status == 7, "\(r.stderr)", sourceLocation: sourceLocation)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        #expect(lines.filter { $0.hasPrefix("error: ") }.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
        let hint = try #require(lines.first { $0.hasPrefix("rerun with --retry-token ") }, "\(r.stderr)", sourceLocation: sourceLocation)
        #expect(hint.hasSuffix(" to get the resource created, not a second one"), sourceLocation: sourceLocation)
        return String(hint.dropFirst("rerun with --retry-token ".count).prefix { $0 != " " })
    }

    static func count(_ emu: EmulatorUnderTest, _ args: [String]) throws -> [String] {
        let list = try emu.run(args + ["--all", "--output", "id"])
        #expect(list.status == 0, "\(args): \(list.stderr)")
        return list.stdoutLines
    }

    @Test func workflowAndJobRerunWithThePrintedTokenMakeNoSecondOne() throws {
        let emu = try EmulatorUnderTest()
        try Self.loseNextAnswer(emu, "POST /20211101/mediaWorkflows")
        let lost = try emu.run(["workflow", "build", "--no-retry", "--output", "id"])
        let token = try Self.printedToken(lost)
        #expect(token.count == 30)
        #expect(lost.stdout.isEmpty)
        #expect(try Self.count(emu, ["workflow", "list"]).count == 1, "the service did create it")

        let rerun = try emu.run(["workflow", "build", "--no-retry", "--retry-token", token, "--output", "id"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let workflows = try Self.count(emu, ["workflow", "list"])
        #expect(workflows == [rerun.stdoutLines.first ?? "-"], "exactly one workflow, the one the rerun printed")

        try emu.putSource("v.mp4", bucket: "a")
        let jobArgs = ["job", "run", "--workflow-id", workflows[0], "--source-bucket", "a", "--destination-bucket", "b", "--namespace", "emulator",
                       "--source-video", "v.mp4", "--output-prefix", "p", "--no-retry", "--output", "id"]
        try Self.loseNextAnswer(emu, "POST /20211101/mediaWorkflowJobs")
        let jobToken = try Self.printedToken(try emu.run(jobArgs))
        #expect(jobToken != token)
        let job = try emu.run(jobArgs + ["--retry-token", jobToken])
        #expect(job.status == 0, "\(job.stderr)")
        #expect(try Self.count(emu, ["job", "list"]) == job.stdoutLines)

        // Without the token, a rerun is a new create (what the hint prevents).
        let fresh = try emu.run(jobArgs)
        #expect(fresh.status == 0)
        #expect(try Self.count(emu, ["job", "list"]).count == 2)
    }

    @Test func channelBuildLosingItsCdnAnswerFinishesWithoutDuplicates() throws {
        let emu = try EmulatorUnderTest()
        try Self.loseNextAnswer(emu, "POST /20211101/streamCdnConfigs")
        let lost = try emu.run(["channel", "build", "--no-retry", "--output", "id"])
        let token = try Self.printedToken(lost)
        let channels = try Self.count(emu, ["channel", "list"])
        try #require(channels.count == 1)
        #expect(lost.stderr.contains("created before the failure: channel \(channels[0])"), "\(lost.stderr)")

        let rerun = try emu.run(["channel", "build", "--no-retry", "--retry-token", token, "--output", "id"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdoutLines.count == 3)
        #expect(rerun.stdoutLines.first == channels[0], "the rerun got the first run's channel back")
        #expect(try Self.count(emu, ["channel", "list"]) == channels)
        #expect(try Self.count(emu, ["cdn-config", "list", "--channel-id", channels[0]]).count == 1)
        #expect(try Self.count(emu, ["packaging-config", "list", "--channel-id", channels[0]]).count == 1)
    }

    @Test func ingestLosingItsAnswerFinishesWithOneAssetAndOneIngestJob() throws {
        let emu = try EmulatorUnderTest()
        let channel = try #require(try emu.run(["channel", "build", "--output", "id"]).stdoutLines.first)
        let args = ["ingest", "--channel-id", channel, "--namespace", "n", "--bucket", "b", "--object", "m.m3u8", "--no-wait", "--no-retry",
                    "--output", "json"]
        try Self.loseNextAnswer(emu, "POST /20211101/streamDistributionChannels/*")
        let token = try Self.printedToken(try emu.run(args))
        let rerun = try emu.run(args + ["--retry-token", token])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        let doc = try JSONParser.parse(rerun.stdout)
        #expect(try Self.count(emu, ["asset", "list"]) == [doc["mediaAsset"]?["id"]?.stringValue ?? "-"])
        #expect(try Self.count(emu, ["job", "list"]) == [doc["ingestJobId"]?.stringValue ?? "-"])
    }

    @Test func jobSubmitRerunWithTheTokenCreatesOnlyWhatIsMissing() throws {
        let emu = try EmulatorUnderTest()
        let workflow = try #require(try emu.run(["workflow", "build", "--output", "id"]).stdoutLines.first)
        let file = emu.state.path + "/jobs.jsonl"
        try (1...4).map { #"{"video": {"srcVideo": "v\#($0).mp4"}}"# }.joined(separator: "\n").write(toFile: file, atomically: true, encoding: .utf8)
        let args = ["job", "submit", "--workflow-id", workflow, "--from", file, "--concurrency", "1", "--no-retry", "--output", "id"]
        try Self.loseNextAnswer(emu, "POST /20211101/mediaWorkflowJobs")
        let lost = try emu.run(args)
        #expect(lost.status == 7, "\(lost.stderr)")
        #expect(lost.stdoutLines.count == 3)
        let hint = try #require(lost.stderr.split(separator: "\n").first { $0.hasPrefix("rerun with --retry-token ") })
        let token = String(hint.dropFirst("rerun with --retry-token ".count).prefix { $0 != " " })
        #expect(try Self.count(emu, ["job", "list"]).count == 4, "all four were created; one answer was lost")

        let rerun = try emu.run(args + ["--retry-token", token])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(rerun.stdoutLines.count == 4)
        #expect(Set(try Self.count(emu, ["job", "list"])) == Set(rerun.stdoutLines), "still four jobs: the rerun got them back")
    }

    @Test func aRetryTokenThatCannotBeAHeaderIsRefusedBeforeAnythingIsSent() throws {
        let emu = try EmulatorUnderTest()
        _ = try emu.send("DELETE", "/_emulator/stats")
        for bad in ["", "two words", "tab\there", "caf\u{E9}"] {
            let r = try emu.run(["workflow", "build", "--retry-token", bad])
            #expect(r.status == 64, "\(bad): \(r.stderr)")
            let lines = r.stderr.split(separator: "\n")
            #expect(lines.count == 1 && lines[0].hasPrefix("error: ") && lines[0].contains("--retry-token"), "\(r.stderr)")
        }
        #expect(try JSONParser.parse(try emu.send("GET", "/_emulator/stats").body)["total"]?.intValue == 0)
    }
}
