// Issue 17's Media Services verbs (workflow-config, workflow list-system, task-declaration list, asset create and
// attachments, cdn-config / packaging-config create, channel generate-playlist, session-token create), in-process
// against the emulator on loopback: bad input is one line naming the flag, exit 64, nothing sent; the conveniences
// (inline parameters, update merging over the current parameters, the channel found from the packaging config) work.
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct MediaResourceCommandsTests {
    static func json(_ r: InProcessResult) throws -> JSONValue { try JSONParser.parse(Data(r.stdout.utf8)) }

    /// One line on stderr naming `flag`, exit 64, and the emulator saw nothing.
    static func refused(_ args: [String], naming flag: String, _ emu: EmulatorHarness) {
        let before = emu.requestCount
        let r = InProcess.run(args, env: emu.environment)
        #expect(r.status == 64, "\(args): \(r.stderr)")
        #expect(r.stderr.hasPrefix("error: ") && r.stderr.contains(flag), "\(args): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(args): \(r.stderr)")
        #expect(emu.requestCount == before, "\(args) sent a request")
    }

    @Test func badInputIsRefusedBeforeAnyRequest() throws {
        let emu = try EmulatorHarness()
        let asset = "ocid1.mediaasset.oc1.iad.aaaa", channel = "ocid1.streamdistributionchannel.oc1.iad.aaaa"
        let packaging = "ocid1.streampackagingconfig.oc1.iad.aaaa"
        Self.refused(["workflow-config", "create", "--name", "x"], naming: "--parameters-file or --parameter", emu)
        Self.refused(["workflow-config", "create", "--name", "x", "--parameter", "video"], naming: "--parameter", emu)
        Self.refused(["workflow-config", "create", "--name", "x", "--parameter", "nodot=1"], naming: "--parameter", emu)
        Self.refused(["workflow-config", "create", "--name", "x", "--parameter", "a.b:={"], naming: "--parameter", emu)
        Self.refused(["workflow-config", "update", "ocid1.mediaworkflowconfiguration.oc1.iad.aaaa"], naming: "nothing to change", emu)
        Self.refused(["asset", "create", "--type", "VIDEO", "--bucket", "b"], naming: "--bucket needs --object", emu)
        Self.refused(["asset", "create", "--type", "MOVIE"], naming: "--type", emu)
        Self.refused(["asset", "create", "--type", "VIDEO", "--segment-start", "5", "--segment-end", "2"], naming: "--segment-end", emu)
        Self.refused(["asset", "create", "--type", "VIDEO", "--asset-tag", "SYSTEM:"], naming: "--asset-tag", emu)
        Self.refused(["cdn-config", "create", "--channel-id", channel, "--name", "e", "--edge-hostname", "h"], naming: "--edge-hostname", emu)
        Self.refused(["packaging-config", "create", "--channel-id", channel, "--name", "p", "--kms-key-id", "ocid1.key.oc1.iad.aaaa"],
                     naming: "--kms-key-id", emu)
        Self.refused(["task-declaration", "list", "--is-current", "maybe"], naming: "--is-current", emu)
        Self.refused(["session-token", "create", "--packaging-config-id", packaging, "--expires", "soon"], naming: "--expires", emu)
        Self.refused(["session-token", "create", "--packaging-config-id", packaging, "--expires", "2001-01-01T00:00:00Z"], naming: "--expires", emu)
        Self.refused(["session-token", "create", "--packaging-config-id", packaging, "--scope", "ALL"], naming: "--scope", emu)
        Self.refused(["channel", "generate-playlist", "--asset-id", asset, "--packaging-config-id", packaging, "--file", emu.dir.path],
                     naming: "--file", emu)
        Self.refused(["asset", "attachment", "list", asset, "--all", "--page", "p"], naming: "--all and --page", emu)
    }

    @Test func workflowConfigInlineParametersAndMergingUpdate() throws {
        let emu = try EmulatorHarness()
        let created = InProcess.run(["workflow-config", "create", "--name", "cfg", "--parameter", "video.dstBucket=out",
                                     "--parameter", "video.height:=720", "--output", "json"], env: emu.environment)
        #expect(created.status == 0, "\(created.stderr)")
        let config = try Self.json(created)
        let id = try #require(config["id"]?.stringValue)
        #expect(config["parameters"] == ["video": ["dstBucket": "out", "height": 720]])

        // --parameter alone changes one value of the current parameters and keeps the rest.
        let updated = InProcess.run(["workflow-config", "update", id, "--parameter", "video.dstBucket=archive", "--parameter",
                                     "transcode.outputPrefix=p/", "--output", "json"], env: emu.environment)
        #expect(updated.status == 0, "\(updated.stderr)")
        #expect(try Self.json(updated)["parameters"] == ["video": ["dstBucket": "archive", "height": 720], "transcode": ["outputPrefix": "p/"]])

        let listed = InProcess.run(["workflow-config", "list", "--name", "cfg", "--output", "id"], env: emu.environment)
        #expect(listed.status == 0 && listed.stdout == id + "\n", "\(listed.stdout) \(listed.stderr)")

        // A stale etag is the service's 412: exit 6.
        let stale = InProcess.run(["workflow-config", "update", id, "--name", "n", "--if-match", "stale"], env: emu.environment)
        #expect(stale.status == 6, "\(stale.stderr)")
    }

    @Test func catalogueListsShowNamesVersionsAndSchemas() throws {
        let emu = try EmulatorHarness()
        let decl = InProcess.run(["task-declaration", "list", "--name", "getFiles"], env: emu.environment)
        #expect(decl.status == 0, "\(decl.stderr)")
        let lines = decl.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("getFiles version 1") == true, "\(decl.stdout)")
        #expect(lines.contains("  taskParameters*: [object]"), "\(decl.stdout)")
        #expect(lines.contains("    storageType*: objectStorage"), "\(decl.stdout)")

        let system = InProcess.run(["workflow", "list-system", "--output", "json"], env: emu.environment)
        #expect(system.status == 0, "\(system.stderr)")
        let names = try Self.json(system)["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        #expect(!names.isEmpty)
        let text = InProcess.run(["workflow", "list-system", "--name", names[0]], env: emu.environment)
        #expect(text.stdout.hasPrefix(names[0] + "\n") && text.stdout.contains("  tasks: "), "\(text.stdout)")
    }

    @Test func assetOfAnyTypeAndConfigsOnAnExistingChannel() throws {
        let emu = try EmulatorHarness()
        let build = InProcess.run(["channel", "build", "--output", "json"], env: emu.environment)
        #expect(build.status == 0, "\(build.stderr)")
        let channel = try #require(try Self.json(build)["channel"]?["id"]?.stringValue)

        let asset = InProcess.run(["asset", "create", "--type", "IMAGE", "--name", "thumb", "--bucket", "b", "--object", "t/1.jpg",
                                   "--namespace", "ns", "--segment-start", "1", "--segment-end", "3", "--metadata", "{\"w\": 64}",
                                   "--asset-tag", "thumbnail", "--output", "json"], env: emu.environment)
        #expect(asset.status == 0, "\(asset.stderr)")
        let a = try Self.json(asset)
        #expect(a["type"] == "IMAGE" && a["objectName"] == "t/1.jpg" && a["segmentRangeEndIndex"] == 3)
        #expect(a["mediaAssetTags"] == [["type": "USER", "value": "thumbnail"]])

        let akamai = InProcess.run(["cdn-config", "create", "--channel-id", channel, "--name", "ak", "--type", "AKAMAI_MANUAL",
                                    "--edge-hostname", "media.example.com", "--edge-token-auth", "true", "--output", "json"],
                                   env: emu.environment.merging(["MEDIACTL_AKAMAI_ORIGIN_SECRET_KEY_A": "from-env"]) { $1 })
        #expect(akamai.status == 0, "\(akamai.stderr)")
        let sent = try #require(emu.emulator.requests.last { $0.method == "POST" && $0.path.hasSuffix("/streamCdnConfigs") })
        let body = try JSONParser.parse(sent.body)
        #expect(body["config"] == ["type": "AKAMAI_MANUAL", "originAuthSecretKeyA": "from-env", "edgeHostname": "media.example.com",
                                   "isEdgeTokenAuth": true])

        let dash = InProcess.run(["packaging-config", "create", "--channel-id", channel, "--name", "dash", "--format", "DASH",
                                  "--segment-seconds", "6", "--output", "json"], env: emu.environment)
        #expect(dash.status == 0, "\(dash.stderr)")
        #expect(try Self.json(dash)["streamPackagingFormat"] == "DASH")
    }

    /// The config creates take the tag flags (sent as the SDK's freeformTags/definedTags) and --wait-for-state.
    @Test func configCreatesTakeTagsAndWaitForAState() throws {
        let emu = try EmulatorHarness()
        let build = InProcess.run(["channel", "build", "--output", "json"], env: emu.environment)
        let channel = try #require(try Self.json(build)["channel"]?["id"]?.stringValue)
        let tags = ["--freeform-tags", #"{"team": "media"}"#, "--defined-tags", #"{"Ops": {"CostCenter": "42"}}"#]
        let runs: [([String], String)] = [
            (["packaging-config", "create", "--channel-id", channel, "--name", "tagged"], "/streamPackagingConfigs"),
            (["cdn-config", "create", "--channel-id", channel, "--name", "tagged"], "/streamCdnConfigs"),
            (["workflow-config", "create", "--name", "tagged", "--parameter", "video.outputPrefixName=x"], "/mediaWorkflowConfigurations"),
        ]
        for (argv, path) in runs + [(["asset", "create", "--type", "VIDEO", "--name", "tagged", "--bucket", "b", "--object", "v.mp4",
                                       "--namespace", "ns"], "/mediaAssets")] {
            let r = InProcess.run(argv + tags + ["--wait-for-state", "active", "--max-wait-seconds", "30", "--output", "json"], env: emu.environment)
            #expect(r.status == 0, "\(argv): \(r.stderr)")
            #expect(try Self.json(r)["lifecycleState"] == "ACTIVE", "\(r.stdout)")
            let sent = try #require(emu.emulator.requests.last { $0.method == "POST" && $0.path.hasSuffix(path) })
            let body = try JSONParser.parse(sent.body)
            #expect(body["freeformTags"] == ["team": "media"] && body["definedTags"] == ["Ops": ["CostCenter": "42"]], "\(body)")
        }
        // workflow build takes the tags too (a new workflow is ACTIVE at once: no wait to ask for).
        let wf = InProcess.run(["workflow", "build", "--name", "tagged"] + tags + ["--output", "id"], env: emu.environment)
        #expect(wf.status == 0, "\(wf.stderr)")
        let sent = try #require(emu.emulator.requests.last { $0.method == "POST" && $0.path.hasSuffix("/mediaWorkflows") })
        #expect(try JSONParser.parse(sent.body)["freeformTags"] == ["team": "media"])
        Self.refused(["packaging-config", "create", "--channel-id", channel, "--name", "p", "--wait-for-state", "BOGUS"],
                     naming: "--wait-for-state", emu)
        Self.refused(["cdn-config", "create", "--channel-id", channel, "--name", "c", "--freeform-tags", "{not json"],
                     naming: "--freeform-tags", emu)
    }

    @Test func playlistAndSessionTokenFindTheChannelFromThePackagingConfig() throws {
        let emu = try EmulatorHarness()
        let build = try Self.json(InProcess.run(["channel", "build", "--output", "json"], env: emu.environment))
        let packaging = try #require(build["packagingConfig"]?["id"]?.stringValue)
        let asset = try #require(InProcess.run(["asset", "create", "--type", "PLAYLIST", "--bucket", "b", "--object", "m.m3u8",
                                                "--namespace", "ns", "--output", "id"], env: emu.environment).stdout
            .split(separator: "\n").first.map(String.init))

        let file = emu.dir.path + "/master.m3u8"
        let r = InProcess.run(["channel", "generate-playlist", "--asset-id", asset, "--packaging-config-id", packaging, "--file", file],
                              env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let playlist = try String(contentsOfFile: file, encoding: .utf8)
        #expect(playlist.hasPrefix("#EXTM3U"), "\(playlist)")
        let stdout = InProcess.run(["channel", "generate-playlist", "--asset-id", asset, "--packaging-config-id", packaging, "--file", "-"],
                                   env: emu.environment)
        #expect(stdout.status == 0 && stdout.stdout.hasPrefix("#EXTM3U"), "\(stdout.stderr)")

        let token = InProcess.run(["session-token", "create", "--packaging-config-id", packaging, "--asset-id", asset, "--scope", "PLAYLIST",
                                   "--expires", "1h", "--output", "json"], env: emu.environment)
        #expect(token.status == 0, "\(token.stderr)")
        let t = try Self.json(token)
        #expect(t["scopes"] == ["PLAYLIST"] && (t["token"]?.stringValue?.isEmpty == false))
        let sent = try #require(emu.emulator.requests.last { $0.path.hasSuffix("/actions/generateSessionToken") })
        let body = try JSONParser.parse(sent.body)
        #expect(body["scopes"] == ["PLAYLIST"] && body["assetIds"] == [.string(asset)] && body["timeExpires"]?.stringValue != nil)
    }

    @Test func attachmentsOfAnIngestedAsset() throws {
        let emu = try EmulatorHarness()
        let build = try Self.json(InProcess.run(["channel", "build", "--output", "json"], env: emu.environment))
        let channel = try #require(build["channel"]?["id"]?.stringValue)
        let ingest = InProcess.run(["ingest", "--channel-id", channel, "--bucket", "b", "--object", "m.m3u8", "--namespace", "ns",
                                    "--no-wait", "--output", "json"], env: emu.environment)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let asset = try #require(try Self.json(ingest)["mediaAsset"]?["id"]?.stringValue)

        let list = InProcess.run(["asset", "attachment", "list", asset, "--output", "id"], env: emu.environment)
        #expect(list.status == 0 && list.stdout == channel + "\n", "\(list.stdout) \(list.stderr)")
        let get = InProcess.run(["asset", "attachment", "get", asset, "--channel-id", channel], env: emu.environment)
        #expect(get.status == 0, "\(get.stderr)")
        #expect(get.stdout.hasPrefix("attachment of \(asset) to channel \(channel)\n  version: 1\n"), "\(get.stdout)")
        let wrongVersion = InProcess.run(["asset", "attachment", "delete", asset, "--channel-id", channel, "--version", "7", "--yes"],
                                         env: emu.environment)
        #expect(wrongVersion.status != 0)
        let delete = InProcess.run(["asset", "attachment", "delete", asset, "--channel-id", channel, "--version", "1", "--yes"],
                                   env: emu.environment)
        #expect(delete.status == 0, "\(delete.stderr)")
        let after = InProcess.run(["asset", "attachment", "list", asset, "--output", "id"], env: emu.environment)
        #expect(after.status == 0 && after.stdout.isEmpty, "\(after.stdout)")
    }

    @Test func ingestOfAnExistingAssetAndWorkflowsWithConfigurations() throws {
        let emu = try EmulatorHarness()
        let build = try Self.json(InProcess.run(["channel", "build", "--output", "json"], env: emu.environment))
        let channel = try #require(build["channel"]?["id"]?.stringValue)
        let asset = try #require(InProcess.run(["asset", "create", "--type", "PLAYLIST", "--bucket", "b", "--object", "m.m3u8",
                                                "--namespace", "ns", "--output", "id"], env: emu.environment).stdout
            .split(separator: "\n").first.map(String.init))
        Self.refused(["ingest", "--channel-id", channel, "--asset-id", asset, "--bucket", "b"], naming: "--bucket cannot be combined with --asset-id", emu)

        let before = emu.emulator.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/mediaAssets") }.count
        let ingest = InProcess.run(["ingest", "--channel-id", channel, "--asset-id", asset, "--no-wait", "--output", "json"], env: emu.environment)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let doc = try Self.json(ingest)
        #expect(doc["mediaAssetId"]?.stringValue == asset && doc["ingestJobId"]?.stringValue?.hasPrefix("ocid1.mediaworkflowjob") == true)
        #expect(emu.emulator.requests.filter { $0.method == "POST" && $0.path.hasSuffix("/mediaAssets") }.count == before, "no second asset")
        let attached = InProcess.run(["asset", "attachment", "list", asset, "--output", "id"], env: emu.environment)
        #expect(attached.stdout == channel + "\n", "\(attached.stdout) \(attached.stderr)")

        let config = InProcess.run(["workflow-config", "create", "--name", "c", "--parameter", "video.dstBucket=o", "--output", "id"],
                                   env: emu.environment).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let dry = InProcess.run(["workflow", "build", "--dry-run", "--configuration-id", config, "--configuration-id", config], env: emu.environment)
        #expect(dry.status == 0, "\(dry.stderr)")
        #expect(try Self.json(dry)["mediaWorkflowConfigurationIds"] == [.string(config)])
        let wf = InProcess.run(["workflow", "build", "--configuration-id", config, "--output", "json"], env: emu.environment)
        #expect(wf.status == 0, "\(wf.stderr)")
        #expect(try Self.json(wf)["mediaWorkflowConfigurationIds"] == [.string(config)])
    }

    @Test func expiryTakesTimesAndLifetimes() throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try ExpiryTime.parse("3600", now: now, flag: "expires") == now.addingTimeInterval(3600))
        #expect(try ExpiryTime.parse("90m", now: now, flag: "expires") == now.addingTimeInterval(5400))
        #expect(try ExpiryTime.parse("7d", now: now, flag: "expires") == now.addingTimeInterval(7 * 86_400))
        #expect(try ExpiryTime.parse("2030-01-01T00:00:00Z", now: now, flag: "expires") == Date(timeIntervalSince1970: 1_893_456_000))
        #expect(throws: MediaError.self) { try ExpiryTime.parse("0", now: now, flag: "expires") }
    }
}
