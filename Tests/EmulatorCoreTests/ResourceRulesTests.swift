// The resource table's rules, through the emulator's front door (signed requests handed to handle()): etags and
// if-match, FULL and DELETE locks with isLockOverride, which kinds move and lock, configurations, catalogues,
// jobs by a system workflow's name, attachments and asset delete modes.
import EmulatorCore
import Foundation
import MediaKit
import Testing

@Suite struct ResourceRulesTests {
    static func etag(_ response: ServerResponse) -> String? { response.headers.first { $0.0 == "etag" }?.1 }

    @Test func ifMatchMustBeTheCurrentEtag() throws {
        let rig = try Rig()
        let id = try rig.create("streamDistributionChannels", ["compartmentId": .string(Rig.compartment), "displayName": "c"])
        let got = try rig.send("GET", "/20211101/streamDistributionChannels/\(id)")
        let etag = try #require(Self.etag(got.2))
        #expect(Self.etag(try rig.send("GET", "/20211101/streamDistributionChannels/\(id)").2) == etag, "an unchanged resource keeps its etag")

        let stale = try rig.send("PUT", "/20211101/streamDistributionChannels/\(id)", body: ["displayName": "d"], headers: [("if-match", "stale")])
        #expect(stale.0 == 412 && stale.1["code"] == "NoEtagMatch")
        #expect(try rig.send("GET", "/20211101/streamDistributionChannels/\(id)").1["displayName"] == "c", "a 412 changes nothing")

        let updated = try rig.send("PUT", "/20211101/streamDistributionChannels/\(id)", body: ["displayName": "d"], headers: [("if-match", etag)])
        #expect(updated.0 == 200 && updated.1["displayName"] == "d")
        let newEtag = try #require(Self.etag(updated.2))
        #expect(newEtag != etag)
        // The old etag no longer deletes, nor locks; the new one does.
        #expect(try rig.send("DELETE", "/20211101/streamDistributionChannels/\(id)", headers: [("if-match", etag)]).0 == 412)
        #expect(try rig.send("POST", "/20211101/streamDistributionChannels/\(id)/actions/addLock",
                             body: ["type": "FULL", "compartmentId": .string(Rig.compartment)], headers: [("if-match", etag)]).0 == 412)
        #expect(try rig.send("DELETE", "/20211101/streamDistributionChannels/\(id)", headers: [("if-match", newEtag)]).0 == 204)
    }

    @Test func fullLocksStopUpdatesMovesAndDeletesDeleteLocksOnlyDeletes() throws {
        let rig = try Rig()
        let lock = { (type: String) -> JSONValue in ["type": .string(type), "compartmentId": .string(Rig.compartment)] }
        let asset = try rig.create("mediaAssets", ["compartmentId": .string(Rig.compartment), "type": "VIDEO", "displayName": "a"])
        let path = "/20211101/mediaAssets/\(asset)"

        #expect(try rig.send("POST", "\(path)/actions/addLock", body: lock("DELETE")).0 == 200)
        #expect(try rig.send("PUT", path, body: ["displayName": "b"]).0 == 200, "a DELETE lock allows updates")
        #expect(try rig.send("POST", "\(path)/actions/changeCompartment", body: ["compartmentId": "ocid1.compartment.oc1..x"]).0 == 200)
        #expect(try rig.send("DELETE", path).1["code"] == "Conflict")
        #expect(try rig.send("POST", "\(path)/actions/addLock", body: lock("DELETE")).0 == 409, "one lock of a type")
        #expect(try rig.send("POST", "\(path)/actions/removeLock", body: lock("DELETE")).0 == 200)

        #expect(try rig.send("POST", "\(path)/actions/addLock", body: lock("FULL")).0 == 200)
        #expect(try rig.send("PUT", path, body: ["displayName": "c"]).0 == 409)
        #expect(try rig.send("POST", "\(path)/actions/changeCompartment", body: ["compartmentId": .string(Rig.compartment)]).0 == 409)
        #expect(try rig.send("DELETE", path).0 == 409)
        #expect(try rig.send("PUT", "\(path)?isLockOverride=true", body: ["displayName": "c"]).1["displayName"] == "c")
        #expect(try rig.send("DELETE", "\(path)?isLockOverride=true").0 == 204)
        #expect(try rig.send("GET", path).0 == 404)
    }

    @Test func onlyTheTablesKindsMoveAndOnlyUpdatableFieldsChange() throws {
        let rig = try Rig()
        let channel = try rig.create("streamDistributionChannels", ["compartmentId": .string(Rig.compartment), "displayName": "c"])
        let packaging = try rig.create("streamPackagingConfigs", ["distributionChannelId": .string(channel), "displayName": "p",
                                                                   "streamPackagingFormat": "HLS", "segmentTimeInSeconds": 6])
        // The SDK has no change_stream_packaging_config_compartment: the action is not there.
        #expect(try rig.send("POST", "/20211101/streamPackagingConfigs/\(packaging)/actions/changeCompartment",
                             body: ["compartmentId": .string(Rig.compartment)]).0 == 404)
        // UpdateStreamPackagingConfigDetails has displayName and tags only.
        let refused = try rig.send("PUT", "/20211101/streamPackagingConfigs/\(packaging)", body: ["segmentTimeInSeconds": 2])
        #expect(refused.0 == 400 && refused.1["message"]?.stringValue?.contains("segmentTimeInSeconds") == true)
        let badType = try rig.send("PUT", "/20211101/streamDistributionChannels/\(channel)", body: ["freeformTags": "x"])
        #expect(badType.0 == 400 && badType.1["message"]?.stringValue?.contains("freeformTags") == true)
        let state = try rig.send("GET", "/20211101/streamPackagingConfigs?distributionChannelId=\(channel)&lifecycleState=SUCCEEDED")
        #expect(state.0 == 400, "SUCCEEDED is a job state, not a packaging config's")
        #expect(try rig.send("GET", "/20211101/streamPackagingConfigs?distributionChannelId=\(channel)&sortBy=workflowId").0 == 400)
    }

    @Test func configurationsFeedWorkflowsAndJobs() throws {
        let rig = try Rig()
        let missing = try rig.send("POST", "/20211101/mediaWorkflowConfigurations", body: ["compartmentId": .string(Rig.compartment), "displayName": "c"])
        #expect(missing.0 == 400 && missing.1["message"]?.stringValue?.contains("parameters") == true)
        let config = try rig.create("mediaWorkflowConfigurations", ["compartmentId": .string(Rig.compartment), "displayName": "c",
                                                                     "parameters": ["video": ["dstBucket": "out"]]])
        #expect(config.hasPrefix("ocid1.mediaworkflowconfiguration."))
        var body = LabWorkflow.definition.createBody(compartmentID: Rig.compartment, displayName: "w")
        body.set("mediaWorkflowConfigurationIds", [.string(config)])
        let workflow = try rig.create("mediaWorkflows", body)
        body.set("mediaWorkflowConfigurationIds", ["ocid1.mediaworkflowconfiguration.oc1.iad.nosuch"])
        #expect(try rig.send("POST", "/20211101/mediaWorkflows", body: body).0 == 404)
        let job = try rig.send("POST", "/20211101/mediaWorkflowJobs", body: [
            "workflowIdentifierType": "ID", "mediaWorkflowId": .string(workflow), "compartmentId": .string(Rig.compartment),
            "mediaWorkflowConfigurationIds": [.string(config)], "parameters": ["video": ["srcVideo": "a.mp4"]]])
        #expect(job.0 == 200 && job.1["mediaWorkflowConfigurationIds"] == [.string(config)])
        let listed = try rig.send("GET", "/20211101/mediaWorkflowConfigurations?compartmentId=\(Rig.compartment)")
        #expect(listed.1["items"]?.arrayValue?.map { $0["id"] } == [.string(config)])
        // Summaries spell it lifecycleDetails; the full model keeps the wire's lifecyleDetails.
        #expect(listed.1["items"]?[0]?["lifecycleDetails"] != nil)
        #expect(try rig.send("GET", "/20211101/mediaWorkflowConfigurations/\(config)").1["lifecyleDetails"] != nil)
    }

    @Test func catalogueListsAndJobsBySystemWorkflowName() throws {
        let rig = try Rig(pollsInProgress: 1)
        let declarations = try rig.send("GET", "/20211101/mediaWorkflowTaskDeclarations?isCurrent=true&sortBy=name&limit=2")
        let names = declarations.1["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue }
        #expect(names == ["getFiles", "putFiles"])
        let next = try #require(declarations.2.headers.first { $0.0 == "opc-next-page" }?.1)
        let rest = try rig.send("GET", "/20211101/mediaWorkflowTaskDeclarations?isCurrent=true&sortBy=name&limit=10&page=\(next)")
        #expect(rest.1["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["thumbnail", "transcode", "transcribe", "visionDetection"])
        let transcode = try rig.send("GET", "/20211101/mediaWorkflowTaskDeclarations?name=transcode&version=1").1["items"]?[0]
        #expect(transcode?["parametersSchema"]?["required"] == ["transcodeType", "standardTranscode"])
        // With references allowed, a non-string value may be a ${...} reference instead.
        #expect(transcode?["parametersSchemaAllowingReferences"]?["anyOf"]?[1]?["pattern"] != nil)
        #expect(try rig.send("GET", "/20211101/mediaWorkflowTaskDeclarations?isCurrent=maybe").0 == 400)

        let systems = try rig.send("GET", "/20211101/systemMediaWorkflows")
        let name = try #require(systems.1["items"]?[0]?["name"]?.stringValue)
        let job = try rig.send("POST", "/20211101/mediaWorkflowJobs", body: [
            "workflowIdentifierType": "NAME", "mediaWorkflowName": .string(name), "compartmentId": .string(Rig.compartment)])
        #expect(job.0 == 200 && job.1["mediaWorkflowId"]?.stringValue?.hasPrefix("ocid1.mediaworkflow.") == true)
        let id = try #require(job.1["id"]?.stringValue)
        _ = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(id)")
        #expect(try rig.send("GET", "/20211101/mediaWorkflowJobs/\(id)").1["lifecycleState"] == "SUCCEEDED")
        let unknown = try rig.send("POST", "/20211101/mediaWorkflowJobs", body: [
            "workflowIdentifierType": "NAME", "mediaWorkflowName": "nope", "compartmentId": .string(Rig.compartment)])
        #expect(unknown.0 == 404 && unknown.1["message"]?.stringValue?.contains("mediaWorkflowName") == true)
    }

    @Test func ingestAttachesAndDeleteModesTakeRelativesAlong() throws {
        let rig = try Rig()
        let channel = try rig.create("streamDistributionChannels", ["compartmentId": .string(Rig.compartment), "displayName": "ch"])
        let master = try rig.create("mediaAssets", ["compartmentId": .string(Rig.compartment), "type": "VIDEO"])
        let child = try rig.create("mediaAssets", ["compartmentId": .string(Rig.compartment), "type": "IMAGE", "parentMediaAssetId": .string(master)])
        let derived = try rig.create("mediaAssets", ["compartmentId": .string(Rig.compartment), "type": "PLAYLIST", "masterMediaAssetId": .string(master)])
        for _ in 0..<2 {
            #expect(try rig.send("POST", "/20211101/streamDistributionChannels/\(channel)/actions/ingest", body: [
                "ingestPayloadType": "ASSET_METADATA_MEDIA_ASSET", "mediaAssetId": .string(master), "compartmentId": .string(Rig.compartment)]).0 == 200)
        }
        let attachment = try rig.send("GET", "/20211101/mediaAssets/\(master)/distributionChannelAttachments/\(channel)")
        #expect(attachment.1["version"] == 2 && attachment.1["displayName"] == "ch", "a second ingest of the pair is version 2")
        #expect(try rig.send("GET", "/20211101/mediaAssets/\(master)/distributionChannelAttachments/\(channel)?version=1").0 == 404)
        let onChannel = try rig.send("GET", "/20211101/mediaAssets?distributionChannelId=\(channel)")
        #expect(onChannel.1["items"]?.arrayValue?.map { $0["id"] } == [.string(master)])

        #expect(try rig.send("DELETE", "/20211101/mediaAssets/\(master)?deleteMode=EVERYTHING").0 == 400)
        #expect(try rig.send("DELETE", "/20211101/mediaAssets/\(master)?deleteMode=DELETE_DERIVATIONS").0 == 204)
        #expect(try rig.send("GET", "/20211101/mediaAssets/\(derived)").0 == 404)
        #expect(try rig.send("GET", "/20211101/mediaAssets/\(child)").0 == 200, "DELETE_DERIVATIONS leaves children")
        #expect(try rig.send("GET", "/20211101/mediaAssets/\(master)/distributionChannelAttachments").0 == 404)
        #expect(try rig.send("GET", "/20211101/mediaAssets?distributionChannelId=\(channel)").1["items"] == [])
    }
}
