// `ingest` offers the last job's master playlist (issue 18): a job seen to succeed (`job run --wait`, `job wait`,
// `job get`) files its master playlist in the recent ids; `ingest` without --bucket/--object takes it (a note on stderr
// without a terminal, the prompts' `[default]` on one), and flags given win. In-process against the emulator on loopback.
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct IngestLastPlaylistTests {
    static func json(_ r: InProcessResult) throws -> JSONValue { try JSONParser.parse(Data(r.stdout.utf8)) }

    /// A workflow, a job of it run to SUCCEEDED, and a channel: the job's master playlist as the emulator reports it.
    static func succeededJob(_ emu: EmulatorHarness) throws -> (job: String, playlist: ObjectLocation, channel: String) {
        let wf = InProcess.run(["workflow", "build", "--output", "id"], env: emu.environment)
        #expect(wf.status == 0, "\(wf.stderr)")
        let run = InProcess.run(["job", "run", "--workflow-id", wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                                 "--source-bucket", "in", "--destination-bucket", "out", "--namespace", "ns", "--source-video", "clip.mp4",
                                 "--output-prefix", "run1", "--wait", "--output", "json"], env: emu.environment)
        #expect(run.status == 0, "\(run.stderr)")
        let job = try json(run)
        #expect(job["lifecycleState"] == "SUCCEEDED")
        let playlist = try #require(Resource(json: job).masterPlaylist?.object, "the job names its master playlist: \(run.stdout)")
        let build = try json(InProcess.run(["channel", "build", "--output", "json"], env: emu.environment))
        let channel = try #require(build["channel"]?["id"]?.stringValue)
        return (try #require(job["id"]?.stringValue), playlist, channel)
    }

    /// Where the last CreateMediaAsset pointed: namespace/bucket/object of its body.
    static func registered(_ emu: EmulatorHarness) throws -> String {
        let post = try #require(emu.emulator.requests.last { $0.method == "POST" && $0.path.hasSuffix("/mediaAssets") })
        let body = try JSONParser.parse(post.body)
        return [body["namespaceName"], body["bucketName"], body["objectName"]].map { $0?.stringValue ?? "?" }.joined(separator: "/")
    }

    @Test func withoutATerminalTheLastJobsPlaylistIsUsedAndSaid() throws {
        let emu = try EmulatorHarness(pollsInProgress: 1)
        let (_, playlist, channel) = try Self.succeededJob(emu)
        let expected = "\(playlist.namespace)/\(playlist.bucket)/\(playlist.object)"
        #expect(playlist.object.hasSuffix("-master.m3u8"), "\(expected)")

        let ingest = InProcess.run(["ingest", "--channel-id", channel, "--output", "json"], env: emu.environment)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("using the last job's master playlist \(expected)"), "\(ingest.stderr)")
        #expect(try Self.registered(emu) == expected)
        #expect(try Self.json(ingest)["mediaAsset"]?["objectName"]?.stringValue == playlist.object)

        // Flags given win, and then nothing is said about the last job.
        let explicit = InProcess.run(["ingest", "--channel-id", channel, "--namespace", "ns2", "--bucket", "b", "--object", "m.m3u8"],
                                     env: emu.environment)
        #expect(explicit.status == 0, "\(explicit.stderr)")
        #expect(try Self.registered(emu) == "ns2/b/m.m3u8")
        #expect(!explicit.stderr.contains("last job"), "\(explicit.stderr)")
        // A bucket alone (from the environment) is not mixed with the last job's object: the object is still missing.
        let half = InProcess.run(["ingest", "--channel-id", channel], env: emu.environment.merging(["MEDIACTL_PLAYLIST_BUCKET": "b"]) { $1 })
        #expect(half.status == 64 && half.stderr.contains("--object"), "\(half.stderr)")
        // Nor is a playlist of another namespace offered (another tenancy's bucket would be the wrong one): it says why.
        let elsewhere = InProcess.run(["ingest", "--channel-id", channel, "--namespace", "other"], env: emu.environment)
        #expect(elsewhere.status == 64, "\(elsewhere.stderr)")
        #expect(elsewhere.stderr.contains("not offering the last job's master playlist \(expected): it is in namespace ns, not other"),
                "\(elsewhere.stderr)")
    }

    @Test func onATerminalThePromptsOfferItAndEnterTakesIt() throws {
        let emu = try EmulatorHarness(pollsInProgress: 1)
        let (_, playlist, channel) = try Self.succeededJob(emu)
        let r = InProcess.run(["ingest", "--channel-id", channel, "--no-wait"], env: emu.environment, terminal: .interactive, answers: ["", "", ""])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.prompts.count == 3, "\(r.prompts)")
        #expect(r.prompts.contains { $0.hasPrefix("Provide Bucket Name where the playlist is located [\(playlist.bucket)]") }, "\(r.prompts)")
        #expect(r.prompts.contains { $0.hasPrefix("Enter Playlist Name [\(playlist.object)]") }, "\(r.prompts)")
        #expect(r.prompts.contains { $0.contains("[\(playlist.namespace)]") }, "\(r.prompts)")
        #expect(try Self.registered(emu) == "\(playlist.namespace)/\(playlist.bucket)/\(playlist.object)")
        #expect(!r.stderr.contains("using the last job's"), "a person chose it at the prompt: \(r.stderr)")

        // An answer typed replaces the offer.
        let typed = InProcess.run(["ingest", "--channel-id", channel, "--no-wait"], env: emu.environment, terminal: .interactive,
                                  answers: ["other", "x-master.m3u8", ""])
        #expect(typed.status == 0, "\(typed.stderr)")
        #expect(try Self.registered(emu) == "\(playlist.namespace)/other/x-master.m3u8")
    }

    @Test func jobGetOfASucceededJobFilesItsPlaylistToo() throws {
        let emu = try EmulatorHarness(pollsInProgress: 1)
        let (job, playlist, channel) = try Self.succeededJob(emu)
        // A fresh cache: only `job get` can have filed the playlist.
        var env = emu.environment
        env["XDG_STATE_HOME"] = emu.dir.path + "/.state-2"
        let before = InProcess.run(["ingest", "--channel-id", channel, "--no-wait"], env: env)
        #expect(before.status == 64, "nothing filed yet: \(before.stderr)")
        let get = InProcess.run(["job", "get", job], env: env)
        #expect(get.status == 0, "\(get.stderr)")
        let after = InProcess.run(["ingest", "--channel-id", channel, "--no-wait"], env: env)
        #expect(after.status == 0, "\(after.stderr)")
        #expect(try Self.registered(emu) == "\(playlist.namespace)/\(playlist.bucket)/\(playlist.object)")

        // `job run --wait-for-state SUCCEEDED` files its job's playlist as well: the newest one wins.
        let workflow = try #require(emu.emulator.requests.first { $0.method == "POST" && $0.path.hasSuffix("/mediaWorkflowJobs") }
            .flatMap { try? JSONParser.parse($0.body)["mediaWorkflowId"]?.stringValue })
        let run2 = InProcess.run(["job", "run", "--workflow-id", workflow, "--source-bucket", "in", "--destination-bucket", "out2", "--namespace", "ns",
                                  "--source-video", "clip.mp4", "--output-prefix", "run2", "--wait-for-state", "SUCCEEDED", "--output", "json"], env: env)
        #expect(run2.status == 0, "\(run2.stderr)")
        let second = try #require(Resource(json: try Self.json(run2)).masterPlaylist?.object)
        #expect(second.bucket == "out2")
        let third = InProcess.run(["ingest", "--channel-id", channel, "--no-wait"], env: env)
        #expect(third.status == 0, "\(third.stderr)")
        #expect(try Self.registered(emu) == "ns/out2/\(second.object)")
    }
}
