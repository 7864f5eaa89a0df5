// What the official SDKs need from the emulator's answers (Tests/conformance holds the SDK-driven suite): fields their
// models declare as returned, and requests in the shapes the SDKs send them, answered as the service answers them.
import EmulatorCore
import Foundation
import MediaKit
import Testing

extension Rig {
    /// A rig whose emulator also serves Object Storage (`/n/...`) from `objectStorage`.
    init(objectStorage: ObjectStorageEmulator) throws {
        let pem = try #require(FileManager.default.contents(atPath: "\(Self.keysDir)/test_key.pem"))
        key = try RSAPrivateKey.load(pem: pem, passphrase: nil)
        var options = EmulatorOptions(streamHost: Self.host)
        options.now = { Rig.clock }
        options.objectStorage = objectStorage
        emulator = MediaServicesEmulator(options: options)
        emulator.registerAPIKey(keyID: keyID, publicKey: try #require(key.publicKey))
    }
}

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

    /// The SDK's update_* calls: PUT with the fields to change; a workflow's version goes up; identity stays.
    @Test func updatesChangeTheGivenFields() throws {
        let rig = try Rig()
        let workflow = try rig.workflow()
        let updated = try rig.send("PUT", "/20211101/mediaWorkflows/\(workflow)", body: ["displayName": "renamed", "freeformTags": ["a": "b"]])
        #expect(updated.0 == 200 && updated.1["displayName"] == "renamed" && updated.1["version"] == 2 && updated.1["freeformTags"]?["a"] == "b")
        #expect(updated.1["tasks"]?.arrayValue?.count == LabWorkflow.definition.createBody(compartmentID: Rig.compartment, displayName: "x")["tasks"]?.arrayValue?.count)
        #expect(try rig.send("GET", "/20211101/mediaWorkflows/\(workflow)").1["displayName"] == "renamed")
        let refused = try rig.send("PUT", "/20211101/mediaWorkflows/\(workflow)", body: ["compartmentId": "ocid1.compartment.oc1..other"])
        #expect(refused.0 == 400 && refused.1["message"]?.stringValue?.contains("compartmentId") == true)
        #expect(try rig.send("PUT", "/20211101/mediaAssets/ocid1.mediaasset.oc1.iad.gone", body: ["displayName": "x"]).0 == 404)
    }

    /// add_*_lock / remove_*_lock answer with the resource and its locks; a lock stops a delete unless overridden.
    @Test func locksStopDeletesAndCompartmentsMove() throws {
        let rig = try Rig()
        let channel = try rig.create("streamDistributionChannels", ["compartmentId": .string(Rig.compartment), "displayName": "c"])
        let locked = try rig.send("POST", "/20211101/streamDistributionChannels/\(channel)/actions/addLock",
                                  body: ["type": "DELETE", "compartmentId": .string(Rig.compartment)])
        #expect(locked.0 == 200 && locked.1["locks"]?.arrayValue?.first?["type"] == "DELETE", "\(locked.1.compactText)")
        #expect(try rig.send("DELETE", "/20211101/streamDistributionChannels/\(channel)").0 == 409)
        let moved = try rig.send("POST", "/20211101/streamDistributionChannels/\(channel)/actions/changeCompartment",
                                 body: ["compartmentId": "ocid1.compartment.oc1..aaaaaaaaother"])
        #expect(moved.0 == 200 && moved.2.body.isEmpty)
        #expect(try rig.send("GET", "/20211101/streamDistributionChannels/\(channel)").1["compartmentId"] == "ocid1.compartment.oc1..aaaaaaaaother")
        #expect(try rig.send("DELETE", "/20211101/streamDistributionChannels/\(channel)?isLockOverride=true").0 == 204)
    }

    /// oci's Bucket declares namespace, name, compartmentId, metadata, createdBy, timeCreated and etag returned;
    /// BucketSummary the same but metadata; ListBuckets pages with opc-next-page.
    @Test func bucketsCarryWhatTheSDKDeclaresAndAreListed() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sdk-answers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let objects = try ObjectStorageEmulator(store: ObjectStore(root: root), namespace: "ns", buckets: ["media-in"],
                                                compartment: Rig.compartment, createdBy: "ocid1.user.oc1..aaaaaaaatest")
        let rig = try Rig(objectStorage: objects)
        let other = "ocid1.compartment.oc1..aaaaaaaaother"
        for name in ["b-one", "b-two", "b-three"] {
            let created = try rig.send("POST", "/n/ns/b", body: ["name": .string(name), "compartmentId": .string(other)])
            #expect(created.0 == 200 && created.1["compartmentId"] == .string(other), "\(created.1.compactText)")
        }
        let got = try rig.send("GET", "/n/ns/b/media-in")
        for field in ["namespace", "name", "compartmentId", "metadata", "createdBy", "timeCreated", "etag"] {
            #expect(got.1[field] != nil, "GetBucket lacks \(field)")
        }
        #expect(got.1["compartmentId"] == .string(Rig.compartment) && Rig.header(got.2, "etag") == got.1["etag"]?.stringValue)

