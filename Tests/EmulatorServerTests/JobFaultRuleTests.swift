// Scripted job and ingest failures through the real binaries: a simulated job fails only when a fault rule
// (POST /_emulator/faults or --fault) names it, never because of a name or parameter the user chose.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct JobFaultRuleTests {
    private func workflow(_ emu: EmulatorUnderTest) throws -> String {
        let wf = try emu.run(["workflow", "build", "--output", "id"])
        #expect(wf.status == 0, "\(wf.stderr)")
        return wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    private func runJob(_ emu: EmulatorUnderTest, workflow: String, video: String, name: String) throws -> CLIResult {
        try emu.putSource(video, bucket: "media-in")
        return try emu.run(["job", "run", "--workflow-id", workflow, "--source-bucket", "media-in", "--destination-bucket", "media-out",
                     "--namespace", "emulator", "--source-video", video, "--output-prefix", "p", "--name", name, "--wait",
                     "--output", "json"])
    }

    @Test func failoverDemoSucceedsAndOnlyTheJobARuleNamesFails() throws {
        let emu = try EmulatorUnderTest(jobSeconds: 0.3)
        let wf = try workflow(emu)

        // The name a CI user happens to pick fails nothing.
        let demo = try runJob(emu, workflow: wf, video: "failover-demo.mp4", name: "fail-fast-demo")
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(try JSONParser.parse(demo.stdout)["lifecycleState"] == "SUCCEEDED")

        let added = try emu.send("POST", "/_emulator/faults", body: [
            "job": "nightly", "task": "transcode", "message": "task transcode failed: input could not be decoded", "count": 1,
        ])
        #expect(added.status == 200)
        #expect(try JSONParser.parse(added.body)["items"] == [["job": "nightly", "task": "transcode",
                                                                "message": "task transcode failed: input could not be decoded", "count": 1]])

        // Another job is not named; the nightly one fails with the rule's message and exit 9.
        let other = try runJob(emu, workflow: wf, video: "clip.mp4", name: "daily")
        #expect(other.status == 0, "\(other.stderr)")
        let nightly = try runJob(emu, workflow: wf, video: "clip.mp4", name: "nightly")
        #expect(nightly.status == 9, "\(nightly.stderr)")
        #expect(nightly.stderr.contains("task transcode failed: input could not be decoded"), "\(nightly.stderr)")

        // count 1: the rule is used up, and the next nightly run succeeds.
        #expect(try JSONParser.parse(try emu.send("GET", "/_emulator/faults").body)["items"] == [])
        let again = try runJob(emu, workflow: wf, video: "clip.mp4", name: "nightly")
        #expect(again.status == 0, "\(again.stderr)")
    }

    @Test func anIngestRuleGivenAtStartFailsThatIngestAndSurvivesInTheJobAcrossARestart() throws {
        let emu = try EmulatorUnderTest(jobSeconds: 0.3, extra: [
            "--fault", #"{"ingest": "broken/master.m3u8", "message": "ingest failed: not a valid HLS master playlist"}"#,
        ])
        let channel = try emu.run(["channel", "build", "--output", "id"]).stdoutLines.first ?? ""
        let good = try emu.run(["ingest", "--channel-id", channel, "--namespace", "emulator", "--bucket", "media-out",
                                "--object", "failover-demo/master.m3u8", "--output", "json"])
        #expect(good.status == 0, "\(good.stderr)")
        let bad = try emu.run(["ingest", "--channel-id", channel, "--namespace", "emulator", "--bucket", "media-out",
                               "--object", "broken/master.m3u8", "--output", "json"])
        #expect(bad.status == 9, "\(bad.stderr)")
        #expect(bad.stderr.contains("ingest failed: not a valid HLS master playlist"), "\(bad.stderr)")

        // The failure is the job's, saved with it: a restart without the rule still reports it.
        emu.stop()
        try emu.start(port: 0)
        let jobs = try emu.run(["job", "list", "--output", "json", "--all"])
        let states = try JSONParser.parse(jobs.stdout)
        let items = states.arrayValue ?? states["items"]?.arrayValue ?? []
        #expect(items.compactMap { $0["lifecycleState"]?.stringValue }.sorted() == ["FAILED", "SUCCEEDED"], "\(jobs.stdout)")
    }

    @Test func badRulesAreRefusedNamingTheField() throws {
        let emu = try EmulatorUnderTest()
        for (rule, field) in [(#"{"ingest": "a.m3u8", "task": "transcode"}"#, "'ingest'"),
                              (#"{"job": "", "message": "x"}"#, "'job'"),
                              (#"{"job": "nightly", "status": 503}"#, "'status'"),
                              (#"{"task": "transcode", "count": 0}"#, "'count'"),
                              (#"{"message": "x"}"#, "'operation'")] {
            let answer = try emu.send("POST", "/_emulator/faults", body: try JSONParser.parse(rule))
            #expect(answer.status == 400, "\(rule)")
            let body = try JSONParser.parse(answer.body)
            #expect(body["code"] == "InvalidParameter")
            #expect(body["message"]?.stringValue?.contains(field) == true, "\(rule): \(body.compactText)")
        }
        // Nothing was added by the refused posts.
        #expect(try JSONParser.parse(try emu.send("GET", "/_emulator/faults").body)["items"] == [])

        // At start, the same rule is a usage error: exit 64, its first line naming the flag and the field (then the usage).
        let p = Process()
        p.executableURL = URL(fileURLWithPath: EmulatorUnderTest.binary)
        p.arguments = ["serve", "--port", "0", "--state", emu.state.path + "/other", "--fault", #"{"ingest": "a", "job": "b"}"#]
        let err = Pipe()
        p.standardError = err
        p.standardOutput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 64)
        let first = text.split(separator: "\n").first ?? ""
        #expect(first.contains("--fault") && first.contains("'ingest'"), "\(text)")
    }
}
