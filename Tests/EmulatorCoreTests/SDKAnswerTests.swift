// What the official SDKs need from the emulator's answers (Tests/conformance holds the SDK-driven suite): fields their
// models declare as returned, and requests in the shapes the SDKs send them, answered as the service answers them.
import EmulatorCore
import Foundation
import MediaKit
import Testing

@Suite struct OCIAnswerTests {
    /// oci's MediaWorkflowJob marks mediaWorkflowId **[Required]**; an ingest job names the service's own workflow.
    @Test func anIngestJobNamesAWorkflow() throws {
        let rig = try Rig(pollsInProgress: 0)
        let (channel, _, asset) = try rig.streamingSetup()
        let ingest = try rig.send("POST", "/20211101/streamDistributionChannels/\(channel)/actions/ingest",
                                  body: ["ingestPayloadType": "ASSET_METADATA_MEDIA_ASSET", "mediaAssetId": .string(asset),
                                         "compartmentId": .string(Rig.compartment)])
        let jobID = try #require(ingest.1["mediaWorkflowJobId"]?.stringValue)
        let job = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(jobID)").1
        #expect(OCID.isValid(job["mediaWorkflowId"]?.stringValue ?? "", type: "mediaworkflow"))
    }
}
