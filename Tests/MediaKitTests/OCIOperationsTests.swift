// Every Media Services, Media Stream and Object Storage call added for issue 17, driven over real HTTP on
// loopback through CurlTransport: the method, path, query, headers and JSON body each sends, as
// oci 2.189.0 sends them (media_services_client.py, media_stream_client.py, object_storage_client.py).
import Foundation
import MediaKit
import Testing
import TestSupport

/// The requests a loopback server received, answered by `respond`.
final class RecordingServer: @unchecked Sendable {
    private let lock = NSLock()
    private var received: [LoopbackRequest] = []
    private(set) var server: LoopbackServer!

    init(_ respond: @escaping @Sendable (LoopbackRequest) -> HTTPResponse) throws {
        server = try LoopbackServer { [unowned self] request in
            self.lock.withLock { self.received.append(request) }
            return respond(request)
        }
    }

    var requests: [LoopbackRequest] { lock.withLock { received } }
    var last: LoopbackRequest? { requests.last }
    func stop() { server.stop() }

    func endpoint(_ path: String = "/20211101") throws -> RequestURL { try #require(RequestURL(server.baseURL + path)) }
}

/// One expected request.
struct Wire: Sendable, CustomStringConvertible {
    let name: String
    let method: String
    /// Path and query exactly as sent.
    let target: String
    /// Headers that must be there with these values; a nil value means the header must be absent.
    var headers: [(String, String?)] = []
    /// The JSON body (compared as JSON, member order aside); nil means no body.
    var body: String?
    var description: String { name }
}

func expectWire(_ request: LoopbackRequest?, _ wire: Wire) throws {
    let request = try #require(request, "\(wire.name): nothing was sent")
    #expect(request.method == wire.method, "\(wire.name)")
    #expect(request.target == wire.target, "\(wire.name)")
    #expect(request.header("opc-request-id") == "R", "\(wire.name)")
    for (name, value) in wire.headers {
        #expect(request.header(name) == value, "\(wire.name): header \(name)")
    }
    if let body = wire.body {
        #expect(request.header("content-type") == "application/json", "\(wire.name)")
        let sent = try JSONParser.parse(request.body)
        let expected = try JSONParser.parse(body)
        #expect(sent == expected, "\(wire.name): body \(sent.compactText)")
    } else {
        #expect(request.body.isEmpty, "\(wire.name): unexpected body \(String(decoding: request.body, as: UTF8.self))")
    }
}

@Suite struct MediaServicesOperationTests {
    static let resourceAnswer = #"{"id": "ocid1.mediaworkflow.oc1.iad.w1", "lifecycleState": "ACTIVE", "version": 2}"#

