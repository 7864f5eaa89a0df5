// Unit tests of the emulator's service logic without sockets: requests are signed with MediaKit's signer
// and the committed test key, then handed straight to handle().
import EmulatorCore
import Foundation
import MediaKit
import Testing

/// Builds signed ServerRequests against a fresh emulator with a fixed clock.
struct Rig {
    static let keysDir = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MediaKitTests/Fixtures/keys").path
    static let host = "127.0.0.1:8123"
    static let clock = Date(timeIntervalSince1970: 1_700_000_000)
    static let compartment = "ocid1.compartment.oc1..aaaaaaaatestcompartment"

    let emulator: MediaServicesEmulator
    let key: RSAPrivateKey
    let keyID = "ocid1.tenancy.oc1..aaaaaaaatest/ocid1.user.oc1..aaaaaaaatest/aa:bb"

    init(pollsInProgress: Int = 2, persistence: any StatePersistence = NoPersistence()) throws {
        let pem = try #require(FileManager.default.contents(atPath: "\(Self.keysDir)/test_key.pem"))
        key = try RSAPrivateKey.load(pem: pem, passphrase: nil)
        var options = EmulatorOptions(streamHost: Self.host)
        options.pollsInProgress = pollsInProgress
        options.persistence = persistence
        options.now = { Rig.clock }
        emulator = MediaServicesEmulator(options: options)
        emulator.registerAPIKey(keyID: keyID, publicKey: try #require(key.publicKey))
    }

    func signed(_ method: String, _ target: String, body: JSONValue? = nil, keyID: String? = nil, date: Date = Rig.clock,
                headers extra: [(String, String)] = []) throws -> ServerRequest {
        var request = HTTPRequest(method: method, url: try #require(RequestURL("http://\(Self.host)\(target)")),
                                  body: body?.data ?? Data())
        for (name, value) in extra { request.setHeader(name, value) }
        try OCIRequestSigner.sign(&request, keyID: keyID ?? self.keyID, key: key, date: date)
        return ServerRequest(method: method, target: target, headers: [("Host", Self.host)] + request.headers, body: request.body)
    }

    func send(_ method: String, _ target: String, body: JSONValue? = nil, headers: [(String, String)] = []) throws -> (Int, JSONValue, ServerResponse) {
        let response = emulator.handle(try signed(method, target, body: body, headers: headers))
        let json = response.body.isEmpty ? JSONValue.null : ((try? JSONParser.parse(response.body)) ?? .null)
        return (response.status, json, response)
    }

    func create(_ collection: String, _ body: JSONValue) throws -> String {
        let (status, json, _) = try send("POST", "/20211101/\(collection)", body: body)
        #expect(status == 200, "\(json.compactText)")
        return json["id"]?.stringValue ?? ""
    }

    func workflow() throws -> String {
        try create("mediaWorkflows", LabWorkflow.definition.createBody(compartmentID: Self.compartment, displayName: "sdk-demo"))
    }

    /// channel, packaging config, asset
    func streamingSetup(objectName: String = "sdk_test/clip.mp4/run1-master.m3u8") throws -> (String, String, String) {
        let channel = try create("streamDistributionChannels", ["compartmentId": .string(Self.compartment), "displayName": "test_sdk"])
        let packaging = try create("streamPackagingConfigs", ["distributionChannelId": .string(channel), "displayName": "test_sdk",
                                                              "streamPackagingFormat": "HLS", "segmentTimeInSeconds": 20,
                                                              "encryption": ["algorithm": "NONE"]])
        let asset = try create("mediaAssets", ["compartmentId": .string(Self.compartment), "displayName": "a", "type": "PLAYLIST",
                                               "bucketName": "out", "namespaceName": "ns", "objectName": .string(objectName)])
        return (channel, packaging, asset)
    }

    static func header(_ response: ServerResponse, _ name: String) -> String? {
        response.headers.last { $0.0.lowercased() == name }?.1
    }
}

@Suite struct SignatureTests {
    @Test func aSignedCreateIsAcceptedAndLogged() throws {
        let rig = try Rig()
        let (status, json, response) = try rig.send("POST", "/20211101/streamDistributionChannels",
                                                    body: ["compartmentId": .string(Rig.compartment), "displayName": "test_sdk"],
                                                    headers: [("opc-request-id", "ABC123")])
        #expect(status == 200)
        #expect(OCID.isValid(json["id"]?.stringValue ?? "", type: "streamdistributionchannel"))
        #expect(json["domainName"] == .string(Rig.host))
        #expect(json["lifecycleState"] == "ACTIVE")
        #expect(json["timeCreated"]?.stringValue?.hasSuffix("Z") == true)
        #expect(Rig.header(response, "opc-request-id") == "ABC123")
        #expect(Rig.header(response, "content-type") == "application/json")
        let log = rig.emulator.requests
        #expect(log.count == 1)
        #expect(log[0].keyID == rig.keyID && log[0].path == "/20211101/streamDistributionChannels" && log[0].status == 200)
    }

