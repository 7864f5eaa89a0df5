// The typed accessors that keep wire names out of the CLI (issue 15, point 4), read from documents shaped as the
// services send them: OpenTok archive/broadcast/stream/SIP/captions bodies as the OpenTok REST reference and the
// opentok 3.15 SDK's models show them; the emulator's workflow (Fixtures/resources/emulator-workflow.json); an
// attachment, system workflow and task declaration shaped by oci 2.189.0's media_services models.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct WireFieldViewTests {
    static func object(_ text: String) throws -> OpenTokObject { OpenTokObject(json: try JSONParser.parse(text)) }

    @Test func anArchiveReadsItsFields() throws {
        let archive = try Self.object("""
            {"createdAt": 1384221730555, "duration": 62, "hasAudio": true, "hasVideo": true,
             "id": "b40ef09b-3811-4726-b508-e41a0f96c68f", "name": "The archive name you supplied", "outputMode": "composed",
             "projectId": 234567, "reason": "", "resolution": "640x480", "sessionId": "flR1ZSBPY3QgMjkgMTI6MTM6MjMgUERUIDIwMTN",
             "size": 167797, "status": "available", "streamMode": "manual", "streams": [{"streamId": "abc", "hasAudio": true, "hasVideo": true}],
             "url": "https://tokbox.com.archive2.s3.amazonaws.com/123456/09141e29-8770-439b-b180-337d7e637545/archive.mp4"}
            """)
        #expect(archive.createdAt == Date(timeIntervalSince1970: 1_384_221_730.555))
        #expect(archive.createdAt?.internetDateTime() == "2013-11-12T02:02:10Z")
        #expect(archive.duration == 62 && archive.size == 167_797)
        #expect(archive.outputMode == .known(.composed))
        #expect(archive.resolution == .known(.sd) && archive.resolution?.rawValue == "640x480")
        #expect(archive.streamMode == .known(.manual) && archive.streamCount == 1)
        #expect(archive.url?.hasSuffix("/archive.mp4") == true)
        #expect(archive.sessionID == "flR1ZSBPY3QgMjkgMTI6MTM6MjMgUERUIDIwMTN")
        #expect(archive.broadcastURLs == nil && archive.layoutClasses == nil && archive.connectionID == nil)
    }

    @Test func valuesNewerThanTheClientAreKept() throws {
        let archive = try Self.object(#"{"id": "a", "outputMode": "hybrid", "resolution": "3840x2160", "streamMode": "smart", "createdAt": "soon"}"#)
        #expect(archive.outputMode == .other("hybrid") && archive.outputMode?.rawValue == "hybrid")
        #expect(archive.resolution == .other("3840x2160"))
        #expect(archive.streamMode?.description == "smart")
        #expect(archive.createdAt == nil && archive.streamCount == 0)
    }

    @Test func aBroadcastReadsItsURLs() throws {
        let broadcast = try Self.object("""
            {"id": "1748b7070a81464c9759c46ad10d3734", "sessionId": "2_MX4xMDBfjE0Mzc2NzY1NDgwMTJ-TjMzfn4", "projectId": 100,
             "createdAt": 1437676551000, "updatedAt": 1437676551000, "resolution": "640x480", "status": "started",
             "broadcastUrls": {"hls": "http://server/fakepath/playlist.m3u8", "hlsStatus": "live",
                               "rtmp": [{"id": "foo", "serverUrl": "rtmp://myfooserver/myfooapp", "streamName": "myfoostream", "status": "live"},
                                        {"id": "bar", "serverUrl": "rtmp://mybarserver/mybarapp", "streamName": "mybarstream"}]},
             "streamMode": "auto", "streams": []}
            """)
        let urls = try #require(broadcast.broadcastURLs)
        #expect(urls.hls == "http://server/fakepath/playlist.m3u8" && urls.hlsStatus == "live")
        #expect(urls.rtmp == [OpenTokRTMPTarget(serverURL: "rtmp://myfooserver/myfooapp", status: "live"),
                              OpenTokRTMPTarget(serverURL: "rtmp://mybarserver/mybarapp", status: nil)])
        #expect(broadcast.outputMode == nil && broadcast.streamMode == .known(.auto) && broadcast.streamCount == 0)
        #expect(broadcast.createdAt?.internetDateTime() == "2015-07-23T18:35:51Z")
    }

    @Test func streamsSIPCallsAndCaptions() throws {
        let stream = try Self.object(#"{"id": "8b732909-0a06-46a2-8ea8-074e64d43422", "videoType": "screen", "name": "", "layoutClassList": ["full", "focus"]}"#)
        #expect(stream.videoType == "screen" && stream.layoutClasses == ["full", "focus"])
        let noClasses = try Self.object(#"{"id": "s", "layoutClassList": []}"#)
        #expect(noClasses.layoutClasses == [])
        let call = try Self.object(#"{"id": "b0a5a8c7-dc38-459f-a48d-a7f2008da853", "connectionId": "e9f8c166-6c67-440d-994a-04fb6dfed007", "streamId": "482bce73-f882-40fd-8ca5-cb74ff416036"}"#)
        #expect(call.connectionID == "e9f8c166-6c67-440d-994a-04fb6dfed007" && call.streamID == "482bce73-f882-40fd-8ca5-cb74ff416036")
        let captions = try Self.object(#"{"captionsId": "7c0680fc-6274-4de5-a66f-d0648e8d3ac2"}"#)
        #expect(captions.captionsID == "7c0680fc-6274-4de5-a66f-d0648e8d3ac2" && captions.id == "")
        // A session (the first element of the create answer): its ID is its session ID.
        let session = try Self.object(#"{"session_id": "2_MX4xMjM0NX5-", "project_id": "12345", "create_dt": "Mon Mar 17 00:41:31 PDT 2014"}"#)
        #expect(session.id == "2_MX4xMjM0NX5-" && session.sessionID == session.id)
    }

    @Test func workflowTasksAndParameters() throws {
        let workflow = Resource(json: try JSONParser.parse(Fixtures.data("\(Fixtures.root)/resources/emulator-workflow.json")))
        #expect(workflow.definitionTasks.map(\.key) == ["getFiles", "transcode", "putFiles", "transcribe", "thumbnail", "visionDetection"])
        #expect(workflow.definitionTasks.allSatisfy { $0.type == $0.key })
        #expect(workflow.parameters?.isObject == true)
        let system = Resource(json: try JSONParser.parse(#"""
            {"name": "TranscodeAndThumbnail", "description": "Transcode a video and take thumbnails",
             "tasks": [{"key": "fetch", "type": "getFiles", "version": 1}, {"type": "transcode", "version": 1}]}
            """#))
        #expect(system.name == "TranscodeAndThumbnail" && system.summaryDescription == "Transcode a video and take thumbnails")
        #expect(system.definitionTasks == [WorkflowTaskSummary(type: "getFiles", key: "fetch"), WorkflowTaskSummary(type: "transcode", key: nil)])
        #expect(Resource(json: ["id": "x"]).definitionTasks.isEmpty && Resource(json: ["id": "x"]).parameters == nil)
    }

    @Test func anAttachmentNamesItsAssetAndJob() throws {
        let attachment = Resource(json: try JSONParser.parse(#"""
            {"mediaAssetId": "ocid1.mediaasset.oc1..a", "distributionChannelId": "ocid1.mediachannel.oc1..c", "displayName": "hls",
             "mediaWorkflowJobId": "ocid1.mediaworkflowjob.oc1..j", "metadataRef": "m-1", "version": 2, "lifecycleState": "ACTIVE"}
            """#))
        #expect(attachment.mediaAssetID == "ocid1.mediaasset.oc1..a" && attachment.distributionChannelID == "ocid1.mediachannel.oc1..c")
        #expect(attachment.mediaWorkflowJobID == "ocid1.mediaworkflowjob.oc1..j" && attachment.metadataRef == "m-1")
    }

    @Test func aTaskDeclarationsSchema() throws {
        let declaration = Resource(json: try JSONParser.parse(#"""
            {"name": "transcode", "version": 1, "parametersSchema": {"type": "object", "required": ["transcodeType"],
              "properties": {"transcodeType": {"type": "string", "enum": ["standardTranscode", "smartTranscode"]},
                             "ladder": {"type": "array", "items": {"$ref": "#/definitions/rung"}}, "fps": {"enum": [24, 30]}}}}
            """#))
        let schema = try #require(declaration.parametersSchema)
        #expect(schema.type == "object" && schema.required == ["transcodeType"])
        #expect(schema.properties.map(\.name) == ["transcodeType", "ladder", "fps"])
        #expect(schema.properties[0].schema.enumValues == ["standardTranscode", "smartTranscode"])
        #expect(schema.properties[1].schema.items?.ref == "#/definitions/rung")
        #expect(schema.properties[2].schema.enumValues == ["24", "30"])
        #expect(Resource(json: ["name": "x"]).parametersSchema == nil)
    }

    @Test func aBucketsFields() throws {
        let bucket = BucketSummary(json: try JSONParser.parse(#"""
            {"namespace": "ns", "name": "media-in", "compartmentId": "ocid1.compartment.oc1..c", "storageTier": "Archive",
             "publicAccessType": "NoPublicAccess", "versioning": "Enabled", "timeCreated": "2026-01-02T03:04:05.678Z", "etag": "b-1"}
            """#))
        #expect(bucket.storageTier == "Archive" && bucket.publicAccessType == "NoPublicAccess" && bucket.versioning == "Enabled")
        #expect(BucketSummary(json: ["name": "b"]).versioning == nil)
    }
}
