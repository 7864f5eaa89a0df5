// `mediactl publish`: the real binary against the real emulator binary doing real media work: a video made at
// test time becomes a stream that plays (every playlist and segment fetched with the token, refused without it),
// a rerun repeats nothing, a run killed mid-job resumes on the same job, and bad input sends nothing.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite(.enabled(if: MediaSamples.tools != nil, "ffmpeg and ffprobe are not installed (scripts/install-deps.sh installs them)"))
struct PublishTests {
    static func stats(_ emu: EmulatorUnderTest) throws -> [String: Int] {
        let doc = try JSONParser.parse(try emu.send("GET", "/_emulator/stats").body)
        var out: [String: Int] = ["total": doc["total"]?.intValue ?? -1]
        for (k, v) in doc["byCall"]?.objectValue ?? [] { out[k] = v.intValue }
        return out
    }

    static func get(_ url: String) throws -> HTTPResponse {
        let request = HTTPRequest(method: "GET", url: try #require(RequestURL(url)))
        return try CurlTransport(options: TransferOptions(connectTimeout: 2, totalTimeout: 20)).send(request)
    }

    static func uris(_ playlist: String) -> [String] {
        playlist.split(separator: "\n").compactMap { line -> String? in
            if !line.hasPrefix("#") { return line.isEmpty ? nil : String(line) }
            guard let start = line.range(of: "URI=\"") else { return nil }
            return String(line[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    /// Fetches the master playlist, every variant and every segment with the token (all 200), and each without
    /// it (all 401). Returns how many segments were fetched.
    @discardableResult
    static func checkPlays(_ playbackURL: String, emu: EmulatorUnderTest) throws -> Int {
        let master = try get(playbackURL)
        #expect(master.status == 200)
        let masterText = String(decoding: master.body, as: UTF8.self)
        #expect(masterText.hasPrefix("#EXTM3U"))
        let variants = uris(masterText)
        #expect(!variants.isEmpty)
        var segments = 0
        for variant in variants {
            #expect(variant.contains("token="), "\(variant)")
            let playlist = try get(emu.endpoint + variant)
            #expect(playlist.status == 200, "\(variant)")
            for segment in uris(String(decoding: playlist.body, as: UTF8.self)) {
                let withToken = try get(emu.endpoint + segment)
                #expect(withToken.status == 200, "\(segment)")
                #expect(withToken.body.count > 0)
                let bare = segment.replacingOccurrences(of: #"[?&]token=[^&]*"#, with: "", options: .regularExpression)
                #expect(try get(emu.endpoint + bare).status == 401, "\(bare)")
                segments += 1
            }
        }
        let withoutToken = playbackURL.replacingOccurrences(of: #"&token=[^&]*"#, with: "", options: .regularExpression)
        #expect(try get(withoutToken).status == 401)
        // ffmpeg itself reads the stream end to end (Debian's 5.1 needs -extension_picky 0 for `.fmp4` names).
        let probe = try MediaSamples.probe(playbackURL, hls: true)
        #expect(MediaSamples.stream(probe, "video")?["codec_name"]?.stringValue == "h264")
        #expect(MediaSamples.stream(probe, "video")?["height"]?.intValue == 360)
        #expect(MediaSamples.stream(probe, "audio")?["codec_name"]?.stringValue == "aac")
        return segments
    }

    @Test func publishTurnsALocalVideoIntoAPlayableStreamAndARerunRepeatsNothing() throws {
        let emu = try EmulatorUnderTest(realMedia: true)
        let video = "\(emu.state.path)/clip.mp4"
        try MediaSamples.video(at: video)
        _ = try emu.send("DELETE", "/_emulator/stats")

        let first = try emu.run(["publish", video, "--bucket", "media-in", "--destination-bucket", "media-out", "--create-channel",
                                 "--output", "json"], timeout: 120)
        #expect(first.status == 0, "\(first.stderr)")
        let doc = try JSONParser.parse(first.stdout)
        let url = try #require(doc["playbackUrl"]?.stringValue)
        #expect(url.hasPrefix("\(emu.endpoint)/20211101/actions/generatePlaylist?"))
        #expect(doc["playlist"]?["object"]?.stringValue == "sdk_test/clip.mp4/clip-master.m3u8")
        #expect(OCID.isValid(doc["mediaAssetId"]?.stringValue ?? "", type: "mediaasset"))
        // The skipped tasks are said, not hidden.
        #expect(first.stderr.contains("task transcribe was skipped: not available offline"))
        #expect(try Self.checkPlays(url, emu: emu) > 0)

        // The object, the job's outputs and the asset are where publish says.
        let head = try emu.run(["object", "head", "sdk_test/clip.mp4/clip-master.m3u8", "--bucket", "media-out", "--output", "json"])
        #expect(head.status == 0, "\(head.stderr)")

        let before = try Self.stats(emu)
        #expect(before["PUT /n/b/o"] == 1)
        #expect(before["POST /mediaWorkflowJobs"] == 1)
        #expect(before["POST /mediaAssets"] == 1)

        let again = try emu.run(["publish", video, "--bucket", "media-in", "--destination-bucket", "media-out", "--create-channel"], timeout: 120)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(again.stderr.contains("already uploaded"))
        #expect(again.stderr.contains("already SUCCEEDED"))
        #expect(again.stderr.contains("already registered"))
        #expect(again.stderr.contains("already built"))
        let after = try Self.stats(emu)
        for call in ["PUT /n/b/o", "POST /mediaWorkflowJobs", "POST /mediaWorkflows", "POST /mediaAssets", "POST /streamCdnConfigs",
                     "POST /streamPackagingConfigs", "POST /streamDistributionChannels"] {
            #expect(after[call] == before[call], "\(call) was sent again: \(before[call] ?? 0) → \(after[call] ?? 0)")
        }
        // A fresh token each time; the URL plays.
        let second = again.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(second != url)
        #expect(try Self.get(second).status == 200)

        // --restart does it all again: a new job.
        let restart = try emu.run(["publish", video, "--bucket", "media-in", "--destination-bucket", "media-out", "--create-channel",
                                   "--restart", "--output", "id"], timeout: 120)
        #expect(restart.status == 0, "\(restart.stderr)")
        #expect(try Self.stats(emu)["POST /mediaWorkflowJobs"] == 2)
    }

    @Test func aPublishKilledWhileTheJobRunsResumesOnTheSameJob() throws {
        // Each job takes longer than the wait for it to be recorded: a 20 s source at 1280x720.
        let emu = try EmulatorUnderTest(realMedia: true)
        let video = "\(emu.state.path)/long.mp4"
        try MediaSamples.video(at: video, seconds: 20, size: "1280x720", rate: 25)
        var env = emu.environment
        env["MEDIACTL_NO_INPUT"] = "1"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: CLIRunner.binary)
        p.arguments = ["publish", video, "--bucket", "media-in", "--create-channel"]
        p.environment = env
        p.standardInput = FileHandle.nullDevice
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        // Kill it as soon as the job is recorded (the record is written before the wait starts).
        let records = "\(env["XDG_STATE_HOME"]!)/mediactl/publish"
        let deadline = Date().addingTimeInterval(60)
        var recorded = false
        while Date() < deadline && p.isRunning && !recorded {
            let files = (try? FileManager.default.contentsOfDirectory(atPath: records)) ?? []
            // The record itself (a finished write), not the temporary file it is written through.
            recorded = files.contains { name in
                name.hasSuffix(".json") && !name.hasPrefix(".")
                    && (try? String(contentsOfFile: "\(records)/\(name)", encoding: .utf8))?.contains("\"job\"") == true
            }
            if !recorded { usleep(20_000) }
        }
        kill(p.processIdentifier, SIGKILL)
        p.waitUntilExit()
        #expect(recorded, "publish never recorded its job")

        let resumed = try emu.run(["publish", video, "--bucket", "media-in", "--create-channel", "--output", "json"], timeout: 180)
        #expect(resumed.status == 0, "\(resumed.stderr)")
        #expect(resumed.stderr.contains("already uploaded"))
        #expect(resumed.stderr.contains("resuming: waiting for the transcode job") || resumed.stderr.contains("already SUCCEEDED"),
                "\(resumed.stderr)")
        // One transcode job, whether the kill came before or after the job was recorded: a create repeated by
        // the rerun carries the same retry token and gets the first job back.
        let jobs = try emu.run(["job", "list", "--all", "--output", "json"])
        #expect(jobs.status == 0, "\(jobs.stderr)")
        let transcodes = (try JSONParser.parse(jobs.stdout)["items"]?.arrayValue ?? []).filter { $0["displayName"] == "publish-long" }
        #expect(transcodes.count == 1, "\(transcodes.count) transcode jobs")
        #expect(try Self.stats(emu)["PUT /n/b/o"] == 1)
        let url = try #require(try JSONParser.parse(resumed.stdout)["playbackUrl"]?.stringValue)
        #expect(try Self.get(url).status == 200)
    }

    @Test func publishUsesAnObjectAlreadyInTheBucketAndAChannelThatExists() throws {
        let emu = try EmulatorUnderTest(realMedia: true)
        let video = "\(emu.state.path)/clip.mp4"
        try MediaSamples.video(at: video)
        #expect(try emu.run(["object", "put", video, "--bucket", "media-in", "--name", "in/clip one.mp4"]).status == 0)
        let channel = try emu.run(["channel", "build", "--output", "id", "--segment-seconds", "6"])
        let ids = channel.stdoutLines
        try #require(channel.status == 0 && ids.count == 3, "\(channel.stderr)")

        let run = try emu.run(["publish", "--object", "in/clip one.mp4", "--bucket", "media-in", "--destination-bucket", "media-out",
                               "--channel-id", ids[0], "--output", "json"], timeout: 120)
        #expect(run.status == 0, "\(run.stderr)")
        let doc = try JSONParser.parse(run.stdout)
        #expect(doc["packagingConfigId"]?.stringValue == ids[2])
        #expect(doc["channelId"]?.stringValue == ids[0])
        #expect(doc["playlist"]?["object"]?.stringValue == "sdk_test/in/clip one.mp4/clip-one-master.m3u8")
        try Self.checkPlays(try #require(doc["playbackUrl"]?.stringValue), emu: emu)
        #expect(try Self.stats(emu)["POST /n/b/u"] == nil)

        // A missing object is a 404 naming it: nothing else is created.
        _ = try emu.send("DELETE", "/_emulator/stats")
        let missing = try emu.run(["publish", "--object", "nope.mp4", "--bucket", "media-in", "--channel-id", ids[0]])
        #expect(missing.status == 5, "\(missing.stderr)")
        #expect(missing.stderr.contains("nope.mp4"), "\(missing.stderr)")
        #expect(try Self.stats(emu)["POST /mediaWorkflowJobs"] == nil)
    }

    @Test(arguments: [
        (["publish", "--bucket", "media-in", "--create-channel"], "VIDEO"),
        (["publish", "VIDEO", "--bucket", "media-in"], "--create-channel"),
        (["publish", "VIDEO", "--bucket", "media-in", "--create-channel", "--channel-id",
          "ocid1.streamdistributionchannel.oc1.iad.aaaa"], "--create-channel and --channel-id"),
        (["publish", "VIDEO", "--bucket", "media-in", "--create-channel", "--packaging-config-id",
          "ocid1.streampackagingconfig.oc1.iad.aaaa"], "--packaging-config-id"),
        (["publish", "MISSING", "--bucket", "media-in", "--create-channel"], "No such file"),
        (["publish", "DIR", "--bucket", "media-in", "--create-channel"], "is a directory"),
        (["publish", "EMPTY", "--bucket", "media-in", "--create-channel"], "empty"),
        (["publish", "VIDEO", "--bucket", "media-in", "--create-channel", "--output-prefix", "a/b"], "--output-prefix"),
        (["publish", "VIDEO", "--bucket", "media-in", "--create-channel", "--segment-seconds", "0"], "--segment-seconds"),
        (["publish", "VIDEO", "--bucket", "media-in", "--create-channel", "--part-size", "0"], "--part-size"),
        (["publish", "VIDEO", "--bucket", "media-in", "--channel-id", "ocid1.mediaasset.oc1.iad.aaaa"], "--channel-id"),
    ])
    func badInputIsOneLineAndSendsNothing(arguments: [String], expected: String) throws {
        let emu = try EmulatorUnderTest(realMedia: true)
        let dir = emu.state.path
        let video = "\(dir)/clip.mp4"
        _ = FileManager.default.createFile(atPath: video, contents: Data("not really a video, never read".utf8))
        _ = FileManager.default.createFile(atPath: "\(dir)/empty.mp4", contents: Data())
        try FileManager.default.createDirectory(atPath: "\(dir)/folder.mp4", withIntermediateDirectories: true)
        let args = arguments.map { arg in
            switch arg {
            case "VIDEO": video
            case "MISSING": "\(dir)/missing.mp4"
            case "DIR": "\(dir)/folder.mp4"
            case "EMPTY": "\(dir)/empty.mp4"
            default: arg
            }
        }
        _ = try emu.send("DELETE", "/_emulator/stats")
        let result = try emu.run(args)
        #expect(result.status == 64, "\(result.stderr)")
        #expect(result.stdout.isEmpty)
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count == 1, "\(result.stderr)")
        #expect(lines.first?.hasPrefix("error: ") == true, "\(result.stderr)")
        #expect(result.stderr.contains(expected), "\(result.stderr)")
        #expect(try Self.stats(emu)["total"] == 0, "a request was sent")
    }
}
