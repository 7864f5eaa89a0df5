// Issue 14, defect 1: the OCID types the service issues (`streamdistributionchannel`, `streampackagingconfig`, ...)
// are taken from flags, environment, the defaults file and prompts; an unfamiliar type is left to the service;
// only a mix-up between known Media Services kinds is refused, before anything is sent.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct OCIDTypeTests {
    /// A channel and its packaging config made by the emulator (which issues the service's types), and an
    /// ingested asset.
    struct Lab {
        let h: EmulatorHarness
        let channel: String
        let packaging: String
        let asset: String

        init() throws {
            h = try EmulatorHarness(pollsInProgress: 1)
            let build = try h.run(["channel", "build", "--output", "id"])
            #expect(build.status == 0, "\(build.stderr)")
            let ids = build.stdoutLines
            channel = ids.first ?? ""
            packaging = ids.last ?? ""
            let ingest = try h.run(["ingest", "--channel-id", channel, "--namespace", "ns", "--bucket", "out",
                                    "--object", "sdk_test/clip.mp4/run1-master.m3u8", "--output", "id"])
            #expect(ingest.status == 0, "\(ingest.stderr)")
            asset = ingest.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    @Test func theEmulatorIssuesTheServicesTypes() throws {
        let lab = try Lab()
        #expect(OCID.type(of: lab.channel) == "streamdistributionchannel", "\(lab.channel)")
        #expect(OCID.type(of: lab.packaging) == "streampackagingconfig", "\(lab.packaging)")
        let cdn = try lab.h.run(["cdn-config", "list", "--channel-id", lab.channel, "--output", "id"])
        #expect(cdn.status == 0, "\(cdn.stderr)")
        #expect(cdn.stdoutLines.count == 1)
        #expect(cdn.stdoutLines.allSatisfy { OCID.type(of: $0) == "streamcdnconfig" }, "\(cdn.stdout)")
        #expect(OCID.type(of: lab.asset) == "mediaasset")
    }

    @Test func everyChannelAndPackagingFlagTakesTheStreamSpellingFromTheCommandLine() throws {
        let lab = try Lab()
        let h = lab.h
        let ingest = try h.run(["ingest", "--channel-id", lab.channel, "--namespace", "ns", "--bucket", "out",
                                "--object", "a/master.m3u8", "--no-wait", "--output", "id"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let list = try h.run(["packaging-config", "list", "--channel-id", lab.channel, "--output", "id"])
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdoutLines == [lab.packaging])
        let get = try h.run(["packaging-config", "get", lab.packaging, "--output", "id"])
        #expect(get.status == 0, "\(get.stderr)")
        #expect(get.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == lab.packaging)
        let url = try h.run(["playback-url", "--channel-id", lab.channel, "--asset-id", lab.asset, "--packaging-config-id", lab.packaging])
        #expect(url.status == 0, "\(url.stderr)")
        #expect(url.stdout.contains("streamPackagingConfigId=\(lab.packaging)&token="), "\(url.stdout)")

        // publish checks its flags before anything is sent: with the service's types they pass those checks and
        // the run goes on to the network (here it stops at Object Storage, which this in-process emulator does not serve).
        let before = h.requestCount
        let publish = try h.run(["publish", "--object", "clip.mp4", "--bucket", "media-in", "--namespace", "ns",
                                 "--objectstorage-endpoint", h.server.baseURL, "--channel-id", lab.channel, "--packaging-config-id", lab.packaging])
        #expect(!publish.stderr.contains("--channel-id"), "\(publish.stderr)")
        #expect(!publish.stderr.contains("--packaging-config-id"), "\(publish.stderr)")
        #expect(publish.status != 64, "\(publish.stderr)")
        #expect(h.requestCount > before, "publish went past its flag checks")
    }

    @Test func theStreamSpellingIsTakenFromEnvironmentVariables() throws {
        let lab = try Lab()
        let env = ["MEDIACTL_CHANNEL_ID": lab.channel, "MEDIACTL_PACKAGING_CONFIG_ID": lab.packaging]
        let ingest = try lab.h.run(["ingest", "--namespace", "ns", "--bucket", "out", "--object", "b/master.m3u8", "--no-wait"], env: env)
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let list = try lab.h.run(["packaging-config", "list", "--output", "id"], env: env)
        #expect(list.status == 0, "\(list.stderr)")
        #expect(list.stdoutLines == [lab.packaging])
        let url = try lab.h.run(["playback-url", "--asset-id", lab.asset], env: env)
        #expect(url.status == 0, "\(url.stderr)")
        #expect(url.stdout.contains("streamPackagingConfigId=\(lab.packaging)&token="), "\(url.stdout)")
    }

    @Test func theStreamSpellingIsTakenFromTheDefaultsFile() throws {
        let lab = try Lab()
        lab.h.dir.write(".config/mediactl/defaults", "[DEFAULT]\nchannel-id = \(lab.channel)\npackaging-config-id = \(lab.packaging)\n")
        let ingest = try lab.h.run(["ingest", "--namespace", "ns", "--bucket", "out", "--object", "c/master.m3u8", "--no-wait"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let url = try lab.h.run(["playback-url", "--asset-id", lab.asset])
        #expect(url.status == 0, "\(url.stderr)")
        #expect(url.stdout.contains("streamPackagingConfigId=\(lab.packaging)&token="), "\(url.stdout)")
    }

    @Test func theStreamSpellingIsTakenAtAPrompt() throws {
        let lab = try Lab()
        let pty = try PseudoTerminalSession(["playback-url", "--asset-id", lab.asset], environment: lab.h.environment)
        #expect(pty.expect("Enter Package Configuration OCID"))
        pty.send(lab.packaging + "\r")
        #expect(pty.expect("Enter Channel OCID"))
        pty.send(lab.channel + "\r")
        #expect(pty.waitForExit() == 0, "\(pty.output)")
        #expect(pty.output.contains("streamPackagingConfigId=\(lab.packaging)&token="), "\(pty.output)")
        #expect(!pty.output.contains("try again"), "the first answers were taken")
    }

    /// The old `mediastream…` spellings and types mediactl has never seen reach the service, which is the judge:
    /// here the emulator answers 404 (exit 5), not mediactl 64.
    @Test(arguments: ["ocid1.mediastreamdistributionchannel.oc1.iad.aaaaold",
                      "ocid1.distributionchannel2.oc1.iad.aaaafuture",
                      "ocid1.StreamDistributionChannel.oc1.iad.aaaamixedcase"])
    func otherSpellingsAreLeftToTheService(_ channel: String) throws {
        let h = try EmulatorHarness()
        let list = try h.run(["packaging-config", "list", "--channel-id", channel])
        #expect(list.status != 64, "\(list.stderr)")
        #expect(h.emulator.requests.contains { $0.query?.contains("distributionChannelId=\(channel)") ?? false },
                "the request was sent: \(h.emulator.requests.map(\.path))")
    }

    struct MixUp: Sendable, CustomTestStringConvertible {
        let args: [String]
        var env: [String: String] = [:]
        var defaults: String? = nil
        let message: String
        var testDescription: String { message }
    }

    static let workflow = "ocid1.mediaworkflow.oc1.iad.aaaaworkflow"
    static let mixUps: [MixUp] = [
        MixUp(args: ["ingest", "--channel-id", workflow, "--namespace", "ns", "--bucket", "out", "--object", "m.m3u8"],
              message: "error: --channel-id: expected the OCID of a streamdistributionchannel, got one of a mediaworkflow"),
        MixUp(args: ["packaging-config", "list"], env: ["MEDIACTL_CHANNEL_ID": workflow],
              message: "error: --channel-id (from MEDIACTL_CHANNEL_ID): expected the OCID of a streamdistributionchannel, got one of a mediaworkflow"),
        MixUp(args: ["playback-url", "--asset-id", "ocid1.mediaasset.oc1.iad.aaaa", "--channel-id", "ocid1.streamdistributionchannel.oc1.iad.aaaa"],
              defaults: "[DEFAULT]\npackaging-config-id = ocid1.streamcdnconfig.oc1.iad.aaaa\n",
              message: "error: --packaging-config-id (from 'packaging-config-id' in the defaults file): expected the OCID of a streampackagingconfig, got one of a streamcdnconfig"),
        MixUp(args: ["publish", "--object", "clip.mp4", "--bucket", "b", "--channel-id", "ocid1.mediaworkflowjob.oc1.iad.aaaa"],
              message: "error: --channel-id: expected the OCID of a streamdistributionchannel, got one of a mediaworkflowjob"),
        MixUp(args: ["channel", "get", "ocid1.mediastreampackagingconfig.oc1.iad.aaaa"],
              message: "error: ID: expected the OCID of a streamdistributionchannel, got one of a mediastreampackagingconfig"),
        MixUp(args: ["channel", "build", "--compartment-id", "ocid1.mediaworkflowconfiguration.oc1.iad.aaaa"],
              message: "error: --compartment-id: expected the OCID of a compartment or tenancy, got one of a mediaworkflowconfiguration"),
    ]

    @Test(arguments: mixUps)
    func aMixUpOfKnownKindsIsRefusedBeforeAnythingIsSent(_ c: MixUp) throws {
        let h = try EmulatorHarness()
        if let defaults = c.defaults { h.dir.write(".config/mediactl/defaults", defaults) }
        let r = try h.run(c.args, env: c.env)
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr == c.message + "\n")
        #expect(r.stdout.isEmpty)
        #expect(h.requestCount == 0)
    }
}
