// The lab's whole flow, and each command, run through the built binary against the emulator on
// loopback: real HTTP, real signatures (the emulator verifies them with the public key).
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct LabFlowTests {
    @Test func theWholeLabFlowRunsEndToEnd() throws {
        let h = try EmulatorHarness()

        // build a workflow
        let wf = try h.run(["workflow", "build", "--output", "id"])
        #expect(wf.status == 0, "\(wf.stderr)")
        let workflowID = wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(OCID.isValid(workflowID, type: "mediaworkflow"))
        #expect(wf.stderr.contains("Created media workflow \(workflowID)"))

        // run a job and wait for it
        let job = try h.run(["job", "run", "--workflow-id", workflowID, "--source-bucket", "in", "--destination-bucket", "out",
                             "--namespace", "ns", "--source-video", "clip.mp4", "--output-prefix", "run1", "--wait", "--output", "json"])
        #expect(job.status == 0, "\(job.stderr)")
        let jobJSON = try JSONParser.parse(job.stdout)
        #expect(jobJSON["lifecycleState"] == "SUCCEEDED")
        #expect(jobJSON["mediaWorkflowId"]?.stringValue == workflowID)
        #expect(jobJSON["parameters"]?["video"]?["srcVideo"] == "clip.mp4")
        #expect(jobJSON["parameters"]?["video"]?["compartmentID"]?.stringValue == Fixtures.compartment)

        // build the streaming channel
        let channel = try h.run(["channel", "build", "--output", "id"])
        #expect(channel.status == 0, "\(channel.stderr)")
        let ids = channel.stdoutLines
        #expect(ids.count == 3)
        let (channelID, packagingID) = (ids[0], ids[2])
        #expect(OCID.isValid(channelID, type: "streamdistributionchannel"))
        #expect(OCID.isValid(packagingID, type: "streampackagingconfig"))

        // ingest the playlist and wait
        let ingest = try h.run(["ingest", "--channel-id", channelID, "--namespace", "ns", "--bucket", "out",
                                "--object", "sdk_test/clip.mp4/run1-master.m3u8", "--output", "id"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let assetID = ingest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(OCID.isValid(assetID, type: "mediaasset"))
        #expect(ingest.stderr.contains("Ingest completed."))

        // the session URL, and it plays: the emulator serves the playlist for that token
        let session = try h.run(["playback-url", "--channel-id", channelID, "--asset-id", assetID, "--packaging-config-id", packagingID])
        #expect(session.status == 0, "\(session.stderr)")
        let url = session.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(url.hasPrefix("\(h.server.baseURL)/20211101/actions/generatePlaylist?mediaAssetId=\(assetID)&streamPackagingConfigId=\(packagingID)&token="))
        let player = try CurlTransport()
        let playlist = try player.send(HTTPRequest(method: "GET", url: try #require(RequestURL(url))))
        #expect(playlist.status == 200)
        #expect(String(decoding: playlist.body, as: UTF8.self).hasPrefix("#EXTM3U"))
        let tampered = try player.send(HTTPRequest(method: "GET", url: try #require(RequestURL(url + "x"))))
        #expect(tampered.status == 401, "a wrong token is refused")

        // Every call was signed and verified; the emulator saw the lab's bodies.
        let log = h.emulator.requests.filter { !$0.path.hasSuffix("generatePlaylist") }
        #expect(log.allSatisfy { $0.status < 400 }, "\(log.filter { $0.status >= 400 }.map { "\($0.method) \($0.path) \($0.status)" })")
        let posts = log.filter { $0.method == "POST" }.map(\.path)
        #expect(posts == ["/20211101/mediaWorkflows", "/20211101/mediaWorkflowJobs", "/20211101/streamDistributionChannels",
                          "/20211101/streamCdnConfigs", "/20211101/streamPackagingConfigs", "/20211101/mediaAssets",
                          "/20211101/streamDistributionChannels/\(channelID)/actions/ingest", "/20211101/actions/generateSessionToken"])
        let workflowBody = try JSONParser.parse(log[0].body)
        #expect(workflowBody["tasks"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["getFiles", "transcode", "putFiles", "transcribe", "thumbnail", "visionDetection"])
        #expect(workflowBody["displayName"] == "sdk-demo")
        let packagingBody = try JSONParser.parse(log.first { $0.path.hasSuffix("streamPackagingConfigs") }!.body)
        #expect(packagingBody.compactText == #"{"distributionChannelId":"\#(channelID)","displayName":"test_sdk","streamPackagingFormat":"HLS","segmentTimeInSeconds":20,"encryption":{"algorithm":"NONE"}}"#)
        #expect(log.filter { $0.method != "GET" || !$0.path.contains("generatePlaylist") }.allSatisfy { $0.keyID == Fixtures.testKeyID })
    }

    @Test func aFailedIngestExitsNineWithTheJobsReason() throws {
        let h = try EmulatorHarness()
        let channel = try h.run(["channel", "build", "--output", "id"]).stdoutLines[0]
        // The emulator's fault rule scripts the failure (names alone never fail anything).
        h.emulator.addJobFault(JobFaultRule(target: .ingest("broken-master.m3u8"), message: "ingest failed: not a valid HLS master playlist"))
        let r = try h.run(["ingest", "--channel-id", channel, "--namespace", "ns", "--bucket", "b", "--object", "broken-master.m3u8"])
        #expect(r.status == 9)
        #expect(r.stderr.contains("FAILED"))
        #expect(r.stderr.contains("ingest failed"))
    }

    @Test func aWaitThatTimesOutExitsEight() throws {
        let h = try EmulatorHarness(pollsInProgress: 100)
        let channel = try h.run(["channel", "build", "--output", "id"]).stdoutLines[0]
        let r = try h.run(["ingest", "--channel-id", channel, "--namespace", "ns", "--bucket", "b", "--object", "m.m3u8", "--timeout", "1"])
        #expect(r.status == 8)
        #expect(r.stderr.contains("still IN_PROGRESS after 1 s"))
        // Backoff, not the lab's 10 calls a second: about two polls in one second.
        #expect(h.emulator.requests.filter { $0.method == "GET" }.count <= 3)
    }

    @Test func aFailedJobExitsNine() throws {
        let h = try EmulatorHarness()
        let wf = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        h.emulator.addJobFault(JobFaultRule(target: .job(nil, task: "transcode"), message: "task transcode failed: input could not be decoded"))
        let r = try h.run(["job", "run", "--workflow-id", wf, "--source-bucket", "in", "--destination-bucket", "out",
                           "--namespace", "ns", "--source-video", "failover-demo.mp4", "--output-prefix", "p", "--wait"])
        #expect(r.status == 9)
        #expect(r.stderr.contains("task transcode"))
    }

    @Test func jobParametersCanComeFromAFile() throws {
        let h = try EmulatorHarness()
        let wf = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let params = h.dir.write("params.json", #"{"video": {"srcVideo": "a.mp4", "srcBucket": "i", "dstBucket": "o", "namespace": "n", "compartmentID": "c", "outputPrefixName": "x"}}"#)
        let r = try h.run(["job", "run", "--workflow-id", wf, "--parameters-file", params, "--output", "json"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try JSONParser.parse(r.stdout)["parameters"]?["video"]?["srcVideo"] == "a.mp4")
    }
}

@Suite struct ResourceCommandTests {
    @Test func getListAndDeleteEveryKind() throws {
        let h = try EmulatorHarness()
        let wf = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let ch = try h.run(["channel", "build", "--output", "id"]).stdoutLines
        let ingest = try h.run(["ingest", "--channel-id", ch[0], "--namespace", "n", "--bucket", "b", "--object", "m.m3u8", "--output", "json"])
        let ingestJSON = try JSONParser.parse(ingest.stdout)
        let asset = ingestJSON["mediaAsset"]?["id"]?.stringValue ?? ""
        let job = ingestJSON["ingestJobId"]?.stringValue ?? ""
        let cases: [(String, String, [String])] = [("workflow", wf, []), ("job", job, []), ("channel", ch[0], []),
                                                   ("cdn-config", ch[1], ["--channel-id", ch[0]]),
                                                   ("packaging-config", ch[2], ["--channel-id", ch[0]]), ("asset", asset, [])]
        for (group, id, scope) in cases {
            let get = try h.run([group, "get", id, "--output", "json"])
            #expect(get.status == 0, "\(group) get: \(get.stderr)")
            #expect(try JSONParser.parse(get.stdout)["id"]?.stringValue == id)
            let list = try h.run([group, "list", "--output", "id"] + scope)
            #expect(list.status == 0, "\(group) list: \(list.stderr)")
            #expect(list.stdoutLines.contains(id), "\(group) list")
        }
        for (group, id, _) in cases.reversed() {
            let del = try h.run([group, "delete", id, "--yes"])
            #expect(del.status == 0, "\(group) delete: \(del.stderr)")
            let gone = try h.run([group, "get", id])
            #expect(gone.status == 5, "\(group) after delete")
            #expect(gone.stderr.contains("404 NotAuthorizedOrNotFound"))
            #expect(gone.stderr.contains("opc-request-id"))
        }
    }

    @Test func listAllFollowsTheNextPageHeader() throws {
        let h = try EmulatorHarness()
        for i in 0..<5 { _ = try h.run(["channel", "build", "--name", "c\(i)", "--output", "id"]) }
        let one = try h.run(["channel", "list", "--limit", "2", "--output", "id"])
        #expect(one.stdoutLines.count == 2)
        #expect(one.stderr.contains("more results: --page"))
        let all = try h.run(["channel", "list", "--limit", "2", "--all", "--output", "json"])
        #expect(all.status == 0)
        #expect(try JSONParser.parse(all.stdout)["items"]?.arrayValue?.count == 5)
        #expect(h.emulator.requests.filter { $0.method == "GET" && $0.path.hasSuffix("streamDistributionChannels") }.count == 1 + 3)
    }

    @Test func deleteWithoutATerminalNeedsYes() throws {
        let h = try EmulatorHarness()
        let wf = try h.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let before = h.requestCount
        let r = try h.run(["workflow", "delete", wf])
        #expect(r.status == 64)
        #expect(r.stderr.contains("pass --yes"))
        #expect(h.requestCount == before)
    }

    @Test func debugOutputRedactsSignaturesAndTokens() throws {
        let h = try EmulatorHarness()
        let ch = try h.run(["channel", "build", "--output", "id"]).stdoutLines
        let ingest = try h.run(["ingest", "--channel-id", ch[0], "--namespace", "n", "--bucket", "b", "--object", "m.m3u8", "--output", "id"])
        let r = try h.run(["playback-url", "--channel-id", ch[0], "--asset-id", ingest.stdout.trimmingCharacters(in: .whitespacesAndNewlines),
                           "--packaging-config-id", ch[2], "--debug"])
        #expect(r.status == 0, "\(r.stderr)")
        let token = String(r.stdout.split(separator: "token=").last ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(!token.isEmpty)
        #expect(r.stderr.contains("debug: > POST"))
        #expect(r.stderr.contains("signature=\"[REDACTED]\""))
        #expect(!r.stderr.contains(token))
        let keyBody = String(decoding: Fixtures.data(Fixtures.key("test_key.pem")), as: UTF8.self).split(separator: "\n")[1]
        #expect(!r.stderr.contains(keyBody))
    }
}
