// Publisher (steps 2-6 of publish) against the in-process emulator over loopback, requests signed with the test key:
// what it reports, what it returns, what it records, and that a rerun creates nothing.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct PublisherTests {
    final class Events: @unchecked Sendable {
        private let lock = NSLock()
        private var list: [PublishEvent] = []
        func add(_ e: PublishEvent) { lock.withLock { list.append(e) } }
        var all: [PublishEvent] { lock.withLock { list } }
        /// The events with OCIDs replaced by `ID`, so the sequence reads as a specification.
        var shapes: [String] {
            all.map { e in
                let text: String
                switch e {
                case let .step(n, t): text = "[\(n)] \(t)"
                case let .progress(t): text = "progress: \(t)"
                case let .note(t): text = "note: \(t)"
                }
                return text.replacing(/ocid1\.[a-z]+\.oc1\.[a-z]*\.[a-z0-9]+/, with: "ID")
            }
        }
    }

    struct Rig {
        let harness: EmulatorHarness
        let client: MediaServicesClient
        let transport: any HTTPTransport
        let journal: PublishJournal

        init() throws {
            harness = try EmulatorHarness(pollsInProgress: 1)
            let signer = APIKeySigner(tenancy: Fixtures.tenancy, user: Fixtures.user, fingerprint: Fixtures.testFingerprint, key: try Fixtures.testKey)
            transport = SigningTransport(inner: try CurlTransport(), signer: signer)
            client = MediaServicesClient(transport: transport, endpoint: try #require(RequestURL(harness.server.baseURL + "/20211101")))
            journal = PublishJournal(stateDirectory: harness.dir.path + "/state")
        }

        var plan: PublishPlan {
            PublishPlan(source: ObjectLocation(namespace: "ns", bucket: "in", object: "clip.mp4"), destinationBucket: "out",
                        compartmentID: Fixtures.compartment, outputPrefix: "run1", workflowID: nil, channel: .create(segmentSeconds: 6),
                        tokenExpires: nil)
        }

        func publish(_ plan: PublishPlan, restart: Bool = false, events: Events) throws -> PublishResult {
            var publisher = try Publisher(client: client, journal: journal, key: plan.key(endpoint: client.endpoint.description), restart: restart,
                                          report: { events.add($0) })
            let transport = self.transport
            let waiter = JobWaiter(clock: Clock(now: { Date() }, sleep: { _ in true }))
            return try publisher.run(plan, waitForJob: { (client, id, _) throws(MediaError) in
                try waiter.wait(timeout: 60, poll: { () throws(MediaError) -> Resource in try client.get(.job, id: id) })
            }, stream: { (domain) throws(MediaError) in
                try MediaStreamClient(transport: transport, domainName: domain, scheme: "http")
            })
        }

        var creates: Int { harness.emulator.requests.filter { $0.method == "POST" }.count }
    }

    @Test func aFirstRunDoesEveryStepAndARerunRepeatsNone() throws {
        let rig = try Rig()
        let events = Events()
        let result = try rig.publish(rig.plan, events: events)
        #expect(events.shapes == [
            "progress: Created media workflow ID",
            "[2] transcoding: job ID",
            "[3] registered out/sdk_test/clip.mp4/run1-master.m3u8 as asset ID",
            "[4] built channel ID (CDN config ID, packaging config ID)",
            "[5] ingesting into ID: job ID",
            "[6] playback URL ready",
        ])
        #expect(result.playlist == ObjectLocation(namespace: "ns", bucket: "out", object: "sdk_test/clip.mp4/run1-master.m3u8"))
        #expect(result.playbackURL.hasPrefix("http://\(rig.harness.server.hostPort)/20211101/actions/generatePlaylist?mediaAssetId=\(result.mediaAssetID)&streamPackagingConfigId=\(result.packagingConfigID)&token="))
        #expect(result.json["ingestJobId"]?.stringValue == result.ingestJobID)
        // workflow, job, asset, channel, CDN config, packaging config, ingest, session token
        #expect(rig.creates == 8)

        let record = try rig.journal.load(rig.plan.key(endpoint: rig.client.endpoint.description))
        #expect(record.steps.map(\.0) == ["run", "workflow", "job", "asset", "channel", "ingest"])
        #expect(record.string("asset", "jobId") == result.jobID)

        let before = rig.creates
        let again = Events()
        let second = try rig.publish(rig.plan, events: again)
        #expect(again.shapes == [
            "[2] transcode: job ID already SUCCEEDED",
            "[3] asset: ID already registered",
            "[4] channel: ID already built",
            "[5] ingest: job ID already SUCCEEDED",
            "[6] playback URL ready",
        ])
        #expect(rig.creates == before + 1, "only the session token is asked for again")
        #expect(second.mediaAssetID == result.mediaAssetID && second.channelID == result.channelID && second.ingestJobID == result.ingestJobID)
    }

    @Test func anExistingChannelWithoutAPackagingConfigIsAUsageErrorNamingTheFlag() throws {
        let rig = try Rig()
        let channel = try rig.client.createChannel(compartmentID: Fixtures.compartment, displayName: "bare")
        var plan = rig.plan
        plan.channel = .existing(id: channel.id, packagingConfigID: nil)
        #expect(throws: MediaError.usage("--channel-id \(channel.id) has no active packaging config; pass --packaging-config-id or create one")) {
            _ = try rig.publish(plan, events: Events())
        }
    }

    @Test func restartForgetsTheRecordSoTheRetryTokensAreNew() throws {
        let rig = try Rig()
        _ = try rig.publish(rig.plan, events: Events())
        let first = try rig.journal.load(rig.plan.key(endpoint: rig.client.endpoint.description)).string("run", "id")
        let events = Events()
        let again = try rig.publish(rig.plan, restart: true, events: events)
        let second = try rig.journal.load(rig.plan.key(endpoint: rig.client.endpoint.description)).string("run", "id")
        #expect(first != nil && second != nil && first != second)
        #expect(events.shapes.first == "progress: Created media workflow ID")
        #expect(again.workflowID.hasPrefix("ocid1.mediaworkflow."))
    }
}