    @Test func aTamperedBodyIsRejected() throws {
        let rig = try Rig()
        var request = try rig.signed("POST", "/20211101/streamDistributionChannels",
                                     body: ["compartmentId": .string(Rig.compartment), "displayName": "aaaa"])
        request.body = Data(String(decoding: request.body, as: UTF8.self).replacingOccurrences(of: "aaaa", with: "bbbb").utf8)
        let response = rig.emulator.handle(request)
        #expect(response.status == 401)
        let json = try JSONParser.parse(response.body)
        #expect(json["code"] == "NotAuthenticated")
        #expect(json["message"]?.stringValue?.contains("x-content-sha256") == true)
        #expect(Rig.header(response, "opc-request-id")?.count == 32)
        #expect(rig.emulator.requests.last?.status == 401)
    }

    @Test func aTamperedSignatureOrTargetIsRejected() throws {
        let rig = try Rig()
        var request = try rig.signed("GET", "/20211101/mediaWorkflows?compartmentId=\(Rig.compartment)")
        #expect(rig.emulator.handle(request).status == 200)
        let good = request
        request.headers = request.headers.map { name, value in
            name == "authorization" ? (name, value.replacingOccurrences(of: "signature=\"", with: "signature=\"AAAA")) : (name, value)
        }
        let badSignature = rig.emulator.handle(request)
        #expect(badSignature.status == 401)
        request = good
        request.target += "&limit=1"
        let badTarget = rig.emulator.handle(request)
        #expect(badTarget.status == 401)
        #expect(String(decoding: badTarget.body, as: UTF8.self).contains("does not verify"))
    }

    @Test func unknownKeysSkewAndMissingHeadersAreRejected() throws {
        let rig = try Rig()
        let list = "/20211101/mediaWorkflows?compartmentId=\(Rig.compartment)"
        #expect(rig.emulator.handle(try rig.signed("GET", list, keyID: "someone/else/00")).status == 401)
        #expect(rig.emulator.handle(try rig.signed("GET", list, date: Rig.clock.addingTimeInterval(-301))).status == 401)
        #expect(rig.emulator.handle(try rig.signed("GET", list, date: Rig.clock.addingTimeInterval(299))).status == 200)
        #expect(rig.emulator.handle(ServerRequest(method: "GET", target: list, headers: [("Host", Rig.host)], body: Data())).status == 401)

        // A POST signed with only the GET header list leaves its body unprotected: refused.
        var post = HTTPRequest(method: "POST", url: try #require(RequestURL("http://\(Rig.host)/20211101/streamDistributionChannels")),
                               body: Data("{}".utf8))
        let names = OCIRequestSigner.signedHeaderNames(method: "GET")
        post.setHeader("date", OCIRequestSigner.httpDate(Rig.clock))
        post.setHeader("host", Rig.host)
        let signature = try #require(rig.key.signSHA256(Data(OCIRequestSigner.signingString(post, names: names).utf8)))
        post.setHeader("authorization", OCIRequestSigner.authorizationValue(names: names, keyID: rig.keyID, signature: signature))
        let response = rig.emulator.handle(ServerRequest(method: "POST", target: post.url.target, headers: post.headers, body: post.body))
        #expect(response.status == 401)
        #expect(String(decoding: response.body, as: UTF8.self).contains("x-content-sha256"))
    }

