// Real media processing: the lab workflow run by the emulator with ffmpeg on a video made at test time, checked
// with ffprobe; playback of the ingested result with and without the session token; failing inputs; a restart.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite(.enabled(if: MediaSamples.tools != nil, "ffmpeg and ffprobe are not installed (scripts/install-deps.sh installs them)"))
struct MediaJobTests {
    /// An in-process emulator doing real media work, on a loopback port, with a clock the test can move.
    static func harness(clock: TestClock = TestClock()) throws -> EmulatorHarness {
        let h = try EmulatorHarness { options in
            options.mediaTools = MediaSamples.tools
            options.now = { clock.now }
        }
        h.environment["MEDIACTL_NAMESPACE"] = MediaSamples.namespace
        return h
    }

    static func store(_ h: EmulatorHarness) throws -> ObjectStore { try #require(h.emulator.objectStore) }

    static func get(_ url: String) throws -> HTTPResponse {
        let request = HTTPRequest(method: "GET", url: try #require(RequestURL(url)))
        return try CurlTransport(options: TransferOptions(connectTimeout: 2, totalTimeout: 20)).send(request)
    }

    /// Creates a job over the lab's job flags without waiting, waits with `job wait`, and returns the wait and the job.
    static func runJob(_ h: EmulatorHarness, workflow: String, video: String, destination: String = "media-out") throws -> (wait: CLIResult, job: JSONValue) {
        let create = try h.run(["job", "run", "--workflow-id", workflow, "--source-bucket", "media-in", "--destination-bucket", destination,
                                "--source-video", video, "--output-prefix", "run1", "--output", "id"])
        let id = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        guard create.status == 0, !id.isEmpty else { throw EmulatorTestError("job run: \(create.stderr)") }
        let wait = try h.run(["job", "wait", id], timeout: 120)
        let job = try JSONParser.parse(try h.run(["job", "get", id, "--output", "json"]).stdout)
        return (wait, job)
    }

    static func text(_ r: HTTPResponse) -> String { String(decoding: r.body, as: UTF8.self) }

    /// The URI lines of a playlist, and `URI="..."` attributes.
    static func uris(_ playlist: String) -> [String] {
        playlist.split(separator: "\n").compactMap { line -> String? in
            if !line.hasPrefix("#") { return line.isEmpty ? nil : String(line) }
            guard let start = line.range(of: "URI=\"") else { return nil }
            return String(line[start.upperBound...].prefix { $0 != "\"" })
        }
    }

    @Test func theLabWorkflowTranscodesThumbnailsStoresItsOutputsAndPlaysBackWithTheToken() throws {
        let clock = TestClock()
        let h = try Self.harness(clock: clock)
        let store = try Self.store(h)
        let ns = MediaSamples.namespace
        try store.createBucket(namespace: ns, bucket: "media-in")
        try store.createBucket(namespace: ns, bucket: "media-out")
        let source = "\(h.dir.path)/clip.mp4"
        try MediaSamples.video(at: source)
        try store.put(namespace: ns, bucket: "media-in", object: "clip.mp4", data: Data(contentsOf: URL(fileURLWithPath: source)))

        let wfFile = h.dir.write("workflow.json", MediaSamples.labWorkflowJSON)
        let wf = try h.run(["workflow", "build", "-f", wfFile, "--output", "id"])
        try #require(wf.status == 0, "\(wf.stderr)")
        let workflowID = wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let run = try h.run(["job", "run", "--workflow-id", workflowID, "--source-bucket", "media-in", "--destination-bucket", "media-out",
                             "--source-video", "clip.mp4", "--output-prefix", "run1", "--wait", "--output", "json"], timeout: 120)
        try #require(run.status == 0, "\(run.stderr)")
        let job = try JSONParser.parse(run.stdout)
        #expect(job["lifecycleState"] == "SUCCEEDED")
        let states = Dictionary(uniqueKeysWithValues: (job["taskLifecycleState"]?.arrayValue ?? []).map {
            ($0["key"]?.stringValue ?? "", ($0["lifecycleState"]?.stringValue ?? "", $0["lifecycleDetails"]?.stringValue ?? ""))
        })
        for key in ["getFiles", "transcode", "thumbnail", "putFiles"] { #expect(states[key]?.0 == "SUCCEEDED", "\(key): \(states[key].map { "\($0)" } ?? "")") }
        // Offline tasks are visibly skipped, never reported as done.
        #expect(states["transcribe"]?.0 == "SKIPPED")
        #expect(states["transcribe"]?.1.hasPrefix("not available offline: transcribe needs OCI Speech") == true)
        #expect(states["visionDetection"]?.0 == "SKIPPED")
        #expect(job["lifecycleDetails"]?.stringValue?.hasPrefix("Completed; skipped: transcribe (not available offline") == true)
        // The transcode task names the exact ffmpeg command it ran.
        #expect(states["transcode"]?.1.contains("-hls_segment_type fmp4") == true)

        // runnable: every reference resolved as §6.7 describes.
        let runnable = try #require(job["runnable"])
        let tasks = runnable["tasks"]?.arrayValue ?? []
        #expect(tasks.first?["parameters"]?["taskParameters"]?[0]?["target"] == "getFiles/clip.mp4")
        let putFiles = try #require(tasks.first { $0["key"] == "putFiles" })
        #expect(putFiles["parameters"]?["taskParameters"]?[0]?["objectName"] == "sdk_test/clip.mp4/run1")
        #expect(putFiles["parameters"]?["taskParameters"]?[3]?["source"] == "*.jpg")

        // outputs: one PLAYLIST (the master mediactl registers), the rest by kind.
        let outputs = job["outputs"]?.arrayValue ?? []
        let playlists = outputs.filter { $0["assetType"] == "PLAYLIST" }
        #expect(playlists.map { $0["objectName"]?.stringValue ?? "" } == ["sdk_test/clip.mp4/run1-master.m3u8"])
        #expect(outputs.filter { $0["assetType"] == "IMAGE" }.count == 6)

        // Everything stored, fetched to a local folder with its object names under sdk_test/clip.mp4/.
        let folder = "sdk_test/clip.mp4/"
        let stored = try store.list(namespace: ns, bucket: "media-out", prefix: folder).objects.map(\.name)
        #expect(Set(stored) == Set(outputs.compactMap { $0["objectName"]?.stringValue }))
        let local = TemporaryDirectory()
        for name in stored {
            try store.read(namespace: ns, bucket: "media-out", object: name)
                .write(to: URL(fileURLWithPath: "\(local.path)/\(name.dropFirst(folder.count))"))
        }

        // The master's relative URIs resolve to the stored variants, theirs to the stored segments.
        let master = try String(contentsOfFile: "\(local.path)/run1-master.m3u8", encoding: .utf8)
        #expect(master.contains("RESOLUTION=320x180"))
        #expect(master.contains("RESOLUTION=640x360"))
        #expect(master.contains("CODECS=\"avc1."))
        #expect(master.contains("mp4a.40.2"))
        #expect(master.contains("BANDWIDTH="))
        let variants = Self.uris(master)
        #expect(variants == ["run1_180p.m3u8", "run1_360p.m3u8"])
        for (variant, height) in zip(variants, [180, 360]) {
            #expect(stored.contains(folder + variant))
            let probe = try MediaSamples.probe("\(local.path)/\(variant)", hls: true)
            let video = try #require(MediaSamples.stream(probe, "video"))
            #expect(video["height"]?.intValue == height)
            #expect(video["width"]?.intValue == height * 16 / 9)
            #expect(video["codec_name"] == "h264")
            #expect(MediaSamples.stream(probe, "audio")?["codec_name"] == "aac")

            let playlist = try String(contentsOfFile: "\(local.path)/\(variant)", encoding: .utf8)
            #expect(playlist.contains("#EXT-X-MAP:URI="))
            let files = Self.uris(playlist)
            let initSegment = try #require(files.first)
            #expect(initSegment.hasSuffix("_init.fmp4"))
            let segments = Array(files.dropFirst())
            #expect(segments.count == 2)
            for segment in segments {
                #expect(segment.hasSuffix(".fmp4") && stored.contains(folder + segment))
                // Each segment, after its init segment, plays for segmentLength seconds.
                let joined = "\(local.path)/joined-\(segment).mp4"
                try (Data(contentsOf: URL(fileURLWithPath: "\(local.path)/\(initSegment)"))
                     + Data(contentsOf: URL(fileURLWithPath: "\(local.path)/\(segment)"))).write(to: URL(fileURLWithPath: joined))
                let duration = try MediaSamples.videoSeconds(joined)
                #expect(abs(duration - 2) < 0.15, "\(segment) lasts \(duration) s")
            }
        }

        // Thumbnails at 10, 20 and 30 %, each at both widths.
        for percent in [10, 20, 30] {
            for width in [390, 196] {
                let name = "run1-thumb_p\(percent)_w\(width).jpg"
                #expect(stored.contains(folder + name), "\(name) missing")
                let image = try MediaSamples.probeImage("\(local.path)/\(name)")
                #expect(MediaSamples.stream(image, "video")?["width"]?.intValue == width)
                #expect(MediaSamples.stream(image, "video")?["codec_name"] == "mjpeg")
            }
        }

        // Ingest the master (the emulator checks it and its variants are there) and play it back.
        let channel = try h.run(["channel", "build", "--output", "id"])
        try #require(channel.status == 0, "\(channel.stderr)")
        let ids = channel.stdoutLines
        try #require(ids.count == 3)
        let ingest = try h.run(["ingest", "--channel-id", ids[0], "--bucket", "media-out", "--object", "sdk_test/clip.mp4/run1-master.m3u8",
                                "--output", "id"], timeout: 60)
        try #require(ingest.status == 0, "\(ingest.stderr)")
        let assetID = ingest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let url = try h.run(["playback-url", "--channel-id", ids[0], "--asset-id", assetID, "--packaging-config-id", ids[2],
                             "--expires-in", "60"])
        try #require(url.status == 0, "\(url.stderr)")
        let playbackURL = url.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let token = try #require(playbackURL.split(separator: "&").first { $0.hasPrefix("token=") }.map { String($0.dropFirst(6)) })

        let served = try Self.get(playbackURL)
        #expect(served.status == 200)
        #expect(served.header("content-type") == "application/vnd.apple.mpegurl")
        let servedVariants = Self.uris(Self.text(served))
        #expect(servedVariants.count == 2)
        var fetched: [String] = []
        for variant in servedVariants {
            #expect(variant.hasPrefix("/20211101/hls/") && variant.hasSuffix("?token=\(token)"), "\(variant)")
            let v = try Self.get(h.server.baseURL + variant)
            #expect(v.status == 200)
            #expect(v.header("content-type") == "application/vnd.apple.mpegurl")
            let segmentURLs = Self.uris(Self.text(v))
            #expect(segmentURLs.count == 3)
            for segmentURL in segmentURLs {
                #expect(segmentURL.hasSuffix("?token=\(token)"))
                let s = try Self.get(h.server.baseURL + segmentURL)
                #expect(s.status == 200)
                #expect(s.header("content-type") == "video/mp4")
                let name = String(segmentURL.split(separator: "?")[0].split(separator: "/").last ?? "")
                #expect(s.body == (try store.read(namespace: ns, bucket: "media-out", object: folder + name)), "\(name) differs")
                fetched.append(segmentURL)
            }
            fetched.append(variant)
        }
        #expect(fetched.count == 8)

        // Without the token, or with another, nothing is served.
        let withoutToken = playbackURL.replacingOccurrences(of: "&token=\(token)", with: "")
        #expect(try Self.get(withoutToken).status == 401)
        #expect(try Self.get(playbackURL.replacingOccurrences(of: token, with: "wrong")).status == 401)
        for path in fetched {
            let bare = String(path.split(separator: "?")[0])
            #expect(try Self.get(h.server.baseURL + bare).status == 401)
            #expect(try Self.get(h.server.baseURL + bare + "?token=wrong").status == 401)
        }

        // A token for this asset opens nothing of another asset made from the same playlist.
        let other = try h.run(["ingest", "--channel-id", ids[0], "--bucket", "media-out", "--object", "sdk_test/clip.mp4/run1-master.m3u8",
                               "--output", "id"], timeout: 60)
        try #require(other.status == 0, "\(other.stderr)")
        let otherAsset = other.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try Self.get(playbackURL.replacingOccurrences(of: assetID, with: otherAsset)).status == 401)
        #expect(try Self.get(h.server.baseURL + fetched[0].replacingOccurrences(of: assetID, with: otherAsset)).status == 401)

        // Paths cannot leave the asset's folder.
        let base = "/20211101/hls/\(assetID)/\(ids[2])/"
        for escape in ["..%2Fclip.mp4", "../x", "%2E%2E/x", "a%2f..%2f..%2fx", "/etc/passwd", "", "run1_180p.m3u8%00"] {
            let r = h.emulator.handle(ServerRequest(method: "GET", target: base + escape + "?token=\(token)", headers: [], body: Data()))
            #expect([400, 404].contains(r.status), "\(escape) → \(r.status)")
        }

        // An expired token is refused everywhere.
        clock.advance(120)
        #expect(try Self.get(playbackURL).status == 401)
        #expect(try Self.get(h.server.baseURL + fetched[0]).status == 401)
        #expect(Self.text(try Self.get(h.server.baseURL + fetched[0])).contains("expired"))
    }

    @Test func aMissingInputObjectFailsTheJobWithGetFilesReason() throws {
        let h = try Self.harness()
        let store = try Self.store(h)
        try store.createBucket(namespace: MediaSamples.namespace, bucket: "media-in")
        try store.createBucket(namespace: MediaSamples.namespace, bucket: "media-out")
        let wf = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (run, job) = try Self.runJob(h, workflow: wf, video: "nope.mp4")
        #expect(run.status == 9, "\(run.stderr)")
        #expect(run.stderr.contains("FAILED in task getFiles: object nope.mp4 not found in bucket media-in"), "\(run.stderr)")
        #expect(job["lifecycleState"] == "FAILED")
        let states = job["taskLifecycleState"]?.arrayValue ?? []
        #expect(states.first?["lifecycleState"] == "FAILED")
        #expect(states.dropFirst().allSatisfy { $0["lifecycleState"] == "CANCELED" })
        #expect(try store.list(namespace: MediaSamples.namespace, bucket: "media-out").objects.isEmpty)
    }

    @Test func aCorruptInputFailsTheJobWithFfmpegsReason() throws {
        let h = try Self.harness()
        let store = try Self.store(h)
        try store.createBucket(namespace: MediaSamples.namespace, bucket: "media-in")
        try store.createBucket(namespace: MediaSamples.namespace, bucket: "media-out")
        try store.put(namespace: MediaSamples.namespace, bucket: "media-in", object: "broken.mp4", data: Digest.randomBytes(64 * 1024))
        let wf = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (run, job) = try Self.runJob(h, workflow: wf, video: "broken.mp4")
        #expect(run.status == 9, "\(run.stderr)")
        #expect(job["lifecycleState"] == "FAILED")
        let details = job["lifecycleDetails"]?.stringValue ?? ""
        #expect(details.hasPrefix("task transcode failed: ffmpeg could not transcode broken.mp4: "), "\(details)")
        #expect(details.contains("Invalid data found when processing input"), "\(details)")
        #expect(job["taskLifecycleState"]?[0]?["lifecycleState"] == "SUCCEEDED")
        #expect(try store.list(namespace: MediaSamples.namespace, bucket: "media-out").objects.isEmpty)
    }

    @Test func aMissingOutputBucketFailsPutFilesAndAnIngestNeedsAMasterPlaylist() throws {
        let h = try Self.harness()
        let store = try Self.store(h)
        let ns = MediaSamples.namespace
        try store.createBucket(namespace: ns, bucket: "media-in")
        let source = "\(h.dir.path)/silent.mp4"
        try MediaSamples.video(at: source, seconds: 2, size: "320x240", audio: false)
        try store.put(namespace: ns, bucket: "media-in", object: "silent.mp4", data: Data(contentsOf: URL(fileURLWithPath: source)))
        let wf = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let (run, job) = try Self.runJob(h, workflow: wf, video: "silent.mp4", destination: "gone")
        #expect(run.status == 9)
        // A video without audio transcodes; only the missing bucket fails the job.
        let states = job["taskLifecycleState"]?.arrayValue ?? []
        #expect(states.first { $0["key"] == "transcode" }?["lifecycleState"] == "SUCCEEDED")
        #expect(job["lifecycleDetails"] == "task putFiles failed: bucket gone not found in namespace ns")

        try store.createBucket(namespace: ns, bucket: "out")
        try store.put(namespace: ns, bucket: "out", object: "variant.m3u8", data: Data("#EXTM3U\n#EXTINF:2.0,\nseg.fmp4\n".utf8))
        let ids = try h.run(["channel", "build", "--output", "id"]).stdoutLines
        try #require(ids.count == 3)
        let notMaster = try h.run(["ingest", "--channel-id", ids[0], "--bucket", "out", "--object", "variant.m3u8"], timeout: 60)
        #expect(notMaster.status == 9)
        #expect(notMaster.stderr.contains("variant.m3u8 is not an HLS master playlist"), "\(notMaster.stderr)")
        let missing = try h.run(["ingest", "--channel-id", ids[0], "--bucket", "out", "--object", "nothing.m3u8"], timeout: 60)
        #expect(missing.status == 9)
        #expect(missing.stderr.contains("object nothing.m3u8 not found in bucket out"), "\(missing.stderr)")
    }

    /// getFiles → transcode (codec from the job) and a thumbnail task gated by `/video/doThumbnails`.
    static let gatedWorkflow = #"""
    {"tasks": [
      {"type": "getFiles", "version": 1, "key": "getFiles", "prerequisites": [],
       "parameters": {"taskParameters": [{"storageType": "objectStorage", "target": "in/${/video/srcVideo}", "namespaceName": "ns",
                                           "bucketName": "media-in", "objectName": "${/video/srcVideo}"}]}},
      {"type": "transcode", "version": 1, "key": "transcode", "prerequisites": ["getFiles"],
       "parameters": {"transcodeType": "standardTranscode", "standardTranscode": {"input": "${/getFiles/taskParameters/0/target}",
         "outputPrefix": "hevc", "videoCodec": "${/video/codec}", "audioCodec": "aac",
         "packaging": {"packageType": "hls", "segmentLength": 1}, "ladder": [{"size": {"height": 120}}]}}},
      {"type": "thumbnail", "version": 1, "key": "thumbnail", "prerequisites": ["getFiles"],
       "enableParameterReference": "/video/doThumbnails", "enableWhenReferencedParameterEquals": true,
       "parameters": {"thumbnails": {"input": "${/getFiles/taskParameters/0/target}", "frameSelectors": [{"namePrefix": "t", "format": "jpg",
         "sizes": [{"width": 64}], "clipImagePicker": {"percentList": {"pickList": [50]}}}]}}},
      {"type": "putFiles", "version": 1, "key": "putFiles", "prerequisites": ["transcode", "thumbnail"],
       "parameters": {"taskParameters": [{"namespaceName": "ns", "bucketName": "media-out", "source": "*", "objectName": "${/video/codec}/"}]}}
    ]}
    """#

    @Test func h265RenditionsADisabledTaskIsSkippedAndAnUnknownCodecIsRefused() throws {
        let h = try Self.harness()
        let store = try Self.store(h)
        let ns = MediaSamples.namespace
        try store.createBucket(namespace: ns, bucket: "media-in")
        try store.createBucket(namespace: ns, bucket: "media-out")
        let source = "\(h.dir.path)/small.mp4"
        try MediaSamples.video(at: source, seconds: 2, size: "320x240")
        try store.put(namespace: ns, bucket: "media-in", object: "small.mp4", data: Data(contentsOf: URL(fileURLWithPath: source)))
        let wf = try h.run(["workflow", "build", "-f", h.dir.write("gated.json", Self.gatedWorkflow), "--output", "id"])
        try #require(wf.status == 0, "\(wf.stderr)")
        let workflowID = wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        func job(codec: String) throws -> (CLIResult, JSONValue) {
            let params = h.dir.write("params-\(codec).json", #"{"video": {"srcVideo": "small.mp4", "codec": "\#(codec)", "doThumbnails": false}}"#)
            let create = try h.run(["job", "run", "--workflow-id", workflowID, "--parameters-file", params, "--output", "id"])
            let id = create.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
            try #require(create.status == 0, "\(create.stderr)")
            let wait = try h.run(["job", "wait", id], timeout: 120)
            return (wait, try JSONParser.parse(try h.run(["job", "get", id, "--output", "json"]).stdout))
        }

        let (wait, done) = try job(codec: "h265")
        #expect(wait.status == 0, "\(wait.stderr)")
        let thumbnail = done["taskLifecycleState"]?.arrayValue?.first { $0["key"] == "thumbnail" }
        #expect(thumbnail?["lifecycleState"] == "SKIPPED")
        #expect(thumbnail?["lifecycleDetails"] == "disabled: /video/doThumbnails is false; the task runs when it equals true")
        let names = try store.list(namespace: ns, bucket: "media-out", prefix: "h265/").objects.map(\.name)
        #expect(!names.contains { $0.hasSuffix(".jpg") })
        #expect(names.contains("h265/master.m3u8"))
        let local = TemporaryDirectory()
        for name in names { try store.read(namespace: ns, bucket: "media-out", object: name).write(to: URL(fileURLWithPath: "\(local.path)/\(name.dropFirst(5))")) }
        let probe = try MediaSamples.probe("\(local.path)/hevc_120p.m3u8", hls: true)
        #expect(MediaSamples.stream(probe, "video")?["codec_name"] == "hevc")
        #expect(MediaSamples.stream(probe, "video")?["height"]?.intValue == 120)
        #expect(MediaSamples.stream(probe, "video")?["width"]?.intValue == 160)
        #expect(try String(contentsOfFile: "\(local.path)/master.m3u8", encoding: .utf8).contains("CODECS=\"hvc1."))

        let (refused, failed) = try job(codec: "vp9")
        #expect(refused.status == 9)
        #expect(failed["lifecycleDetails"] == "task transcode failed: videoCodec vp9 is not supported; use h264 or h265")
    }

    /// The Object Storage namespace mediactl-emulator serves: `job run` checks its source video there (HEAD).
    static let binaryNamespace = "emulator"

    /// The emulator binary doing real media work, with buckets `in` (holding `video`, made now) and `out`
    /// in its `<state>/objects`.
    static func emulatorBinary(video: String, seconds: Int, size: String, rate: Int = 10) throws -> (EmulatorUnderTest, ObjectStore) {
        let emu = try EmulatorUnderTest(realMedia: true)
        let store = try ObjectStore(root: URL(fileURLWithPath: "\(emu.state.path)/objects"))
        try store.createBucket(namespace: Self.binaryNamespace, bucket: "in")
        try store.createBucket(namespace: Self.binaryNamespace, bucket: "out")
        let source = "\(emu.state.path)/\(video)"
        try MediaSamples.video(at: source, seconds: seconds, size: size, rate: rate)
        try store.put(namespace: Self.binaryNamespace, bucket: "in", object: video, data: Data(contentsOf: URL(fileURLWithPath: source)))
        return (emu, store)
    }

    @Test func aJobRunningWhenTheEmulatorIsKilledEndsFailedAfterTheRestart() throws {
        let (emu, _) = try Self.emulatorBinary(video: "long.mp4", seconds: 30, size: "640x360", rate: 25)
        let wf = try emu.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let jobID = try emu.run(["job", "run", "--workflow-id", wf, "--namespace", Self.binaryNamespace, "--source-bucket", "in",
                                 "--destination-bucket", "out", "--source-video", "long.mp4", "--output-prefix", "r", "--output", "id"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        var transcoding = false
        let deadline = Date().addingTimeInterval(30)
        while !transcoding && Date() < deadline {
            let job = try JSONParser.parse(try emu.run(["job", "get", jobID, "--output", "json"]).stdout)
            transcoding = job["taskLifecycleState"]?.arrayValue?.contains { $0["key"] == "transcode" && $0["lifecycleState"] == "IN_PROGRESS" } == true
            if !transcoding { usleep(100_000) }
        }
        try #require(transcoding)
        let port = emu.port
        emu.kill9()
        try emu.start(port: port)
        let job = try JSONParser.parse(try emu.run(["job", "get", jobID, "--output", "json"]).stdout)
        #expect(job["lifecycleState"] == "FAILED")
        #expect(job["lifecycleDetails"] == "the emulator stopped while the job ran; create the job again")
        let states = job["taskLifecycleState"]?.arrayValue ?? []
        #expect(states.map { $0["lifecycleState"]?.stringValue ?? "" } == ["SUCCEEDED", "FAILED", "CANCELED", "CANCELED", "CANCELED", "CANCELED"])
        #expect(states[1]["lifecycleDetails"] == "interrupted: the emulator stopped while the task ran")
        #expect(!FileManager.default.fileExists(atPath: "\(emu.state.path)/work/\(jobID)"))
    }

    @Test func aRealJobKeepsItsEndAcrossAnEmulatorRestart() throws {
        let (emu, store) = try Self.emulatorBinary(video: "clip.mp4", seconds: 2, size: "320x240")

        let wf = try emu.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let run = try emu.run(["job", "run", "--workflow-id", wf, "--namespace", Self.binaryNamespace, "--source-bucket", "in",
                               "--destination-bucket", "out", "--source-video", "clip.mp4", "--output-prefix", "r", "--wait",
                               "--output", "json"], timeout: 120)
        try #require(run.status == 0, "\(run.stderr)")
        let before = try JSONParser.parse(run.stdout)
        let jobID = try #require(before["id"]?.stringValue)
        #expect(before["lifecycleState"] == "SUCCEEDED")
        // One rendition: its init segment is named like the others, and its playlist points at it.
        let variant = try store.read(namespace: Self.binaryNamespace, bucket: "out", object: "sdk_test/clip.mp4/r_360p.m3u8")
        #expect(String(decoding: variant, as: UTF8.self).contains(#"#EXT-X-MAP:URI="r_360p_init.fmp4""#))
        #expect((try? store.info(namespace: Self.binaryNamespace, bucket: "out", object: "sdk_test/clip.mp4/r_360p_init.fmp4")) != nil)
        #expect((try? store.info(namespace: Self.binaryNamespace, bucket: "out", object: "sdk_test/clip.mp4/r-master.m3u8")) != nil)

        let port = emu.port
        emu.kill9()
        try emu.start(port: port)
        let after = try emu.run(["job", "get", jobID, "--output", "json"])
        #expect(after.status == 0, "\(after.stderr)")
        let job = try JSONParser.parse(after.stdout)
        #expect(job["lifecycleState"] == "SUCCEEDED")
        #expect(job["taskLifecycleState"] == before["taskLifecycleState"])
        #expect(job["outputs"] == before["outputs"])
        #expect(job["timeEnded"] == before["timeEnded"])
        // `mediactl job get` shows the skipped tasks as skipped.
        let text = try emu.run(["job", "get", jobID])
        #expect(text.stdout.contains("SKIPPED"), "\(text.stdout)")
    }
}