        let first = try rig.send("GET", "/n/ns/b?compartmentId=\(other)&limit=2")
        #expect(first.0 == 200)
        #expect(first.1.arrayValue?.map { $0["name"]?.stringValue ?? "" } == ["b-one", "b-three"])
        #expect(first.1.arrayValue?.first?["metadata"] == nil && first.1.arrayValue?.first?["createdBy"] != nil)
        let next = try #require(Rig.header(first.2, "opc-next-page"))
        let second = try rig.send("GET", "/n/ns/b?compartmentId=\(other)&limit=2&page=\(Query.encode(next))")
        #expect(second.1.arrayValue?.map { $0["name"]?.stringValue ?? "" } == ["b-two"] && Rig.header(second.2, "opc-next-page") == nil)
        #expect(try rig.send("GET", "/n/ns/b").0 == 400, "compartmentId is required")
    }
}

@Suite struct ObjectStorageAnswerTests {
    /// DeleteBucket (409 BucketNotEmpty until empty), RenameObject and ListMultipartUploads, as the SDK calls them.
    @Test func deleteBucketRenameObjectAndListUploads() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sdk-answers-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let store = try ObjectStore(root: root)
        let rig = try Rig(objectStorage: try ObjectStorageEmulator(store: store, namespace: "ns", buckets: ["b"]))
        try store.put(namespace: "ns", bucket: "b", object: "a.ts", data: Data("abc".utf8), contentType: "video/mp2t")
        let renamed = try rig.send("POST", "/n/ns/b/b/actions/renameObject", body: ["sourceName": "a.ts", "newName": "dir/b.ts"])
        #expect(renamed.0 == 200, "\(renamed.1.compactText)")
        #expect(try store.read(namespace: "ns", bucket: "b", object: "dir/b.ts") == Data("abc".utf8))
        #expect(try store.info(namespace: "ns", bucket: "b", object: "dir/b.ts").contentType == "video/mp2t")
        #expect((try? store.info(namespace: "ns", bucket: "b", object: "a.ts")) == nil)
        #expect(try rig.send("POST", "/n/ns/b/b/actions/renameObject", body: ["sourceName": "gone", "newName": "x"]).0 == 404)

        let upload = try rig.send("POST", "/n/ns/b/b/u", body: ["object": "big.mp4"])
        let listed = try rig.send("GET", "/n/ns/b/b/u")
        #expect(listed.0 == 200 && listed.1.arrayValue?.map { $0["uploadId"] } == [upload.1["uploadId"]])
        #expect(listed.1.arrayValue?.first?["object"] == "big.mp4" && listed.1.arrayValue?.first?["timeCreated"] != nil)

        let updated = try rig.send("POST", "/n/ns/b/b", body: ["compartmentId": "ocid1.compartment.oc1..aaaaaaaamoved", "metadata": ["k": "v"]])
        #expect(updated.0 == 200 && updated.1["compartmentId"] == "ocid1.compartment.oc1..aaaaaaaamoved" && updated.1["metadata"]?["k"] == "v")
        #expect(try rig.send("GET", "/n/ns/b?compartmentId=ocid1.compartment.oc1..aaaaaaaamoved").1.arrayValue?.count == 1)
        #expect(try rig.send("POST", "/n/ns/b/b", body: ["name": "other"]).0 == 400)

        let notEmpty = try rig.send("DELETE", "/n/ns/b/b")
        #expect(notEmpty.0 == 409 && notEmpty.1["code"] == "BucketNotEmpty")
        _ = try store.delete(namespace: "ns", bucket: "b", object: "dir/b.ts")
        #expect(try rig.send("DELETE", "/n/ns/b/b").0 == 204)
        #expect(try rig.send("GET", "/n/ns/b/b").0 == 404)
    }
}