    @Test func sessionKeysAreLookedUpByToken() throws {
        let rig = try Rig()
        let other = try RSAPrivateKey.load(pem: try #require(FileManager.default.contents(atPath: "\(Rig.keysDir)/other_key.pem")),
                                           passphrase: nil)
        rig.emulator.registerSessionKey(token: "eyJ.session.token", publicKey: try #require(other.publicKey))
        var request = HTTPRequest(method: "GET", url: try #require(RequestURL("http://\(Rig.host)/20211101/mediaAssets?compartmentId=c")))
        try OCIRequestSigner.sign(&request, keyID: "ST$eyJ.session.token", key: other, date: Rig.clock)
        #expect(rig.emulator.handle(ServerRequest(method: "GET", target: request.url.target, headers: [("Host", Rig.host)] + request.headers, body: Data())).status == 200)
        // The same token signed with the wrong key fails.
        try OCIRequestSigner.sign(&request, keyID: "ST$eyJ.session.token", key: rig.key, date: Rig.clock)
        #expect(rig.emulator.handle(ServerRequest(method: "GET", target: request.url.target, headers: [("Host", Rig.host)] + request.headers, body: Data())).status == 401)
    }
}

@Suite struct RoutingAndValidationTests {
    @Test func pathsMethodsAndBodies() throws {
        let rig = try Rig()
        #expect(try rig.send("GET", "/20211101/nothingHere").0 == 404)
        #expect(try rig.send("GET", "/20211101/mediaWorkflows/ocid1.mediaworkflow.oc1.iad.missing").1
                == ["code": "NotAuthorizedOrNotFound", "message": "Authorization failed or requested resource not found."])
        let (status, json, response) = try rig.send("PATCH", "/20211101/mediaWorkflows", body: [:])
        #expect(status == 405 && json["code"] == "MethodNotAllowed")
        #expect(Rig.header(response, "allow") == "GET, POST")

        var request = HTTPRequest(method: "POST", url: try #require(RequestURL("http://\(Rig.host)/20211101/mediaAssets")), body: Data("{\"a\":".utf8))
        try OCIRequestSigner.sign(&request, keyID: rig.keyID, key: rig.key, date: Rig.clock)
        let parsed = rig.emulator.handle(ServerRequest(method: "POST", target: "/20211101/mediaAssets", headers: [("Host", Rig.host)] + request.headers, body: request.body))
        #expect(parsed.status == 400)
        #expect(try JSONParser.parse(parsed.body)["code"] == "CannotParseRequest")
    }

    @Test func createBodiesAreValidated() throws {
        let rig = try Rig()
        let missing = try rig.send("POST", "/20211101/streamDistributionChannels", body: ["compartmentId": .string(Rig.compartment)])
        #expect(missing.0 == 400 && missing.1["code"] == "MissingParameter")
        #expect(missing.1["message"]?.stringValue?.contains("displayName") == true)
        let wrongType = try rig.send("POST", "/20211101/streamDistributionChannels", body: ["compartmentId": 5, "displayName": "x"])
        #expect(wrongType.0 == 400 && wrongType.1["code"] == "InvalidParameter")

        func workflow(_ tasks: JSONValue) throws -> (Int, JSONValue, ServerResponse) {
            try rig.send("POST", "/20211101/mediaWorkflows", body: ["compartmentId": .string(Rig.compartment), "displayName": "w", "tasks": tasks])
        }
        let unknownType = try workflow([["type": "teleport", "version": 1, "key": "t", "parameters": [:]]])
        #expect(unknownType.0 == 400 && unknownType.1["code"] == "InvalidParameter")
        let missingPrerequisite = try workflow([["type": "getFiles", "version": 1, "key": "g", "prerequisites": ["nope"], "parameters": [:]]])
        #expect(missingPrerequisite.0 == 400)
        #expect(missingPrerequisite.1["message"]?.stringValue?.contains("nope") == true)
        let cycle = try workflow([["type": "getFiles", "version": 1, "key": "a", "prerequisites": ["b"], "parameters": [:]],
                                  ["type": "getFiles", "version": 1, "key": "b", "prerequisites": ["a"], "parameters": [:]]])
        #expect(cycle.0 == 400)

        let lab = try rig.workflow()
        let (_, wf, _) = try rig.send("GET", "/20211101/mediaWorkflows/\(lab)")
        #expect(wf["lifecyleDetails"] != nil, "MediaWorkflow spells it lifecyleDetails")
        #expect(wf["tasks"]?.arrayValue?.count == 6)

        let orphan = try rig.send("POST", "/20211101/mediaWorkflowJobs",
                                  body: ["workflowIdentifierType": "ID", "mediaWorkflowId": "ocid1.mediaworkflow.oc1.iad.gone",
                                         "compartmentId": .string(Rig.compartment)])
        #expect(orphan.0 == 404 && orphan.1["code"] == "NotAuthorizedOrNotFound")
        let cdn = try rig.send("POST", "/20211101/streamCdnConfigs",
                               body: ["displayName": "c", "distributionChannelId": "ocid1.streamdistributionchannel.oc1.iad.gone",
                                      "config": ["type": "EDGE"]])
        #expect(cdn.0 == 404)
    }

    @Test func retryTokensReplayOrConflict() throws {
        let rig = try Rig()
        let body: JSONValue = ["compartmentId": .string(Rig.compartment), "displayName": "r"]
        let first = try rig.send("POST", "/20211101/streamDistributionChannels", body: body, headers: [("opc-retry-token", "tok1")])
        let again = try rig.send("POST", "/20211101/streamDistributionChannels", body: body, headers: [("opc-retry-token", "tok1")])
        #expect(first.0 == 200 && again.0 == 200)
        #expect(first.1["id"] == again.1["id"])
        let list = try rig.send("GET", "/20211101/streamDistributionChannels?compartmentId=\(Rig.compartment)")
        #expect(list.1["items"]?.arrayValue?.count == 1)
        let other = try rig.send("POST", "/20211101/streamDistributionChannels", body: ["compartmentId": .string(Rig.compartment), "displayName": "s"],
                                 headers: [("opc-retry-token", "tok1")])
        #expect(other.0 == 409 && other.1["code"] == "InvalidatedRetryToken")
    }

    @Test func listsFilterAndPage() throws {
        let rig = try Rig()
        var ids: [String] = []
        for i in 0..<5 { ids.append(try rig.create("streamDistributionChannels", ["compartmentId": .string(Rig.compartment), "displayName": .string("c\(i)")])) }
        var seen: [String] = []
        var target = "/20211101/streamDistributionChannels?compartmentId=\(Rig.compartment)&limit=2"
        var pages = 0
        while true {
            let (status, json, response) = try rig.send("GET", target)
            #expect(status == 200)
            seen += json["items"]?.arrayValue?.compactMap { $0["id"]?.stringValue } ?? []
            pages += 1
            guard let next = Rig.header(response, "opc-next-page"), pages < 10 else { break }
            target = "/20211101/streamDistributionChannels?compartmentId=\(Rig.compartment)&limit=2&page=\(Query.encode(next))"
        }
        #expect(seen == ids && pages == 3)
        let byName = try rig.send("GET", "/20211101/streamDistributionChannels?compartmentId=\(Rig.compartment)&displayName=c3")
        #expect(byName.1["items"]?.arrayValue?.map { $0["id"] } == [.string(ids[3])])
        // compartmentId is optional in the SDK's list_stream_distribution_channels: without it, every compartment's.
        let other = try rig.create("streamDistributionChannels", ["compartmentId": "ocid1.compartment.oc1..other", "displayName": "elsewhere"])
        let everywhere = try rig.send("GET", "/20211101/streamDistributionChannels?displayName=elsewhere")
        #expect(everywhere.0 == 200 && everywhere.1["items"]?.arrayValue?.map { $0["id"] } == [.string(other)])
        #expect(try rig.send("GET", "/20211101/streamDistributionChannels?lifecycleState=BOGUS").1["code"] == "InvalidParameter")
        #expect(try rig.send("GET", "/20211101/streamCdnConfigs?compartmentId=\(Rig.compartment)").1["code"] == "MissingParameter")

        #expect(try rig.send("DELETE", "/20211101/streamDistributionChannels/\(ids[0])").0 == 204)
        #expect(try rig.send("GET", "/20211101/streamDistributionChannels/\(ids[0])").0 == 404)
        #expect(try rig.send("DELETE", "/20211101/streamDistributionChannels/\(ids[0])").0 == 404)
    }

    @Test func concurrentRequestsAreAllServed() throws {
        let rig = try Rig()
        let requests = try (0..<40).map { i in
            try rig.signed("POST", "/20211101/mediaAssets", body: ["compartmentId": .string(Rig.compartment), "type": "VIDEO", "displayName": .string("a\(i)")])
        }
        final class Results: @unchecked Sendable { var statuses: [Int] = []; let lock = NSLock() }
        let results = Results()
        DispatchQueue.concurrentPerform(iterations: requests.count) { i in
            let status = rig.emulator.handle(requests[i]).status
            results.lock.withLock { results.statuses.append(status) }
        }
        #expect(results.statuses.count == 40 && results.statuses.allSatisfy { $0 == 200 })
        #expect(rig.emulator.requests.count == 40)
        let list = try rig.send("GET", "/20211101/mediaAssets?compartmentId=\(Rig.compartment)&limit=100")
        #expect(list.1["items"]?.arrayValue?.count == 40)
    }
}

@Suite struct JobAndStreamTests {
    func runJob(_ rig: Rig, video: String) throws -> String {
        let wf = try rig.workflow()
        let params = LabWorkflow.jobParameters(sourceBucket: "in", destinationBucket: "out", namespace: "ns", compartmentID: Rig.compartment,
                                               sourceVideo: video, outputPrefix: "run1")
        let (status, json, _) = try rig.send("POST", "/20211101/mediaWorkflowJobs",
                                             body: ["workflowIdentifierType": "ID", "mediaWorkflowId": .string(wf),
                                                    "compartmentId": .string(Rig.compartment), "displayName": "test_Demo-Job", "parameters": params])
        #expect(status == 200)
        #expect(json["lifecycleState"] == "ACCEPTED")
        #expect(json["taskLifecycleState"]?.arrayValue?.count == 6)
        return json["id"]?.stringValue ?? ""
    }

    @Test func aJobRunsToSuccessOverPolls() throws {
        let rig = try Rig(pollsInProgress: 2)
        let job = try runJob(rig, video: "clip.mp4")
        let states = try (0..<4).map { _ in try rig.send("GET", "/20211101/mediaWorkflowJobs/\(job)").1 }
        #expect(states.map { $0["lifecycleState"]?.stringValue ?? "" } == ["IN_PROGRESS", "IN_PROGRESS", "SUCCEEDED", "SUCCEEDED"])
        let done = states[3]
        #expect(done["taskLifecycleState"]?.arrayValue?.allSatisfy { $0["lifecycleState"] == "SUCCEEDED" } == true)
        let output = done["outputs"]?[0]
        #expect(output?["assetType"] == "PLAYLIST")
        #expect(output?["objectName"] == "sdk_test/clip.mp4/run1-master.m3u8")
        #expect(output?["bucketName"] == "out")
        // Lists show the state without advancing it.
        let listed = try rig.send("GET", "/20211101/mediaWorkflowJobs?compartmentId=\(Rig.compartment)&lifecycleState=SUCCEEDED")
        #expect(listed.1["items"]?.arrayValue?.count == 1)
    }

    @Test func aJobFailsOnlyWhenAFaultRuleNamesIt() throws {
        let rig = try Rig(pollsInProgress: 1)
        // A rule for another job, one for a task this workflow does not have, then the one that matches (by display name).
        rig.emulator.addJobFault(JobFaultRule(target: .job("another-job", task: nil)))
        rig.emulator.addJobFault(JobFaultRule(target: .job(nil, task: "noSuchTask")))
        rig.emulator.addJobFault(JobFaultRule(target: .job("test_Demo-Job", task: nil), message: "task transcode failed: input could not be decoded", count: 1))
        let job = try runJob(rig, video: "clip.mp4")
        _ = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(job)")
        let (_, json, _) = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(job)")
        #expect(json["lifecycleState"] == "FAILED")
        #expect(json["lifecycleDetails"] == "task transcode failed: input could not be decoded")
        let failed = json["taskLifecycleState"]?.arrayValue?.first { $0["lifecycleState"] == "FAILED" }
        #expect(failed?["key"] == "transcode", "the workflow's transcode task, when the rule names no task")
        #expect(json["outputs"] == nil)
        // count 1: used up; the rules that matched nothing remain.
        #expect(rig.emulator.jobFaults.count == 2)
        let next = try runJob(rig, video: "clip.mp4")
        _ = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(next)")
        #expect(try rig.send("GET", "/20211101/mediaWorkflowJobs/\(next)").1["lifecycleState"] == "SUCCEEDED")
    }

    @Test func aRuleByJobIDAndTaskFailsThatTask() throws {
        let rig = try Rig(pollsInProgress: 1)
        let job = try runJob(rig, video: "clip.mp4")
        rig.emulator.addJobFault(JobFaultRule(target: .job(job, task: "putFiles")))
        _ = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(job)")
        let json = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(job)").1
        #expect(json["lifecycleState"] == "FAILED")
        #expect(json["lifecycleDetails"] == "task putFiles failed (an emulator fault rule)")
        let states = json["taskLifecycleState"]?.arrayValue?.map { $0["lifecycleState"]?.stringValue ?? "" }
        #expect(states == ["SUCCEEDED", "SUCCEEDED", "FAILED", "CANCELED", "CANCELED", "CANCELED"])
    }

    @Test func namesThatContainFailNoLongerFailAnything() throws {
        let rig = try Rig(pollsInProgress: 1)
        let job = try runJob(rig, video: "failover-demo.mp4")
        _ = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(job)")
        #expect(try rig.send("GET", "/20211101/mediaWorkflowJobs/\(job)").1["lifecycleState"] == "SUCCEEDED")
        let (channel, _, asset) = try rig.streamingSetup(objectName: "failover-demo/fail-master.m3u8")
        let ingest = try rig.send("POST", "/20211101/streamDistributionChannels/\(channel)/actions/ingest",
                                  body: ["ingestPayloadType": "ASSET_METADATA_MEDIA_ASSET", "mediaAssetId": .string(asset),
                                         "compartmentId": .string(Rig.compartment)])
        let jobID = try #require(ingest.1["mediaWorkflowJobId"]?.stringValue)
        _ = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(jobID)")
        #expect(try rig.send("GET", "/20211101/mediaWorkflowJobs/\(jobID)").1["lifecycleState"] == "SUCCEEDED")
    }

    @Test func ingestSessionAndPlaylist() throws {
        let rig = try Rig(pollsInProgress: 0)
        let (channel, packaging, asset) = try rig.streamingSetup()
        let ingest = try rig.send("POST", "/20211101/streamDistributionChannels/\(channel)/actions/ingest",
                                  body: ["ingestPayloadType": "ASSET_METADATA_MEDIA_ASSET", "mediaAssetId": .string(asset),
                                         "compartmentId": .string(Rig.compartment)], headers: [("opc-retry-token", "ingest1")])
        #expect(ingest.0 == 200)
        let jobID = try #require(ingest.1["mediaWorkflowJobId"]?.stringValue)
        #expect(try rig.send("GET", "/20211101/mediaWorkflowJobs/\(jobID)").1["lifecycleState"] == "SUCCEEDED")

        let session = try rig.send("POST", "/20211101/actions/generateSessionToken",
                                   body: ["packagingConfigId": .string(packaging), "scopes": ["PLAYLIST", "EDGE"], "assetIds": [.string(asset)]])
        #expect(session.0 == 200)
        let token = try #require(session.1["token"]?.stringValue)

        func play(_ query: String) -> ServerResponse {
            rig.emulator.handle(ServerRequest(method: "GET", target: "/20211101/actions/generatePlaylist?\(query)",
                                              headers: [("Host", Rig.host)], body: Data()))
        }
        let ok = play("mediaAssetId=\(asset)&streamPackagingConfigId=\(packaging)&token=\(Query.encode(token))")
        #expect(ok.status == 200)
        #expect(Rig.header(ok, "content-type") == "application/vnd.apple.mpegurl")
        #expect(String(decoding: ok.body, as: UTF8.self).hasPrefix("#EXTM3U\n"))
        #expect(play("mediaAssetId=\(asset)&streamPackagingConfigId=\(packaging)&token=wrong").status == 401)
        #expect(play("mediaAssetId=\(asset)&streamPackagingConfigId=\(packaging)").status == 401)

        let noScopes = try rig.send("POST", "/20211101/actions/generateSessionToken", body: ["packagingConfigId": .string(packaging)])
        #expect(noScopes.0 == 400 && noScopes.1["code"] == "MissingParameter")
        let noConfig = try rig.send("POST", "/20211101/actions/generateSessionToken",
                                    body: ["packagingConfigId": "ocid1.streampackagingconfig.oc1.iad.gone", "scopes": ["PLAYLIST"]])
        #expect(noConfig.0 == 404)
    }

    @Test func anIngestNamedByAFaultRuleFails() throws {
        let rig = try Rig(pollsInProgress: 1)
        let (channel, _, asset) = try rig.streamingSetup(objectName: "broken-master.m3u8")
        // A job rule never fails an ingest; an ingest rule names the asset's object.
        rig.emulator.addJobFault(JobFaultRule(target: .job(nil, task: "ingest")))
        rig.emulator.addJobFault(JobFaultRule(target: .ingest("broken-master.m3u8"),
                                              message: "ingest failed: playlist broken-master.m3u8 is not a valid HLS master playlist"))
        let ingest = try rig.send("POST", "/20211101/streamDistributionChannels/\(channel)/actions/ingest",
                                  body: ["ingestPayloadType": "ASSET_METADATA_MEDIA_ASSET", "mediaAssetId": .string(asset),
                                         "compartmentId": .string(Rig.compartment)])
        let jobID = try #require(ingest.1["mediaWorkflowJobId"]?.stringValue)
        #expect(try rig.send("GET", "/20211101/mediaWorkflowJobs/\(jobID)").1["lifecycleState"] == "IN_PROGRESS")
        let done = try rig.send("GET", "/20211101/mediaWorkflowJobs/\(jobID)").1
        #expect(done["lifecycleState"] == "FAILED")
        #expect(done["lifecycleDetails"] == "ingest failed: playlist broken-master.m3u8 is not a valid HLS master playlist")
        let missingAsset = try rig.send("POST", "/20211101/streamDistributionChannels/\(channel)/actions/ingest",
                                        body: ["ingestPayloadType": "ASSET_METADATA_MEDIA_ASSET", "mediaAssetId": "ocid1.mediaasset.oc1.iad.gone",
                                               "compartmentId": .string(Rig.compartment)])
        #expect(missingAsset.0 == 404)
    }
}
