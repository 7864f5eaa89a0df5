// The OCI Media Services verbs on typed options (workflow, channel, ingest, playback-url, publish), run in-process:
// bad input fails with one line naming the flag and sends nothing; prompts come in the lab's order; and against
// the emulator on loopback the typed values reach the wire and the results print as --output asks.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct OCIVerbsInProcessTests {
    static let channel = "ocid1.streamdistributionchannel.oc1.iad.aaaa"
    static let compartment = "ocid1.compartment.oc1..aaaa"

    // MARK: bad input: one line, exit 64, nothing sent

    struct Case: CustomTestStringConvertible, Sendable {
        let name: String
        let args: [String]
        let message: String
        var stdin = ""
        var testDescription: String { name }
    }

    static let badInput: [Case] = [
        Case(name: "kms key without AES128", args: ["channel", "build", "--compartment-id", compartment, "--kms-key-id", "ocid1.key.oc1.iad.aaaa"],
             message: "error: --kms-key-id needs --encryption AES128"),
        Case(name: "unknown packaging format", args: ["channel", "build", "--compartment-id", compartment, "--format", "MP4"],
             message: "error: --format: expected one of HLS, DASH, got 'MP4'"),
        Case(name: "segment length out of range", args: ["channel", "build", "--compartment-id", compartment, "--segment-seconds", "0"],
             message: "error: --segment-seconds: expected a number from 1 to 300, got 0"),
        Case(name: "every missing ingest value in one error", args: ["ingest"],
             message: "error: missing 5 values for `mediactl ingest`: give --channel-id (or MEDIACTL_CHANNEL_ID), --bucket (or MEDIACTL_PLAYLIST_BUCKET), "
                 + "--object, --namespace (or MEDIACTL_NAMESPACE), --compartment-id (or MEDIACTL_COMPARTMENT_ID)"),
        Case(name: "every missing playback-url value in one error", args: ["playback-url"],
             message: "error: missing 3 values for `mediactl playback-url`: give --asset-id, --packaging-config-id (or MEDIACTL_PACKAGING_CONFIG_ID), "
                 + "--channel-id (or MEDIACTL_CHANNEL_ID)"),
        Case(name: "workflow build with an invalid definition is refused before the compartment is missed",
             args: ["workflow", "build", "--file", "-"], message: "error: workflow /tasks/0/type: unknown task type 'nope'",
             stdin: #"{"tasks": [{"key": "a", "type": "nope", "version": 1, "parameters": {}}]}"#),
        Case(name: "publish without a source", args: ["publish", "--bucket", "b", "--compartment-id", compartment, "--channel-id", channel],
             message: "error: publish needs VIDEO (a local file) or --object (a video already in --bucket)"),
        Case(name: "publish with both channel choices", args: ["publish", "--object", "clip.mp4", "--create-channel", "--channel-id", channel],
             message: "error: --create-channel and --channel-id cannot be combined: pick one"),
        Case(name: "publish with neither channel choice", args: ["publish", "--object", "clip.mp4"],
             message: "error: publish needs --channel-id (an existing channel) or --create-channel"),
        Case(name: "publish: a packaging config with a new channel",
             args: ["publish", "--object", "clip.mp4", "--create-channel", "--packaging-config-id", "ocid1.streampackagingconfig.oc1.iad.aaaa"],
             message: "error: --packaging-config-id names a config of an existing channel; it cannot be combined with --create-channel"),
        Case(name: "publish: the combination rules come before the missing values", args: ["publish", "--object", "clip.mp4", "--create-channel"],
             message: "error: missing 2 values for `mediactl publish`: give --bucket (or MEDIACTL_SOURCE_BUCKET), --compartment-id (or MEDIACTL_COMPARTMENT_ID)"),
        Case(name: "publish: a bad bucket name", args: ["publish", "--object", "clip.mp4", "--create-channel", "--bucket", "a/b", "--compartment-id", compartment],
             message: "error: --bucket: "),
        Case(name: "publish: an output prefix with a slash",
             args: ["publish", "--object", "clip.mp4", "--create-channel", "--bucket", "b", "--compartment-id", compartment, "--output-prefix", "a/b"],
             message: "error: --output-prefix: expected 1 to 200 characters without '/' or control characters"),
        Case(name: "publish: an empty video file", args: ["publish", "/dev/null", "--create-channel"], message: "error: VIDEO /dev/null: "),
    ]

    @Test(arguments: badInput)
    func badInputIsOneLineAndSendsNothing(_ c: Case) throws {
        // The endpoint answers every request with a 500 and counts it: nothing may reach it.
        let hits = Hits()
        let server = try LoopbackServer { _ in hits.bump(); return HTTPResponse(status: 500) }
        defer { server.stop() }
        let r = InProcess.run(c.args, env: ["MEDIACTL_ENDPOINT": server.baseURL, "MEDIACTL_OBJECTSTORAGE_ENDPOINT": server.baseURL], stdin: c.stdin)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.hasPrefix(c.message), "\(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        #expect(hits.value == 0)
    }

    final class Hits: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func bump() { lock.withLock { n += 1 } }
        var value: Int { lock.withLock { n } }
    }

    // MARK: prompts

    @Test func ingestAsksInTheLabsOrderOnATerminal() {
        let terminal = TerminalFacts(stdinIsTTY: true, stdoutIsTTY: true, stderrIsTTY: true)
        let r = InProcess.run(["ingest", "--endpoint", "http://127.0.0.1:1"], env: ["OCI_CLI_CONFIG_FILE": "/nonexistent/config"], terminal: terminal,
                              answers: [Self.channel, "out", "a/master.m3u8", "ns", Self.compartment])
        #expect(r.prompts == ["Enter Channel OCID: ", "Provide Bucket Name where the playlist is located: ", "Enter Playlist Name: ",
                              "Object Storage namespace: ", "Compartment OCID: "])
        // Every value was there; the run then stops at the missing OCI config (exit 3), before any request.
        #expect(r.status == 3, "\(r.stderr)")
    }

    // MARK: offline results

    @Test func aDryRunPrintsTheLabWorkflowsBodyWithoutACompartment() throws {
        let r = InProcess.run(["workflow", "build", "--dry-run"])
        #expect(r.status == 0, "\(r.stderr)")
        let body = try JSONParser.parse(r.stdout)
        #expect(body["compartmentId"] == "<compartment-id>")
        #expect(body["displayName"]?.stringValue == LabWorkflow.displayName)
        #expect(body["tasks"]?.arrayValue?.count == LabWorkflow.definition.tasks.count)
    }

    @Test func validateWithOutputIdPrintsWhatTextPrints() {
        let text = InProcess.run(["workflow", "validate"])
        let ids = InProcess.run(["workflow", "validate", "--output", "id"])
        #expect(text.status == 0 && ids.status == 0)
        let lines = text.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first == "valid: \(LabWorkflow.definition.tasks.count) tasks")
        #expect(lines.dropFirst().allSatisfy { $0.hasPrefix("job parameter: ") } && lines.count > 1)
        #expect(ids.stdout == text.stdout)
    }

    @Test func validateWithOutputJsonPrintsTheReportOfAnInvalidDefinitionThenFails() throws {
        let r = InProcess.run(["workflow", "validate", "--file", "-", "--output", "json"],
                              stdin: #"{"tasks": [{"key": "a", "type": "nope", "version": 1, "parameters": {}}]}"#)
        #expect(r.status == 64)
        let report = try JSONParser.parse(r.stdout)
        #expect(report["valid"] == false)
        #expect(report["problems"]?[0]?["path"] == "/tasks/0/type")
        #expect(r.stderr.hasPrefix("error: workflow /tasks/0/type: "), "\(r.stderr)")
    }

    // MARK: against the emulator

    @Test func channelBuildSendsTheTypedChoicesAndPrintsEachPart() throws {
        let h = try EmulatorHarness()
        let r = InProcess.run(["channel", "build", "--name", "dash-test", "--format", "DASH", "--segment-seconds", "4",
                               "--encryption", "AES128", "--output", "json"], env: h.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let doc = try JSONParser.parse(r.stdout)
        #expect(doc.objectValue?.map(\.0) == ["channel", "cdnConfig", "packagingConfig"])
        let creates = h.emulator.requests.filter { $0.method == "POST" }
        #expect(creates.map(\.path) == [ResourceKind.channel, .cdnConfig, .packagingConfig].map { "/20211101" + $0.collectionPath })
        let packaging = try JSONParser.parse(creates[2].body)
        #expect(packaging["streamPackagingFormat"] == "DASH")
        #expect(packaging["segmentTimeInSeconds"] == 4)
        #expect(packaging["encryption"] == ["algorithm": "AES128"])
        #expect(packaging["displayName"] == "dash-test")
        #expect(packaging["distributionChannelId"] == doc["channel"]?["id"])
    }

    @Test func channelBuildTextNamesEachPartAsItsProgressLineDoes() throws {
        let h = try EmulatorHarness()
        let r = InProcess.run(["channel", "build", "--name", "labels"], env: h.environment)
        #expect(r.status == 0, "\(r.stderr)")
        // The ids as the progress lines on stderr (after their timestamp) told them, one per part, in order.
        let progress = ["Created distribution channel ", "Created CDN config ", "Created packaging config "]
        let ids = progress.map { p in
            r.stderr.split(separator: "\n").compactMap { line in line.range(of: p).map { String(line[$0.upperBound...]) } }.first ?? ""
        }
        #expect(zip(ids, ["streamdistributionchannel", "streamcdnconfig", "streampackagingconfig"]).allSatisfy { OCID.isValid($0, type: $1) },
                "\(r.stderr)")
        #expect(r.stdout.split(separator: "\n").map(String.init)
                == ["distribution channel: \(ids[0])", "CDN config:           \(ids[1])", "packaging config:     \(ids[2])"], "\(r.stdout)")
    }

    @Test func channelBuildTagsAllThreeAndWaitsForEach() throws {
        let h = try EmulatorHarness()
        let r = InProcess.run(["channel", "build", "--name", "tagged", "--freeform-tags", #"{"team": "media"}"#,
                               "--defined-tags", #"{"Ops": {"CostCenter": "42"}}"#, "--wait-for-state", "active", "--output", "json"],
                              env: h.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let creates = h.emulator.requests.filter { $0.method == "POST" }
        #expect(creates.count == 3)
        for create in creates {
            let body = try JSONParser.parse(create.body)
            #expect(body["freeformTags"] == ["team": "media"], "\(create.path)")
            #expect(body["definedTags"] == ["Ops": ["CostCenter": "42"]], "\(create.path)")
        }
        // Each of the three was read back by the wait, and what is printed is what the wait read.
        let doc = try JSONParser.parse(r.stdout)
        for key in ["channel", "cdnConfig", "packagingConfig"] {
            let id = try #require(doc[key]?["id"]?.stringValue)
            #expect(h.emulator.requests.contains { $0.method == "GET" && $0.path.hasSuffix("/\(id)") }, "\(key) was not waited for")
            #expect(doc[key]?["lifecycleState"] == "ACTIVE")
        }
        let bad = InProcess.run(["channel", "build", "--freeform-tags", #"{"team": 1}"#], env: h.environment)
        #expect(bad.status == 64 && bad.stderr.contains("--freeform-tags: the value of \"team\" must be a string"))
        #expect(h.emulator.requests.filter { $0.method == "POST" }.count == 3, "a bad tag sends nothing")
    }

    @Test func ingestWithoutWaitingPrintsTheAssetAndTheStartedJob() throws {
        let h = try EmulatorHarness()
        let channel = InProcess.run(["channel", "build", "--output", "id"], env: h.environment)
        let channelID = try #require(channel.stdout.split(separator: "\n").first.map(String.init), "\(channel.stderr)")
        let r = InProcess.run(["ingest", "--channel-id", channelID, "--namespace", "ns", "--bucket", "out", "--object", "a/run-master.m3u8",
                               "--no-wait", "--name", "my-asset"], env: h.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines[0].hasPrefix("media asset: ocid1.mediaasset."))
        #expect(lines[1].hasPrefix("ingest job:  ocid1.") && lines[1].hasSuffix(" started"), "\(lines)")
        // Nothing was polled: the last request is the ingest itself.
        #expect(h.emulator.requests.last?.method == "POST")
        let asset = try JSONParser.parse(try #require(h.emulator.requests.first { $0.path.hasSuffix("/mediaAssets") }).body)
        #expect(asset["displayName"] == "my-asset")
        #expect(asset["objectName"] == "a/run-master.m3u8")
    }
}
