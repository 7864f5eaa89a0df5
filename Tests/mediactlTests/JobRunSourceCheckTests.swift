// `job run` checks its source object (HEAD) before it creates the job: in-process against the emulator's Media
// Services and Object Storage on loopback (real HTTP, real signatures). Missing: one line naming the flags and
// namespace/bucket/object, exit 5, no job. Not allowed to look (403): a warning, and the job is created.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct JobRunSourceCheckTests {
    /// The emulator with Object Storage (namespace `ns`, bucket `media`), a workflow, and mediactl pointed at both.
    static func harness() throws -> (EmulatorHarness, workflow: String) {
        let emu = try ObjectStorageVerbTests.harness()
        let wf = InProcess.run(["workflow", "build", "--output", "id"], env: emu.environment)
        #expect(wf.status == 0, "\(wf.stderr)")
        return (emu, wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    static func lab(_ workflow: String, video: String) -> [String] {
        ["job", "run", "--workflow-id", workflow, "--source-bucket", "media", "--destination-bucket", "out", "--namespace", "ns",
         "--source-video", video, "--output-prefix", "run1"]
    }

    /// The jobs the emulator holds, as `job list` prints them.
    static func jobCount(_ emu: EmulatorHarness) throws -> Int {
        let r = InProcess.run(["job", "list", "--output", "json"], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let json = try JSONParser.parse(Data(r.stdout.utf8))
        return try #require(json["items"]?.arrayValue ?? json.arrayValue, "\(r.stdout)").count
    }

    static func jobPosts(_ emu: EmulatorHarness) -> Int {
        emu.emulator.requests.filter { $0.method == "POST" && $0.path == "/20211101/mediaWorkflowJobs" }.count
    }

    @Test func aMissingSourceObjectStopsBeforeAnyJobIsCreated() throws {
        let (emu, wf) = try Self.harness()
        let r = InProcess.run(Self.lab(wf, video: "missing.mp4"), env: emu.environment)
        #expect(r.status == ExitCode.notFound.rawValue, "\(r.stderr)")
        let lines = r.stderr.split(separator: "\n")
        #expect(lines.count == 1, "one line: \(r.stderr)")
        #expect(r.stderr.hasPrefix("error: --namespace/--source-bucket/--source-video: the source object ns/media/missing.mp4 does not exist"),
                "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(emu.emulator.requests.contains { $0.method == "HEAD" && $0.path == "/n/ns/b/media/o/missing.mp4" && $0.status == 404 })
        #expect(Self.jobPosts(emu) == 0)
        #expect(try Self.jobCount(emu) == 0)
    }

    @Test func aPresentSourceObjectIsCheckedThenTheJobIsCreated() throws {
        let (emu, wf) = try Self.harness()
        try ObjectStorageVerbTests.put(emu, "clip.mp4")
        let r = InProcess.run(Self.lab(wf, video: "clip.mp4") + ["--output", "json"], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!r.stderr.contains("warning"), "\(r.stderr)")
        #expect(try JSONParser.parse(Data(r.stdout.utf8))["parameters"]?["video"]?["srcVideo"] == "clip.mp4")
        let log = emu.emulator.requests.map { "\($0.method) \($0.path)" }
        let head = try #require(log.firstIndex(of: "HEAD /n/ns/b/media/o/clip.mp4"))
        let post = try #require(log.firstIndex(of: "POST /20211101/mediaWorkflowJobs"))
        #expect(head < post, "the HEAD goes first: \(log)")
        #expect(try Self.jobCount(emu) == 1)
    }

    @Test func aParametersFileSourceIsCheckedTooAndNamedInTheError() throws {
        let (emu, wf) = try Self.harness()
        let params = emu.dir.write("params.json", #"{"video": {"srcVideo": "gone.mp4", "srcBucket": "media", "dstBucket": "o", "namespace": "ns", "compartmentID": "c", "outputPrefixName": "x"}}"#)
        let r = InProcess.run(["job", "run", "--workflow-id", wf, "--parameters-file", params], env: emu.environment)
        #expect(r.status == 5, "\(r.stderr)")
        #expect(r.stderr.contains("--parameters-file (video.namespace/srcBucket/srcVideo): the source object ns/media/gone.mp4 does not exist"),
                "\(r.stderr)")
        #expect(Self.jobPosts(emu) == 0)
    }

    @Test func notAuthorizedToLookWarnsAndCreatesTheJobAnyway() throws {
        let (emu, wf) = try Self.harness()
        // An Object Storage that refuses the caller (403) on every HEAD; the Media Services calls go to the emulator.
        let heads = HeadCounter()
        let refusing = try LoopbackServer { request in
            heads.add()
            let body = #"{"code": "NotAuthorized", "message": "not authorized to read the object"}"#
            return HTTPResponse(status: request.method == "HEAD" ? 403 : 400, headers: [("Content-Type", "application/json")],
                                body: request.method == "HEAD" ? Data() : Data(body.utf8))
        }
        defer { refusing.stop() }
        let r = InProcess.run(Self.lab(wf, video: "clip.mp4") + ["--output", "id"],
                              env: emu.environment.merging(["MEDIACTL_OBJECTSTORAGE_ENDPOINT": refusing.baseURL]) { $1 })
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: cannot check the source object ns/media/clip.mp4: not authorized to read it; creating the job anyway"),
                "\(r.stderr)")
        #expect(heads.value >= 1)
        #expect(OCID.isValid(r.stdout.trimmingCharacters(in: .whitespacesAndNewlines), type: "mediaworkflowjob"))
        #expect(Self.jobPosts(emu) == 1)
    }

    @Test func noAnswerFromObjectStorageWarnsAndCreatesTheJob() throws {
        let (emu, wf) = try Self.harness()
        // A port nothing listens on: connection refused (unreachable, not retried).
        let closed = try LoopbackServer { _ in HTTPResponse(status: 500) }
        let url = closed.baseURL
        closed.stop()
        let r = InProcess.run(Self.lab(wf, video: "clip.mp4"), env: emu.environment.merging(["MEDIACTL_OBJECTSTORAGE_ENDPOINT": url]) { $1 })
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("warning: cannot check the source object ns/media/clip.mp4: "), "\(r.stderr)")
        #expect(r.stderr.contains("creating the job anyway"))
        #expect(Self.jobPosts(emu) == 1)
    }

    @Test func aCustomMediaServicesEndpointWithoutAnObjectStorageOneSkipsTheCheck() throws {
        let (emu, wf) = try Self.harness()
        var env = emu.environment
        env["MEDIACTL_OBJECTSTORAGE_ENDPOINT"] = nil
        let r = InProcess.run(Self.lab(wf, video: "missing.mp4"), env: env)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(!emu.emulator.requests.contains { $0.method == "HEAD" })
        #expect(Self.jobPosts(emu) == 1)
    }
}

/// A thread-safe count of the calls a test server saw.
private final class HeadCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
