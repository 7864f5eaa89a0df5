// Typed views over resources and summaries, read from real documents: bodies captured from mediactl-emulator
// (Fixtures/resources/emulator-*.json, via `mediactl … --output json`) and SDK-shaped Object Storage answers.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct ResourceViewTests {
    static func document(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Fixtures.data("\(Fixtures.root)/resources/\(name).json"))
    }

    @Test func aFinishedJobsTasksOutputsAndWorkflow() throws {
        let job = Resource(json: try Self.document("emulator-job"))
        #expect(job.state == .succeeded)
        #expect(job.state?.isTerminal == true && job.state?.isSuccess == true)
        #expect(job.workflowID == "ocid1.mediaworkflow.oc1.iad.tru69qjj8kxes2cesrli")
        #expect(job.tasks.map { $0.key ?? "" } == ["getFiles", "transcode", "putFiles", "transcribe", "thumbnail", "visionDetection"])
        #expect(job.tasks.allSatisfy { $0.state == .succeeded && $0.details == "completed" })
        #expect(job.skippedTasks.isEmpty)
        let master = try #require(job.masterPlaylist)
        #expect(master.assetType == "PLAYLIST")
        #expect(master.object == ObjectLocation(namespace: "emulator", bucket: "out", object: "sdk_test/clip.mp4/run1-master.m3u8"))
        #expect(job.compartmentID == "ocid1.compartment.oc1..aaaaaaaaemulatorcompartment")
    }

    @Test func unknownStatesAreKeptAndSkippedTasksFound() throws {
        var json = try Self.document("emulator-job")
        json.set("lifecycleState", "PAUSED_BY_OPERATOR")
        json.set("taskLifecycleState", [["key": "thumbnail", "lifecycleState": "SKIPPED", "lifecycleDetails": "disabled by /video/doThumbnails"],
                                        ["key": "transcode", "lifecycleState": "IN_PROGRESS"], ["lifecycleState": "SUCCEEDED"]])
        let job = Resource(json: json)
        #expect(job.state == .other("PAUSED_BY_OPERATOR"))
        #expect(job.state?.rawValue == "PAUSED_BY_OPERATOR")
        #expect(job.state?.isTerminal == false)
        #expect(job.skippedTasks.map(\.key) == ["thumbnail"])
        #expect(job.skippedTasks.first?.details == "disabled by /video/doThumbnails")
        #expect(job.tasks.map(\.state) == [.skipped, .inProgress, .succeeded])
        #expect(job.tasks[2].key == nil)
        // The JSON stays exactly as received for --output json.
        #expect(job.json["lifecycleState"] == "PAUSED_BY_OPERATOR")
    }

    @Test func lifecycleStatesPerKindAreTheSDKsAllowedValues() {
        #expect(LifecycleState.allKnown(for: .job).map(\.rawValue) == ["ACCEPTED", "IN_PROGRESS", "WAITING", "REJECTED", "FAILED", "SUCCEEDED", "CANCELING", "CANCELED"])
        #expect(LifecycleState.allKnown(for: .asset).map(\.rawValue) == ["CREATING", "UPDATING", "ACTIVE", "DELETING", "DELETED", "FAILED"])
        for kind in [ResourceKind.workflow, .channel, .cdnConfig, .packagingConfig] {
            #expect(LifecycleState.allKnown(for: kind).map(\.rawValue) == ["ACTIVE", "NEEDS_ATTENTION", "DELETED"])
        }
        #expect(LifecycleState.attachmentStates.map(\.rawValue) == ["CREATING", "ACTIVE", "NEEDS_ATTENTION", "UPDATING"])
        // Every known value round-trips; terminal job states are the waiter's.
        for s in ResourceKind.allCases.flatMap(LifecycleState.allKnown(for:)) { #expect(LifecycleState(rawValue: s.rawValue) == s) }
        #expect(Set(LifecycleState.allKnown(for: .job).filter(\.isTerminal).map(\.rawValue)) == JobState.terminal)
        #expect(LifecycleState.allKnown(for: .job).filter(\.isSuccess) == [.succeeded])
    }

    @Test func channelCdnAndPackagingConfigViews() throws {
        let channel = Resource(json: try Self.document("emulator-channel"))
        #expect(channel.state == .active)
        #expect(channel.domainName == "127.0.0.1:38277", "the emulator serves Media Stream on its own host and port")
        let cdn = Resource(json: try Self.document("emulator-cdnConfig"))
        #expect(cdn.distributionChannelID == channel.id)
        #expect(cdn.cdnType == "EDGE" && cdn.isEnabled == true)
        let packaging = Resource(json: try Self.document("emulator-packagingConfig"))
        #expect(packaging.distributionChannelID == channel.id)
        #expect(packaging.packagingFormat == "HLS" && packaging.encryptionAlgorithm == "NONE")
    }

    @Test func aWorkflowsVersionAndLocks() throws {
        var json = try Self.document("emulator-workflow")
        #expect(Resource(json: json).version == 1)
        #expect(Resource(json: json).locks.isEmpty)
        json.set("locks", [["type": "DELETE", "compartmentId": "ocid1.compartment.oc1..c", "message": "keep", "timeCreated": "2026-12-05T17:00:00Z"],
                           ["type": "SOMETHING_NEW"]])
        #expect(Resource(json: json).locks == [ResourceLock(type: .delete, compartmentID: "ocid1.compartment.oc1..c", message: "keep")])
    }

    @Test func objectStorageSummaries() throws {
        let doc = try Self.document("sdk-object-storage")
        let objects = try #require(doc["listObjects"]?["objects"]?.arrayValue).map(ObjectSummary.init)
        #expect(objects.map(\.name) == ["sdk_test/clip.mp4/run1-master.m3u8", "big.mov"])
        #expect(objects.map(\.size) == [512, 3_221_225_472])
        #expect(objects[0].md5 == "1B2M2Y8AsgTpgAmY7PhCfg==" && objects[0].etag == "e-1" && objects[0].timeCreated == "2026-12-05T17:00:00.123Z")
        #expect(objects[1].storageTier == nil)
        let buckets = try #require(doc["listBuckets"]?.arrayValue).map(BucketSummary.init)
        #expect(buckets.map(\.name) == ["media-in"] && buckets[0].etag == "b-1" && buckets[0].createdBy == "ocid1.user.oc1..u")
        let uploads = try #require(doc["listMultipartUploads"]?.arrayValue).map(MultipartUploadSummary.init)
        #expect(uploads.map(\.uploadID) == ["0f1e-2d3c"] && uploads[0].object == "big.mov")
        let par = PreauthenticatedRequest(json: try #require(doc["createPreauthenticatedRequest"]))
        #expect(par.id == "Xy1+abc:big.mov" && par.accessType == "ObjectRead" && par.accessURI == "/p/secret-token/n/ns/b/media-in/o/big.mov")
        #expect(par.timeExpires == "2027-01-01T00:00:00Z")
    }

    @Test func partCountIsDefinedOnce() {
        var options = UploadOptions()
        options.partSize = 1 << 20
        options.multipartThreshold = 1 << 20
        #expect(options.partCount(size: 10 << 20) == 10)
        #expect(options.partCount(size: (10 << 20) + 1) == 11)
        #expect(!options.exceedsPartLimit(size: 10_000 << 20))
        #expect(options.exceedsPartLimit(size: (10_000 << 20) + 1))
        options.singleRequest = true
        #expect(!options.exceedsPartLimit(size: (10_000 << 20) + 1), "one PutObject has no parts to count")
    }
}
