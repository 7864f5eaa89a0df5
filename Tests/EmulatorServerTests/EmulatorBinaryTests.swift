// The real `mediactl-emulator` and `mediactl` binaries against each other: the lab flow, kill -9 restarts (Media Services and OpenTok), injected faults, refused signatures.
import Foundation
import MediaKit
import Testing
import TestSupport
import EmulatorServer

@Suite struct EmulatorBinaryTests {
    @Test func theLabFlowRunsThroughMediactlAgainstTheEmulatorBinary() throws {
        let emu = try EmulatorUnderTest(jobSeconds: 2.5)
        try emu.putSource("clip.mp4", bucket: "in")
        let wf = try emu.run(["workflow", "build", "--output", "id"])
        #expect(wf.status == 0, "\(wf.stderr)")
        let workflowID = wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(OCID.isValid(workflowID, type: "mediaworkflow"))

        let job = try emu.run(["job", "run", "--workflow-id", workflowID, "--source-bucket", "in", "--destination-bucket", "out",
                               "--source-video", "clip.mp4", "--output-prefix", "run1", "--wait", "--output", "json"])
        #expect(job.status == 0, "\(job.stderr)")
        #expect(try JSONParser.parse(job.stdout)["lifecycleState"] == "SUCCEEDED")
        // On the clock, a waiting client sees the job pass through IN_PROGRESS.
        #expect(job.stderr.contains("IN_PROGRESS"))

        let channel = try emu.run(["channel", "build", "--output", "id"])
        #expect(channel.status == 0, "\(channel.stderr)")
        let ids = channel.stdoutLines
        try #require(ids.count == 3)

        let ingest = try emu.run(["ingest", "--channel-id", ids[0], "--bucket", "out",
                                  "--object", "sdk_test/clip.mp4/run1-master.m3u8", "--output", "id"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let assetID = ingest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let url = try emu.run(["playback-url", "--channel-id", ids[0], "--asset-id", assetID, "--packaging-config-id", ids[2]])
        #expect(url.status == 0, "\(url.stderr)")
        let playbackURL = url.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(playbackURL.hasPrefix("\(emu.endpoint)/20211101/actions/generatePlaylist?"))
        let playlist = try emu.send("GET", String(playbackURL.dropFirst(emu.endpoint.count)))
        #expect(playlist.status == 200)
        #expect(String(decoding: playlist.body, as: UTF8.self).hasPrefix("#EXTM3U"))
        #expect(playlist.header("opc-request-id")?.isEmpty == false)
    }

    @Test func aKilledEmulatorRestartsWithNothingLostAndTheJobFinishes() throws {
        let emu = try EmulatorUnderTest(jobSeconds: 4)
        try emu.putSource("clip.mp4", bucket: "in")
        let workflowID = try emu.run(["workflow", "build", "--output", "id"]).stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let jobID = try emu.run(["job", "run", "--workflow-id", workflowID, "--source-bucket", "in", "--destination-bucket", "out",
                                 "--source-video", "clip.mp4", "--output-prefix", "r", "--output", "id"])
            .stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(OCID.isValid(jobID, type: "mediaworkflowjob"))
        var state = ""
        let deadline = Date().addingTimeInterval(10)
        while state != "IN_PROGRESS" && Date() < deadline {
            let job = try emu.run(["job", "get", jobID, "--output", "json"])
            state = (try? JSONParser.parse(job.stdout))?["lifecycleState"]?.stringValue ?? ""
            if state != "IN_PROGRESS" { usleep(200_000) }
        }
        try #require(state == "IN_PROGRESS")

        let port = emu.port
        emu.kill9()
        try emu.start(port: port)

        let workflows = try emu.run(["workflow", "list", "--output", "id"])
        #expect(workflows.stdoutLines == [workflowID])
        let wait = try emu.run(["job", "wait", jobID, "--output", "json"])
        #expect(wait.status == 0, "\(wait.stderr)")
        let done = try JSONParser.parse(wait.stdout)
        #expect(done["lifecycleState"] == "SUCCEEDED")
        #expect(done["taskLifecycleState"]?.arrayValue?.allSatisfy { $0["lifecycleState"] == "SUCCEEDED" } == true)
    }

    /// The env file carries a Vonage application too (its throw-away key 0600 in the state directory); with
    /// MEDIACTL_VIDEO_PLATFORM=vonage the video commands use it, the emulator verifying each Bearer JWT with the
    /// key's public half, and its sessions and archives survive kill -9 beside the OpenTok project's.
    @Test func theEmulatorServesAVonageApplicationAcrossRestarts() throws {
        let emu = try EmulatorUnderTest()
        var env = emu.environment
        #expect(env["VONAGE_APPLICATION_ID"] == EmulatorIdentity.vonageApplicationID)
        #expect(env["VONAGE_PRIVATE_KEY_PATH"] == "\(emu.state.path)/vonage_private.key")
        #expect(env["VONAGE_VIDEO_URL"] == emu.endpoint && env["OPENTOK_API_URL"] == emu.endpoint)
        #expect(env["MEDIACTL_VIDEO_PLATFORM"] == "opentok")
        let info = try FileManager.default.attributesOfItem(atPath: "\(emu.state.path)/vonage_private.key")
        #expect((info[.posixPermissions] as? Int) == 0o600)
        env["MEDIACTL_VIDEO_PLATFORM"] = "vonage"
        func vonage(_ arguments: [String]) throws -> CLIResult { try CLIRunner.run(arguments + ["--debug"], environment: env) }

        let session = try vonage(["session", "create", "--media-mode", "routed", "--output", "id"])
        #expect(session.status == 0, "\(session.stderr)")
        #expect(session.stderr.contains("Video platform: Vonage Video API"))
        let sessionID = session.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(OpenTokSessionID.parts(sessionID)?.contains(EmulatorIdentity.vonageApplicationID) == true)
        let start = try vonage(["archive", "start", "--session-id", sessionID, "--output", "id"])
        #expect(start.status == 0, "\(start.stderr)")
        #expect(start.stderr.contains("/v2/project/\(EmulatorIdentity.vonageApplicationID)/archive"))
        let archiveID = start.stdout.trimmingCharacters(in: .whitespacesAndNewlines)

        let port = emu.port
        emu.kill9()
        try emu.start(port: port)

        let stop = try vonage(["archive", "stop", archiveID, "--output", "json"])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(try JSONParser.parse(stop.stdout)["applicationId"]?.stringValue == EmulatorIdentity.vonageApplicationID)
        // The OpenTok project does not see the application's archive, nor the other way round.
        let openTok = try emu.run(["archive", "list", "--output", "id"])
        #expect(openTok.status == 0 && openTok.stdoutLines.isEmpty, "\(openTok.stderr)")
        // A JWT signed with another key is refused with 401.
        var wrong = env
        wrong["VONAGE_PRIVATE_KEY_PATH"] = Fixtures.key("test_key_pkcs8.pem")
        wrong["OCI_CLI_SUPPRESS_FILE_PERMISSIONS_WARNING"] = "True"
        let refused = try CLIRunner.run(["archive", "get", archiveID], environment: wrong)
        #expect(refused.status == 4, "\(refused.stderr)")
        #expect(refused.stderr.contains("401 Unauthorized: Invalid Bearer JWT signature"))
    }

    @Test func aKilledEmulatorRestartsWithItsOpenTokSessionAndArchive() throws {
        let emu = try EmulatorUnderTest()
        // OPENTOK_API_KEY, OPENTOK_API_SECRET and OPENTOK_API_URL come from the state directory's env file.
        let session = try emu.run(["session", "create", "--media-mode", "routed", "--output", "id"])
        #expect(session.status == 0, "\(session.stderr)")
        let sessionID = session.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        let start = try emu.run(["archive", "start", "--session-id", sessionID, "--name", "before-kill", "--output", "id"])
        #expect(start.status == 0, "\(start.stderr)")
        let archiveID = start.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        try #require(!archiveID.isEmpty)

        let port = emu.port
        emu.kill9()
        try emu.start(port: port)

        // After the restart the secret is read from the state directory's file instead of the environment.
        var env = emu.environment
        env["OPENTOK_API_SECRET"] = nil
        func openTok(_ arguments: [String]) throws -> CLIResult {
            try CLIRunner.run(arguments + ["--api-secret-file", "\(emu.state.path)/opentok_secret", "--output", "json"], environment: env)
        }
        let get = try openTok(["archive", "get", archiveID])
        #expect(get.status == 0, "\(get.stderr)")
        let archive = try JSONParser.parse(get.stdout)
        #expect(archive["id"]?.stringValue == archiveID)
        #expect(archive["sessionId"]?.stringValue == sessionID)
        #expect(archive["name"] == "before-kill")
        #expect(archive["status"] == "started")

        let stop = try openTok(["archive", "stop", archiveID])
        #expect(stop.status == 0, "\(stop.stderr)")
        #expect(try JSONParser.parse(stop.stdout)["status"] == "stopped")
        let available = try openTok(["archive", "get", archiveID])
        #expect(available.status == 0, "\(available.stderr)")
        #expect(try JSONParser.parse(available.stdout)["status"] == "available")

        // The session came back too: it takes a new archive, and lists both, newest first, after another kill.
        let second = try emu.run(["archive", "start", "--session-id", sessionID, "--output", "id"])
        #expect(second.status == 0, "\(second.stderr)")
        let secondID = second.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        emu.kill9()
        try emu.start(port: port)
        let list = try emu.run(["archive", "list", "--session-id", sessionID, "--output", "json"])
        #expect(list.status == 0, "\(list.stderr)")
        let items = try JSONParser.parse(list.stdout)
        let ids = (items.arrayValue ?? items["items"]?.arrayValue ?? []).compactMap { $0["id"]?.stringValue }
        #expect(ids == [secondID, archiveID], "\(list.stdout)")
        // Media Services still sees only its own records in the shared file.
        #expect(try emu.run(["workflow", "list", "--output", "id"]).stdoutLines.isEmpty)
    }

    @Test(arguments: [503, 429])
    func injectedFailuresAreRetriedAndCreateExactlyOneResource(status: Int) throws {
        let emu = try EmulatorUnderTest()
        // Two refusals before the call is handled, then one lost answer after it was: only the
        // retry token keeps the third attempt from creating a second workflow.
        let rules: JSONValue = [
            ["operation": "POST /20211101/mediaWorkflows", "status": .int(status), "count": 2, "retryAfter": 0],
            ["operation": "POST /20211101/mediaWorkflows", "status": 500, "count": 1, "afterHandling": true],
        ]
        let added = try emu.send("POST", "/_emulator/faults", body: rules)
        #expect(added.status == 200)

        let wf = try emu.run(["workflow", "build", "--output", "id"])
        #expect(wf.status == 0, "\(wf.stderr)")
        let list = try emu.run(["workflow", "list", "--output", "id"])
        #expect(list.stdoutLines == [wf.stdout.trimmingCharacters(in: .whitespacesAndNewlines)])
        // Every rule was used up.
        let active = try JSONParser.parse(try emu.send("GET", "/_emulator/faults").body)
        #expect(active["items"]?.arrayValue?.isEmpty == true)
    }

    @Test func withoutRetriesAnInjectedFailureIsReportedWithItsStatus() throws {
        let emu = try EmulatorUnderTest(extra: ["--fault", #"{"operation":"POST /20211101/mediaWorkflows","status":503,"count":1}"#])
        let wf = try emu.run(["workflow", "build", "--no-retry"])
        #expect(wf.status == 1)
        #expect(wf.stderr.contains("503"))
        #expect(try emu.run(["workflow", "build", "--no-retry", "--output", "id"]).status == 0)
    }

    @Test func aDroppedConnectionIsRetried() throws {
        let emu = try EmulatorUnderTest()
        _ = try emu.send("POST", "/_emulator/faults", body: ["operation": "POST /20211101/mediaWorkflows", "dropConnection": true, "count": 1])
        let wf = try emu.run(["workflow", "build", "--output", "id"])
        #expect(wf.status == 0, "\(wf.stderr)")
        #expect(try emu.run(["workflow", "list", "--output", "id"]).stdoutLines.count == 1)
    }

    @Test func signatureChecksRejectATamperedRequest() throws {
        let emu = try EmulatorUnderTest()
        let body: JSONValue = ["compartmentId": "ocid1.compartment.oc1..aaaaaaaaemulatorcompartment", "displayName": "aaaa"]
        let good = try emu.send("POST", "/20211101/streamDistributionChannels", body: body, sign: true)
        #expect(good.status == 200)

        let tamperedBody = try emu.send("POST", "/20211101/streamDistributionChannels", body: body, sign: true) { request in
            request.body = Data(String(decoding: request.body, as: UTF8.self).replacingOccurrences(of: "aaaa", with: "bbbb").utf8)
        }
        #expect(tamperedBody.status == 401)
        #expect(try JSONParser.parse(tamperedBody.body)["code"] == "NotAuthenticated")
        #expect(tamperedBody.header("opc-request-id")?.isEmpty == false)

        let unsigned = try emu.send("GET", "/20211101/mediaWorkflows?compartmentId=ocid1.compartment.oc1..aaaaaaaaemulatorcompartment")
        #expect(unsigned.status == 401)

        // mediactl with a key the emulator does not know is refused with exit code 4.
        let otherKey = try #require(RSAPrivateKey.generate())
        let keyFile = emu.state.write("other.pem", otherKey.pkcs8PEM)
        let config = emu.state.write("other_config", """
            [EMULATOR]
            user=ocid1.user.oc1..aaaaaaaaemulatoruser
            fingerprint=\(otherKey.fingerprint)
            key_file=\(keyFile)
            tenancy=ocid1.tenancy.oc1..aaaaaaaaemulatortenancy
            region=us-ashburn-1

            """)
        var env = emu.environment
        env["OCI_CLI_CONFIG_FILE"] = config
        let refused = try CLIRunner.run(["workflow", "list"], environment: env)
        #expect(refused.status == 4, "\(refused.stderr)")
    }

    @Test func mediactlEmulatorStartStatusAndStop() throws {
        let dir = TemporaryDirectory()
        let env = ["HOME": dir.path, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "CI": "true",
                   "MEDIACTL_EMULATOR_BIN": EmulatorUnderTest.binary]
        let state = "\(dir.path)/state"
        let start = try CLIRunner.run(["emulator", "start", "--state-dir", state, "--output", "json"], environment: env)
        #expect(start.status == 0, "\(start.stderr)")
        let doc = try JSONParser.parse(start.stdout)
        let endpoint = try #require(doc["endpoint"]?.stringValue)
        #expect(doc["environment"]?["OCI_CLI_PROFILE"] == "EMULATOR")
        #expect(doc["environment"]?["MEDIACTL_ENDPOINT"]?.stringValue == endpoint)

        let text = try CLIRunner.run(["emulator", "status", "--state-dir", state], environment: env)
        #expect(text.status == 0)
        #expect(text.stdoutLines.contains("export MEDIACTL_ENDPOINT=\(endpoint)"))
        #expect(text.stdoutLines.contains("export OCI_CLI_PROFILE=EMULATOR"))

        // A second start finds the running one.
        let again = try CLIRunner.run(["emulator", "start", "--state-dir", state, "--output", "id"], environment: env)
        #expect(again.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == endpoint)

        let stop = try CLIRunner.run(["emulator", "stop", "--state-dir", state], environment: env)
        #expect(stop.status == 0, "\(stop.stderr)")
        let after = try CLIRunner.run(["emulator", "status", "--state-dir", state], environment: env)
        #expect(after.status == 1)
        // The key is kept for the next start (0600), the running files are gone.
        let attributes = try FileManager.default.attributesOfItem(atPath: "\(state)/emulator_api_key.pem")
        #expect((attributes[.posixPermissions] as? Int) == 0o600)
        #expect(!FileManager.default.fileExists(atPath: "\(state)/endpoint"))
    }
}