@Suite struct OpenTokAnswerTests {
    static let apiKey = "123456"
    static let secret = "0123456789abcdef0123456789abcdef01234567"
    let now = Date(timeIntervalSince1970: 1_700_000_100)
    let emulator: OpenTokEmulator
    private let counter = Counter()

    private final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.withLock { n += 1; return n } }
    }

    init() {
        let now = self.now
        emulator = OpenTokEmulator(apiKey: Self.apiKey, apiSecret: Self.secret, now: { now })
    }

    /// One call as an SDK makes it; `contentType` nil sends none (vonage-video's GETs before its first JSON call).
    func call(_ method: String, _ path: String, _ body: String = "", contentType: String? = "application/json") -> (Int, JSONValue) {
        let auth = HS256JWT.sign(claims: OpenTokAuthHeader.claims(apiKey: Self.apiKey, issuedAt: 1_700_000_100, jti: "t\(counter.next())"),
                                 key: Data(Self.secret.utf8))
        var headers = [("Accept", "application/json"), ("X-OPENTOK-AUTH", auth)]
        if let contentType { headers.append(("Content-Type", contentType)) }
        let r = emulator.handle(method: method, target: path, headers: headers, body: Data(body.utf8))
        return (r.status, r.body.isEmpty ? .null : ((try? JSONParser.parse(r.body)) ?? .null))
    }

    @Test func sessionCreateTakesVonageVideosForms() {
        let form = "application/x-www-form-urlencoded"
        // create_session() with no options: no body, the service's defaults (relayed).
        #expect(call("POST", "/session/create", contentType: nil).0 == 200)
        // SessionOptions(media_mode=ROUTED, archive_mode=ALWAYS, e2ee=True): its own order, media_mode, Python's True.
        let (status, json) = call("POST", "/session/create", "archiveMode=always&media_mode=routed&e2ee=True&p2p.preference=disabled", contentType: form)
        #expect(status == 200, "\(json.compactText)")
        let id = json.arrayValue?.first?["session_id"]?.stringValue ?? ""
        #expect(emulator.session(id)?.routed == true && emulator.session(id)?.archiveAlways == true && emulator.session(id)?.e2ee == true)
        // The same form labelled application/json, as vonage-video sends it after an earlier JSON call.
        #expect(call("POST", "/session/create", "media_mode=routed&p2p.preference=disabled").0 == 200)
        #expect(call("POST", "/session/create", #"{"p2p.preference":"disabled"}"#).0 == 400, "a JSON body is not a form")
    }

    @Test func recordingsTakeVonageVideosBodiesAndAnswerWithTheObject() throws {
        let session = emulator.seedSession()
        let stream = try #require(emulator.connectClient(sessionID: session)).streamID
        // GET without a content type; vonage-video's `session_id` filter is not the API's and is ignored.
        let empty = call("GET", "/v2/project/123456/archive?count=100&session_id=\(session)", contentType: nil)
        #expect(empty.0 == 200 && empty.1["count"] == 0, "\(empty.1.compactText)")
        // Only the fields vonage-video sets; the rest take the service's defaults.
        let started = call("POST", "/v2/project/123456/archive", #"{"sessionId":"\#(session)","streamMode":"manual"}"#)
        #expect(started.0 == 200, "\(started.1.compactText)")
        #expect(started.1["hasAudio"] == true && started.1["hasVideo"] == true && started.1["outputMode"] == "composed")
        let id = try #require(started.1["id"]?.stringValue)
        let layout = call("PUT", "/v2/project/123456/archive/\(id)/layout", #"{"type":"bestFit"}"#)
        #expect(layout.0 == 200 && layout.1["id"] == .string(id), "change_archive_layout builds an Archive from the answer")
        #expect(call("PATCH", "/v2/project/123456/archive/\(id)/streams", #"{"addStream":"\#(stream)"}"#).0 == 204)
        let listed = call("GET", "/v2/project/123456/archive?session_id=elsewhere", contentType: nil)
        #expect(listed.1["count"] == 1)
        let classes = call("PUT", "/v2/project/123456/session/\(session)/stream", #"{"items":[{"id":"\#(stream)","layoutClassList":["focus"]}]}"#)
        #expect(classes.0 == 200 && classes.1["items"]?.arrayValue?.first?["layoutClassList"] == ["focus"],
                "change_stream_layout reads items from the answer")
    }
}