    /// Answers every call with a resource (or nothing for a DELETE), etag "E2".
    static func server() throws -> RecordingServer {
        try RecordingServer { request in
            if request.method == "DELETE" || request.path.hasSuffix("/changeCompartment") { return HTTPResponse(status: 204) }
            let collections = ["mediaAssets", "mediaWorkflowConfigurations", "systemMediaWorkflows", "mediaWorkflowTaskDeclarations",
                               "distributionChannelAttachments"]
            if request.method == "GET", let last = request.path.split(separator: "/").last, collections.contains(String(last)) {
                return HTTPResponse(status: 200, body: Data(#"{"items": [\#(resourceAnswer)]}"#.utf8))
            }
            return HTTPResponse(status: 200, headers: [("etag", "E2"), ("content-type", "application/json")], body: Data(resourceAnswer.utf8))
        }
    }

    static func client(_ s: RecordingServer) throws -> MediaServicesClient {
        MediaServicesClient(transport: try CurlTransport(), endpoint: try s.endpoint(), retryToken: { "T" }, requestID: { "R" })
    }

    typealias Call = @Sendable (MediaServicesClient) throws -> Void

    static let cases: [(Wire, Call)] = [
        // Updates: PUT with if-match and isLockOverride, only the fields given.
        (Wire(name: "update_media_workflow", method: "PUT", target: "/20211101/mediaWorkflows/ocid1.w?isLockOverride=true",
              headers: [("if-match", "E1"), ("opc-retry-token", nil)],
              body: #"{"displayName": "w2", "mediaWorkflowConfigurationIds": ["c1"], "parameters": {"video": {"a": 1}}, "freeformTags": {"k": "v"}}"#),
         { c in _ = try c.updateWorkflow(id: "ocid1.w", WorkflowUpdate(displayName: "w2", configurationIDs: ["c1"], parameters: ["video": ["a": 1]],
                                                                       tags: Tags(freeform: ["k": "v"])), ifMatch: "E1", isLockOverride: true) }),
        (Wire(name: "update_media_workflow_job", method: "PUT", target: "/20211101/mediaWorkflowJobs/ocid1.j",
              headers: [("if-match", nil)], body: #"{"displayName": "j2", "definedTags": {"ns": {"k": 1}}}"#),
         { c in _ = try c.updateJob(id: "ocid1.j", NameAndTagsUpdate(displayName: "j2", tags: Tags(defined: ["ns": ["k": 1]]))) }),
        (Wire(name: "update_media_workflow_configuration", method: "PUT", target: "/20211101/mediaWorkflowConfigurations/ocid1.c?isLockOverride=false",
              headers: [("if-match", "E1")], body: #"{"parameters": {"video": {"srcBucket": "in"}}}"#),
         { c in _ = try c.updateConfiguration(id: "ocid1.c", NameAndTagsUpdate(parameters: ["video": ["srcBucket": "in"]]), ifMatch: "E1",
                                              isLockOverride: false) }),
        (Wire(name: "update_stream_distribution_channel", method: "PUT", target: "/20211101/streamDistributionChannels/ocid1.ch",
              body: #"{"displayName": "ch2"}"#),
         { c in _ = try c.updateChannel(id: "ocid1.ch", NameAndTagsUpdate(displayName: "ch2")) }),
        (Wire(name: "update_stream_cdn_config", method: "PUT", target: "/20211101/streamCdnConfigs/ocid1.cdn",
              body: #"{"isEnabled": false, "config": {"type": "AKAMAI_MANUAL", "edgeHostname": "e.example", "isEdgeTokenAuth": true}}"#),
         { c in _ = try c.updateCdnConfig(id: "ocid1.cdn", CdnConfigUpdate(isEnabled: false, config: .akamaiManual(.init(edgeHostname: "e.example", isEdgeTokenAuth: true)))) }),
        (Wire(name: "update_stream_packaging_config", method: "PUT", target: "/20211101/streamPackagingConfigs/ocid1.pk",
              headers: [("if-match", "E9")], body: #"{"displayName": "pk2"}"#),
         { c in _ = try c.updatePackagingConfig(id: "ocid1.pk", NameAndTagsUpdate(displayName: "pk2"), ifMatch: "E9") }),
        (Wire(name: "update_media_asset", method: "PUT", target: "/20211101/mediaAssets/ocid1.a",
              body: #"{"displayName": "a2", "type": "VIDEO", "metadata": [{"metadata": "{\"x\":1}"}], "mediaAssetTags": [{"type": "USER", "value": "t"}]}"#),
         { c in
             var f = MediaAssetFields(displayName: "a2", type: "VIDEO")
             f.metadata = [#"{"x":1}"#]
             f.mediaAssetTags = [MediaAssetTag(value: "t")]
             _ = try c.updateAsset(id: "ocid1.a", f) }),

        // Configurations.
        (Wire(name: "create_media_workflow_configuration", method: "POST", target: "/20211101/mediaWorkflowConfigurations",
              headers: [("opc-retry-token", "T")],
              body: #"{"displayName": "cfg", "compartmentId": "ocid1.compartment.oc1..c", "parameters": {"video": {"a": "b"}}, "locks": [{"type": "DELETE", "message": "keep"}]}"#),
         { c in _ = try c.createConfiguration(compartmentID: "ocid1.compartment.oc1..c", displayName: "cfg", parameters: ["video": ["a": "b"]],
                                              locks: [ResourceLock(type: .delete, message: "keep")]) }),
        (Wire(name: "get_media_workflow_configuration", method: "GET", target: "/20211101/mediaWorkflowConfigurations/ocid1.c"),
         { c in _ = try c.getConfiguration(id: "ocid1.c") }),
        (Wire(name: "delete_media_workflow_configuration", method: "DELETE", target: "/20211101/mediaWorkflowConfigurations/ocid1.c?isLockOverride=true",
              headers: [("if-match", "E1")]),
         { c in try c.deleteConfiguration(id: "ocid1.c", ifMatch: "E1", isLockOverride: true) }),
        (Wire(name: "change_media_workflow_configuration_compartment", method: "POST",
              target: "/20211101/mediaWorkflowConfigurations/ocid1.c/actions/changeCompartment",
              headers: [("opc-retry-token", "T"), ("if-match", nil)], body: #"{"compartmentId": "ocid1.compartment.oc1..d"}"#),
         { c in try c.changeConfigurationCompartment(id: "ocid1.c", compartmentID: "ocid1.compartment.oc1..d") }),
        (Wire(name: "add_media_workflow_configuration_lock", method: "POST", target: "/20211101/mediaWorkflowConfigurations/ocid1.c/actions/addLock",
              headers: [("opc-retry-token", "T")], body: #"{"type": "FULL"}"#),
         { c in _ = try c.addConfigurationLock(id: "ocid1.c", ResourceLock(type: .full)) }),
        (Wire(name: "remove_media_workflow_configuration_lock", method: "POST", target: "/20211101/mediaWorkflowConfigurations/ocid1.c/actions/removeLock",
              headers: [("opc-retry-token", "T"), ("if-match", "E1")], body: #"{"type": "FULL", "compartmentId": "ocid1.compartment.oc1..c"}"#),
         { c in _ = try c.removeConfigurationLock(id: "ocid1.c", ResourceLock(type: .full, compartmentID: "ocid1.compartment.oc1..c"), ifMatch: "E1") }),

        // Jobs by name, with configurations.
        (Wire(name: "create_media_workflow_job (by name)", method: "POST", target: "/20211101/mediaWorkflowJobs", headers: [("opc-retry-token", "T")],
              body: #"{"workflowIdentifierType": "NAME", "mediaWorkflowName": "SystemTranscode", "mediaWorkflowConfigurationIds": ["c1", "c2"], "compartmentId": "ocid1.compartment.oc1..c", "parameters": {"video": {"srcVideo": "a.mp4"}}}"#),
         { c in _ = try c.createJob(workflow: .name("SystemTranscode"), compartmentID: "ocid1.compartment.oc1..c", displayName: nil,
                                    parameters: ["video": ["srcVideo": "a.mp4"]], configurationIDs: ["c1", "c2"]) }),

        // Assets of any type; delete modes.
        (Wire(name: "create_media_asset (VIDEO)", method: "POST", target: "/20211101/mediaAssets", headers: [("opc-retry-token", "T")],
              body: #"{"compartmentId": "ocid1.compartment.oc1..c", "displayName": "v", "type": "VIDEO", "bucketName": "b", "namespaceName": "ns", "objectName": "o.mp4", "sourceMediaWorkflowVersion": 3, "segmentRangeStartIndex": 0, "segmentRangeEndIndex": 9, "masterMediaAssetId": "ocid1.m"}"#),
         { c in
             var f = MediaAssetFields(displayName: "v", type: "VIDEO")
             f.object = ObjectLocation(namespace: "ns", bucket: "b", object: "o.mp4")
             f.sourceMediaWorkflowVersion = 3
             f.segmentRangeStartIndex = 0
             f.segmentRangeEndIndex = 9
             f.masterMediaAssetID = "ocid1.m"
             _ = try c.createAsset(compartmentID: "ocid1.compartment.oc1..c", f) }),
        (Wire(name: "delete_media_asset", method: "DELETE", target: "/20211101/mediaAssets/ocid1.a?isLockOverride=true&deleteMode=DELETE_CHILDREN",
              headers: [("if-match", "E1")]),
         { c in try c.deleteAsset(id: "ocid1.a", deleteMode: .deleteChildren, ifMatch: "E1", isLockOverride: true) }),
        (Wire(name: "delete_media_workflow (lock override)", method: "DELETE", target: "/20211101/mediaWorkflows/ocid1.w?isLockOverride=true"),
         { c in try c.delete(.workflow, id: "ocid1.w", ifMatch: nil, isLockOverride: true) }),

        // Every filter, sort and page of a list.
        (Wire(name: "list_media_assets", method: "GET",
              target: "/20211101/mediaAssets?compartmentId=ocid1.compartment.oc1..c&type=PLAYLIST&bucketName=out&sourceMediaWorkflowVersion=2&sortBy=timeCreated&sortOrder=DESC&limit=5&page=p2"),
         { c in _ = try c.list(.asset, ListOptions(filters: [("compartmentId", "ocid1.compartment.oc1..c"), ("type", "PLAYLIST"), ("bucketName", "out"),
                                                             ("sourceMediaWorkflowVersion", "2")],
                                                   sortBy: "timeCreated", sortOrder: .descending, limit: 5, page: "p2")) }),
        (Wire(name: "list_media_workflow_configurations", method: "GET",
              target: "/20211101/mediaWorkflowConfigurations?compartmentId=ocid1.compartment.oc1..c&lifecycleState=ACTIVE&sortBy=displayName&sortOrder=ASC"),
         { c in _ = try c.listConfigurations(ListOptions(filters: [("compartmentId", "ocid1.compartment.oc1..c"), ("lifecycleState", "ACTIVE")],
                                                         sortBy: "displayName", sortOrder: .ascending)) }),
        (Wire(name: "list_system_media_workflows", method: "GET", target: "/20211101/systemMediaWorkflows?compartmentId=ocid1.compartment.oc1..c&name=Sys&sortOrder=ASC&limit=3"),
         { c in _ = try c.listSystemWorkflows(compartmentID: "ocid1.compartment.oc1..c", name: "Sys", sortOrder: .ascending, limit: 3) }),
        (Wire(name: "list_media_workflow_task_declarations", method: "GET",
              target: "/20211101/mediaWorkflowTaskDeclarations?compartmentId=ocid1.compartment.oc1..c&name=transcode&version=1&isCurrent=true&sortBy=version&limit=10"),
         { c in _ = try c.listTaskDeclarations(compartmentID: "ocid1.compartment.oc1..c", name: "transcode", version: 1, isCurrent: true,
                                               ListOptions(sortBy: "version", limit: 10)) }),

        // Compartments and locks on every kind.
        (Wire(name: "change_media_asset_compartment", method: "POST", target: "/20211101/mediaAssets/ocid1.a/actions/changeCompartment?isLockOverride=true",
              headers: [("opc-retry-token", "T"), ("if-match", "E1")], body: #"{"compartmentId": "ocid1.compartment.oc1..d"}"#),
         { c in try c.changeCompartment(.asset, id: "ocid1.a", compartmentID: "ocid1.compartment.oc1..d", ifMatch: "E1", isLockOverride: true) }),
        (Wire(name: "change_stream_distribution_channel_compartment", method: "POST",
              target: "/20211101/streamDistributionChannels/ocid1.ch/actions/changeCompartment",
              headers: [("opc-retry-token", "T")], body: #"{"compartmentId": "ocid1.compartment.oc1..d"}"#),
         { c in try c.changeCompartment(.channel, id: "ocid1.ch", compartmentID: "ocid1.compartment.oc1..d") }),
        (Wire(name: "add_stream_cdn_config_lock", method: "POST", target: "/20211101/streamCdnConfigs/ocid1.cdn/actions/addLock",
              headers: [("opc-retry-token", "T")],
              body: #"{"type": "DELETE", "relatedResourceId": "ocid1.ch", "message": "in use"}"#),
         { c in _ = try c.addLock(.cdnConfig, id: "ocid1.cdn", ResourceLock(type: .delete, relatedResourceID: "ocid1.ch", message: "in use")) }),
        (Wire(name: "remove_media_workflow_job_lock", method: "POST", target: "/20211101/mediaWorkflowJobs/ocid1.j/actions/removeLock",
              headers: [("opc-retry-token", "T")], body: #"{"type": "FULL"}"#),
         { c in _ = try c.removeLock(.job, id: "ocid1.j", ResourceLock(type: .full)) }),

        // CDN and packaging configs on an existing channel, with all their fields.
        (Wire(name: "create_stream_cdn_config (AKAMAI_MANUAL)", method: "POST", target: "/20211101/streamCdnConfigs", headers: [("opc-retry-token", "T")],
              body: #"{"displayName": "ak", "distributionChannelId": "ocid1.ch", "isEnabled": true, "config": {"type": "AKAMAI_MANUAL", "originAuthSignType": "ForwardURL", "originAuthSignEncryption": "SHA256-HMAC", "originAuthSecretKeyA": "ka", "originAuthSecretKeyNonceA": "na", "originAuthSecretKeyB": "kb", "originAuthSecretKeyNonceB": "nb", "edgeHostname": "h", "edgePathPrefix": "/p", "isEdgeTokenAuth": true, "edgeTokenKey": "tk", "edgeTokenSalt": "ts"}, "freeformTags": {"team": "media"}}"#),
         { c in _ = try c.createCdnConfig(channelID: "ocid1.ch", displayName: "ak",
                                          config: .akamaiManual(.init(originAuthSignType: "ForwardURL", originAuthSignEncryption: "SHA256-HMAC",
                                                                      originAuthSecretKeyA: "ka", originAuthSecretKeyNonceA: "na", originAuthSecretKeyB: "kb",
                                                                      originAuthSecretKeyNonceB: "nb", edgeHostname: "h", edgePathPrefix: "/p",
                                                                      isEdgeTokenAuth: true, edgeTokenKey: "tk", edgeTokenSalt: "ts")),
                                          isEnabled: true, tags: Tags(freeform: ["team": "media"])) }),
        (Wire(name: "create_stream_packaging_config (DASH, AES128)", method: "POST", target: "/20211101/streamPackagingConfigs", headers: [("opc-retry-token", "T")],
              body: #"{"distributionChannelId": "ocid1.ch", "displayName": "dash", "streamPackagingFormat": "DASH", "segmentTimeInSeconds": 6, "encryption": {"algorithm": "AES128", "kmsKeyId": "ocid1.key"}, "definedTags": {"ns": {"k": "v"}}}"#),
         { c in _ = try c.createPackagingConfig(channelID: "ocid1.ch", displayName: "dash", format: "DASH", segmentSeconds: 6,
                                                encryption: .aes128(kmsKeyID: "ocid1.key"), tags: Tags(defined: ["ns": ["k": "v"]])) }),

        // Attachments.
        (Wire(name: "get_media_asset_distribution_channel_attachment", method: "GET",
              target: "/20211101/mediaAssets/ocid1.a/distributionChannelAttachments/ocid1.ch?version=2"),
         { c in _ = try c.getAttachment(assetID: "ocid1.a", channelID: "ocid1.ch", version: 2) }),
        (Wire(name: "list_media_asset_distribution_channel_attachments", method: "GET",
              target: "/20211101/mediaAssets/ocid1.a/distributionChannelAttachments?distributionChannelId=ocid1.ch&sortBy=version&limit=2"),
         { c in _ = try c.listAttachments(assetID: "ocid1.a", ListOptions(filters: [("distributionChannelId", "ocid1.ch")], sortBy: "version", limit: 2)) }),
        (Wire(name: "delete_media_asset_distribution_channel_attachment", method: "DELETE",
              target: "/20211101/mediaAssets/ocid1.a/distributionChannelAttachments/ocid1.ch?isLockOverride=true&version=4", headers: [("if-match", "E1")]),
         { c in try c.deleteAttachment(assetID: "ocid1.a", channelID: "ocid1.ch", version: 4, ifMatch: "E1", isLockOverride: true) }),
    ]

    @Test(arguments: cases.indices)
    func sendsWhatTheSDKSends(index: Int) throws {
        let (wire, call) = Self.cases[index]
        let server = try Self.server()
        defer { server.stop() }
        try call(try Self.client(server))
        #expect(server.requests.count == 1, "\(wire.name)")
        try expectWire(server.last, wire)
    }

    @Test func anUpdateAnswersWithTheResourceAndItsNewEtag() throws {
        let server = try Self.server()
        defer { server.stop() }
        let r = try Self.client(server).updateWorkflow(id: "ocid1.w", WorkflowUpdate(displayName: "x"), ifMatch: "E1")
        #expect(r.id == "ocid1.mediaworkflow.oc1.iad.w1")
        #expect(r.etag == "E2")
        #expect(r.version == 2)
    }

    @Test func listAllFollowsOpcNextPageKeepingFiltersAndSort() throws {
        let server = try RecordingServer { request in
            let next: [(String, String)] = request.target.contains("page=p2") ? [] : [("opc-next-page", "p2")]
            let id = request.target.contains("page=p2") ? "b" : "a"
            return HTTPResponse(status: 200, headers: next, body: Data(#"{"items": [{"id": "\#(id)"}]}"#.utf8))
        }
        defer { server.stop() }
        let items = try Self.client(server).listAll(.job, ListOptions(filters: [("mediaWorkflowId", "w")], sortBy: "lifecycleState", sortOrder: .ascending))
        #expect(items.map(\.id) == ["a", "b"])
        #expect(server.requests.map(\.target) == ["/20211101/mediaWorkflowJobs?mediaWorkflowId=w&sortBy=lifecycleState&sortOrder=ASC",
                                                  "/20211101/mediaWorkflowJobs?mediaWorkflowId=w&sortBy=lifecycleState&sortOrder=ASC&page=p2"])
    }

    @Test func aPackagingOrCdnConfigCannotChangeCompartmentAndNothingIsSent() throws {
        let server = try Self.server()
        defer { server.stop() }
        #expect(throws: MediaError.usage("a CDN config cannot be moved to another compartment (it lives in its channel's)")) {
            try Self.client(server).changeCompartment(.cdnConfig, id: "ocid1.cdn", compartmentID: "ocid1.compartment.oc1..d")
        }
        #expect(server.requests.isEmpty)
    }

    @Test func anAssetWithoutATypeIsRefusedBeforeSending() throws {
        let server = try Self.server()
        defer { server.stop() }
        #expect(throws: MediaError.self) { try Self.client(server).createAsset(compartmentID: "c", MediaAssetFields(displayName: "x")) }
        #expect(server.requests.isEmpty)
    }

    @Test func aRefusedUpdateIsAConflictNamingTheServiceCode() throws {
        let server = try RecordingServer { _ in
            HTTPResponse(status: 412, headers: [("opc-request-id", "S1")], body: Data(#"{"code": "PreconditionFailed", "message": "etag mismatch"}"#.utf8))
        }
        defer { server.stop() }
        do {
            _ = try Self.client(server).updateJob(id: "ocid1.j", NameAndTagsUpdate(displayName: "x"), ifMatch: "old")
            Issue.record("expected a conflict")
        } catch let error as MediaError {
            guard case let .conflict(f) = error else { Issue.record("got \(error)"); return }
            #expect(f.status == 412 && f.code == "PreconditionFailed" && f.message == "etag mismatch" && f.requestID == "S1")
            #expect(f.method == "PUT")
        }
    }
}

@Suite struct MediaStreamOperationTests {
    @Test func generatePlaylistIsASignedGetReturningTheBytes() throws {
        let playlist = "#EXTM3U\n#EXT-X-STREAM-INF:BANDWIDTH=1\nlow.m3u8\n"
        let server = try RecordingServer { _ in HTTPResponse(status: 200, headers: [("content-type", "application/x-mpegurl")], body: Data(playlist.utf8)) }
        defer { server.stop() }
        // The channel's domainName is the host: no endpoint typed.
        let channel = Resource(json: ["id": "ocid1.ch", "domainName": .string(server.server.hostPort)])
        let client = try MediaStreamClient(transport: try CurlTransport(), channel: channel, scheme: "http", requestID: { "R" })
        let bytes = try client.generatePlaylist(packagingConfigID: "ocid1.pk/1", assetID: "ocid1.a", token: "t=1")
        #expect(String(decoding: bytes, as: UTF8.self) == playlist)
        try expectWire(server.last, Wire(name: "generate_playlist", method: "GET",
                                         target: "/20211101/actions/generatePlaylist?streamPackagingConfigId=ocid1.pk%2F1&mediaAssetId=ocid1.a&token=t%3D1",
                                         headers: [("accept", "application/x-mpegurl, application/dash+xml")]))
    }

    @Test func sessionTokenWithScopesSeveralAssetsAndExpiry() throws {
        let server = try RecordingServer { _ in HTTPResponse(status: 200, body: Data(#"{"token": "tok"}"#.utf8)) }
        defer { server.stop() }
        let client = try MediaStreamClient(transport: try CurlTransport(), domainName: server.server.hostPort, scheme: "http", requestID: { "R" })
        let token = try client.generateSessionToken(packagingConfigID: "ocid1.pk", assetIDs: ["a1", "a2"], scopes: [SessionTokenScope.edge],
                                                    expires: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(token == "tok")
        try expectWire(server.last, Wire(name: "generate_session_token", method: "POST", target: "/20211101/actions/generateSessionToken",
                                         body: #"{"packagingConfigId": "ocid1.pk", "scopes": ["EDGE"], "assetIds": ["a1", "a2"], "timeExpires": "2027-01-15T08:00:00.000Z"}"#))
    }

    @Test func aChannelWithoutADomainIsAUsageError() throws {
        #expect(throws: MediaError.self) {
            _ = try MediaStreamClient(transport: try CurlTransport(), channel: Resource(json: ["id": "ocid1.ch"]))
        }
    }
}

@Suite struct ObjectStorageOperationTests {
    static func client(_ s: RecordingServer) throws -> ObjectStorageClient {
        ObjectStorageClient(transport: try CurlTransport(), endpoint: try s.endpoint(""), requestID: { "R" })
    }

    typealias Call = @Sendable (ObjectStorageClient) throws -> Void

    static let cases: [(Wire, Call)] = [
        (Wire(name: "list_buckets", method: "GET", target: "/n/ns/b?compartmentId=ocid1.compartment.oc1..c&limit=10&page=p&fields=tags"),
         { c in _ = try c.listBuckets(namespace: "ns", compartmentID: "ocid1.compartment.oc1..c", limit: 10, page: "p", fields: ["tags"]) }),
        (Wire(name: "create_bucket", method: "POST", target: "/n/ns/b",
              body: #"{"name": "media", "compartmentId": "ocid1.compartment.oc1..c", "storageTier": "Standard", "versioning": "Enabled", "freeformTags": {"k": "v"}}"#),
         { c in
             var s = BucketSettings()
             s.storageTier = "Standard"
             s.versioning = "Enabled"
             s.tags = Tags(freeform: ["k": "v"])
             _ = try c.createBucket(namespace: "ns", name: "media", compartmentID: "ocid1.compartment.oc1..c", settings: s) }),
        (Wire(name: "delete_bucket", method: "DELETE", target: "/n/ns/b/media", headers: [("if-match", "E1")]),
         { c in try c.deleteBucket(namespace: "ns", name: "media", ifMatch: "E1") }),
        (Wire(name: "rename_object", method: "POST", target: "/n/ns/b/media/actions/renameObject",
              body: #"{"sourceName": "a/b.mp4", "newName": "c.mp4", "newObjIfNoneMatchETag": "*"}"#),
         { c in try c.renameObject(namespace: "ns", bucket: "media", from: "a/b.mp4", to: "c.mp4", newIfNoneMatch: "*") }),
        (Wire(name: "copy_object", method: "POST", target: "/n/ns/b/media/actions/copyObject",
              body: #"{"sourceObjectName": "a.mp4", "destinationRegion": "us-phoenix-1", "destinationNamespace": "ns", "destinationBucket": "dr", "destinationObjectName": "a.mp4", "destinationObjectMetadata": {"k": "v"}}"#),
         { c in
             var copy = ObjectCopy(sourceObject: "a.mp4", destinationRegion: "us-phoenix-1", destinationNamespace: "ns", destinationBucket: "dr",
                                   destinationObject: "a.mp4")
             copy.destinationMetadata = ["k": "v"]
             _ = try c.copyObject(namespace: "ns", bucket: "media", copy) }),
        (Wire(name: "list_multipart_uploads", method: "GET", target: "/n/ns/b/media/u?limit=100&page=p"),
         { c in _ = try c.listMultipartUploads(namespace: "ns", bucket: "media", limit: 100, page: "p") }),
        (Wire(name: "abort_multipart_upload", method: "DELETE", target: "/n/ns/b/media/u/dir%2Fbig.mov?uploadId=u-1"),
         { c in try c.abortMultipartUpload(namespace: "ns", bucket: "media", object: "dir/big.mov", uploadID: "u-1") }),
        (Wire(name: "create_preauthenticated_request", method: "POST", target: "/n/ns/b/media/p",
              body: #"{"name": "share", "objectName": "out/master.m3u8", "accessType": "ObjectRead", "timeExpires": "2027-01-15T08:00:00.000Z"}"#),
         { c in _ = try c.createPreauthenticatedRequest(namespace: "ns", bucket: "media", name: "share", accessType: .objectRead,
                                                        expires: Date(timeIntervalSince1970: 1_800_000_000), objectName: "out/master.m3u8") }),
        (Wire(name: "get_preauthenticated_request", method: "GET", target: "/n/ns/b/media/p/par%3A1"),
         { c in _ = try c.getPreauthenticatedRequest(namespace: "ns", bucket: "media", id: "par:1") }),
        (Wire(name: "list_preauthenticated_requests", method: "GET", target: "/n/ns/b/media/p?objectNamePrefix=out%2F&limit=5"),
         { c in _ = try c.listPreauthenticatedRequests(namespace: "ns", bucket: "media", objectNamePrefix: "out/", limit: 5) }),
        (Wire(name: "delete_preauthenticated_request", method: "DELETE", target: "/n/ns/b/media/p/par1"),
         { c in try c.deletePreauthenticatedRequest(namespace: "ns", bucket: "media", id: "par1") }),
    ]

    @Test(arguments: cases.indices)
    func sendsWhatTheSDKSends(index: Int) throws {
        let (wire, call) = Self.cases[index]
        let server = try RecordingServer { request in
            if request.method == "DELETE" || request.path.hasSuffix("renameObject") { return HTTPResponse(status: 204) }
            let body = request.method == "GET" && !request.path.contains("/p/") ? "[]" : #"{"id": "x", "name": "n"}"#
            return HTTPResponse(status: 200, headers: [("opc-work-request-id", "wr1")], body: Data(body.utf8))
        }
        defer { server.stop() }
        try call(try Self.client(server))
        #expect(server.requests.count == 1, "\(wire.name)")
        try expectWire(server.last, wire)
    }

    @Test func copyObjectAnswersWithTheWorkRequest() throws {
        let server = try RecordingServer { _ in HTTPResponse(status: 202, headers: [("opc-work-request-id", "wr-7")]) }
        defer { server.stop() }
        let id = try Self.client(server).copyObject(namespace: "ns", bucket: "b",
                                                    ObjectCopy(sourceObject: "a", destinationRegion: "r", destinationNamespace: "ns",
                                                               destinationBucket: "c", destinationObject: "a"))
        #expect(id == "wr-7")
    }

    @Test func listAllMultipartUploadsFollowsPagesIntoTypedSummaries() throws {
        let server = try RecordingServer { request in
            if request.target.contains("page=2") {
                return HTTPResponse(status: 200, body: Data(#"[{"namespace": "ns", "bucket": "b", "object": "y", "uploadId": "u2", "timeCreated": "2026-01-01T00:00:00Z"}]"#.utf8))
            }
            return HTTPResponse(status: 200, headers: [("opc-next-page", "2")],
                                body: Data(#"[{"namespace": "ns", "bucket": "b", "object": "x", "uploadId": "u1", "storageTier": "Standard"}]"#.utf8))
        }
        defer { server.stop() }
        let uploads = try Self.client(server).listAllMultipartUploads(namespace: "ns", bucket: "b")
        #expect(uploads.map(\.object) == ["x", "y"])
        #expect(uploads.map(\.uploadID) == ["u1", "u2"])
        #expect(uploads[0].storageTier == "Standard" && uploads[1].timeCreated == "2026-01-01T00:00:00Z")
        #expect(server.requests.map(\.target) == ["/n/ns/b/b/u", "/n/ns/b/b/u?page=2"])
    }

    @Test func aBucketListThatIsNotAnArrayIsABrokenAnswer() throws {
        let server = try RecordingServer { _ in HTTPResponse(status: 200, body: Data(#"{"items": []}"#.utf8)) }
        defer { server.stop() }
        #expect(throws: MediaError.network("GET /n/ns/b: the response is an object, not an array")) {
            _ = try Self.client(server).listBuckets(namespace: "ns", compartmentID: "c")
        }
    }
}
