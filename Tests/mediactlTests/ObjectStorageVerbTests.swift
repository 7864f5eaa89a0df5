// namespace, bucket, par, object rename|copy|multipart: in-process against the emulator's Object Storage on loopback
// (real signatures, real HTTP), and bad input refused with one line naming the flag, exit 64, nothing sent.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport
@testable import mediactl

@Suite struct ObjectStorageVerbTests {
    /// The emulator with Object Storage (namespace `ns`, bucket `media`), mediactl pointed at it.
    static func harness() throws -> EmulatorHarness {
        let root = NSTemporaryDirectory() + "mediactl-os-\(UUID().uuidString)"
        let store = try ObjectStore(root: URL(fileURLWithPath: root))
        let objects = try ObjectStorageEmulator(store: store, namespace: "ns", buckets: ["media"], compartment: Fixtures.compartment)
        let emu = try EmulatorHarness(configure: { $0.objectStorage = objects })
        emu.environment["MEDIACTL_OBJECTSTORAGE_ENDPOINT"] = emu.server.baseURL
        return emu
    }

    /// Uploads `text` as `name` into bucket `media` with `object put`.
    static func put(_ emu: EmulatorHarness, _ name: String, _ text: String = "rendition bytes\n") throws {
        let file = emu.dir.write("upload-\(UUID().uuidString)", text)
        let r = InProcess.run(["object", "put", file, "--bucket", "media", "--name", name, "--namespace", "ns"], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
    }

    static func json(_ r: InProcessResult) throws -> JSONValue { try JSONParser.parse(Data(r.stdout.utf8)) }

    /// The size the service lists for `name` (nil: no such object).
    static func size(_ emu: EmulatorHarness, bucket: String = "media", _ name: String) throws -> Int? {
        let page = try client(emu).listObjects(namespace: "ns", bucket: bucket, prefix: name)
        return page.summaries.first { $0.name == name }.flatMap(\.size).map(Int.init)
    }

    /// A client signed with the test key, to look at what the service holds.
    static func client(_ emu: EmulatorHarness) throws -> ObjectStorageClient {
        let signer = APIKeySigner(tenancy: Fixtures.tenancy, user: Fixtures.user, fingerprint: Fixtures.testFingerprint, key: try Fixtures.testKey)
        return ObjectStorageClient(transport: SigningTransport(inner: try CurlTransport(), signer: signer),
                                   endpoint: try #require(RequestURL(emu.server.baseURL)))
    }

    @Test func namespacePrintsTheNamespaceAndJSONAsTheSDKReturnsIt() throws {
        let emu = try Self.harness()
        let text = InProcess.run(["namespace"], env: emu.environment)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout == "ns\n")
        let json = InProcess.run(["namespace", "--output", "json"], env: emu.environment)
        #expect(try Self.json(json) == .string("ns"))
        #expect(emu.emulator.requests.filter { $0.path == "/n" }.count == 2)
    }

    @Test func bucketCreateGetListDelete() throws {
        let emu = try Self.harness()
        let tags = emu.dir.write("tags.json", #"{"team": "media"}"#)
        let created = InProcess.run(["bucket", "create", "renditions", "--namespace", "ns", "--versioning", "Enabled",
                                     "--freeform-tags", "@\(tags)", "--output", "json"], env: emu.environment)
        #expect(created.status == 0, "\(created.stderr)")
        #expect(try Self.json(created)["name"] == .string("renditions"))
        let body = try #require(emu.emulator.requests.last { $0.method == "POST" && $0.path == "/n/ns/b" }?.body)
        let sent = try JSONParser.parse(body)
        #expect(sent["freeformTags"] == .object([("team", .string("media"))]))
        #expect(sent["versioning"] == .string("Enabled"))
        #expect(sent["compartmentId"] == .string(Fixtures.compartment))

        let got = InProcess.run(["bucket", "get", "renditions", "--namespace", "ns"], env: emu.environment)
        #expect(got.status == 0, "\(got.stderr)")
        #expect(got.stdout.hasPrefix("bucket: renditions\n"), "\(got.stdout)")

        let ids = InProcess.run(["bucket", "list", "--namespace", "ns", "--all", "--output", "id"], env: emu.environment)
        #expect(ids.status == 0, "\(ids.stderr)")
        #expect(Set(ids.stdout.split(separator: "\n").map(String.init)) == ["media", "renditions"])
        let table = InProcess.run(["bucket", "list", "--namespace", "ns", "--output", "table"], env: emu.environment)
        #expect(table.stdout.split(separator: "\n").first?.contains("NAME") == true, "\(table.stdout)")

        let stale = InProcess.run(["bucket", "delete", "renditions", "--namespace", "ns", "--if-match", "not-the-etag", "--yes"],
                                  env: emu.environment)
        #expect(stale.status == 6, "\(stale.stderr)")
        let deleted = InProcess.run(["bucket", "delete", "renditions", "--namespace", "ns", "--yes", "--output", "json"], env: emu.environment)
        #expect(deleted.status == 0, "\(deleted.stderr)")
        #expect(try Self.json(deleted)["deleted"] == .bool(true))
        #expect(InProcess.run(["bucket", "get", "renditions", "--namespace", "ns"], env: emu.environment).status == 5)
    }

    @Test func bucketHeadAnswersByExitCodeAndUpdateSendsOnlyWhatIsGiven() throws {
        let emu = try Self.harness()
        let head = InProcess.run(["bucket", "head", "media", "--namespace", "ns", "--output", "json"], env: emu.environment)
        #expect(head.status == 0, "\(head.stderr)")
        let etag = try #require(try Self.json(head)["etag"]?.stringValue)
        let missing = InProcess.run(["bucket", "head", "nothing-here", "--namespace", "ns"], env: emu.environment)
        #expect(missing.status == 5)
        #expect(missing.stderr.contains("bucket ns/nothing-here does not exist"), "\(missing.stderr)")

        let updated = InProcess.run(["bucket", "update", "media", "--namespace", "ns", "--versioning", "Enabled",
                                     "--freeform-tags", #"{"team": "media"}"#, "--if-match", etag, "--output", "json"], env: emu.environment)
        #expect(updated.status == 0, "\(updated.stderr)")
        let sent = try JSONParser.parse(try #require(emu.emulator.requests.last { $0.method == "POST" && $0.path == "/n/ns/b/media" }?.body))
        #expect(sent == ["versioning": "Enabled", "freeformTags": ["team": "media"]], "only what was given is sent")
        let bucket = try Self.json(updated)
        #expect(bucket["versioning"] == "Enabled")
        #expect(bucket["freeformTags"] == ["team": "media"])
        #expect(bucket["etag"]?.stringValue != etag, "an update gives the bucket a new etag")

        // The etag read before the update is stale now: the service refuses, exit 6, and nothing changes.
        let stale = InProcess.run(["bucket", "update", "media", "--namespace", "ns", "--public-access-type", "ObjectRead",
                                   "--if-match", etag], env: emu.environment)
        #expect(stale.status == 6, "\(stale.stderr)")
        let staleHead = InProcess.run(["bucket", "head", "media", "--namespace", "ns", "--if-match", etag], env: emu.environment)
        #expect(staleHead.status == 6 && staleHead.stderr.contains("is no longer \(etag)"), "\(staleHead.stderr)")
        let now = InProcess.run(["bucket", "get", "media", "--namespace", "ns", "--output", "json"], env: emu.environment)
        #expect(try Self.json(now)["publicAccessType"] == "NoPublicAccess")
    }

    @Test func renameMovesTheObject() throws {
        let emu = try Self.harness()
        try Self.put(emu, "in/clip.mp4")
        let r = InProcess.run(["object", "rename", "in/clip.mp4", "done/clip.mp4", "--bucket", "media", "--namespace", "ns"], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout == "renamed ns/media/in/clip.mp4 to done/clip.mp4\n")
        #expect(try Self.size(emu, "done/clip.mp4") == 16)
        #expect(try Self.size(emu, "in/clip.mp4") == nil)
        // --no-overwrite: the service refuses to replace an existing name.
        try Self.put(emu, "other.mp4")
        let refused = InProcess.run(["object", "rename", "other.mp4", "done/clip.mp4", "--bucket", "media", "--namespace", "ns", "--no-overwrite"],
                                    env: emu.environment)
        #expect(refused.status == 6, "\(refused.stderr)")
        let body = try #require(emu.emulator.requests.last { $0.path.hasSuffix("/actions/renameObject") }?.body)
        #expect(try JSONParser.parse(body)["newObjIfNoneMatchETag"] == .string("*"))
        // --if-match: the source's etag must still be the one given.
        let stale = InProcess.run(["object", "rename", "other.mp4", "x.mp4", "--bucket", "media", "--namespace", "ns", "--if-match", "old-etag"],
                                  env: emu.environment)
        #expect(stale.status == 6, "\(stale.stderr)")
    }

    @Test func copyPrintsTheWorkRequestAndWaitsForIt() throws {
        let emu = try Self.harness()
        try Self.put(emu, "clip.mp4")
        #expect(InProcess.run(["bucket", "create", "public", "--namespace", "ns"], env: emu.environment).status == 0)
        let accepted = InProcess.run(["object", "copy", "clip.mp4", "--bucket", "media", "--namespace", "ns", "--destination-bucket", "public",
                                      "--output", "id"], env: emu.environment)
        #expect(accepted.status == 0, "\(accepted.stderr)")
        #expect(accepted.stdout.hasPrefix("ocid1.objectstorageworkrequest."), "\(accepted.stdout)")
        let body = try JSONParser.parse(try #require(emu.emulator.requests.last { $0.path.hasSuffix("/actions/copyObject") }?.body))
        #expect(body == ["sourceObjectName": "clip.mp4", "destinationRegion": "us-ashburn-1", "destinationNamespace": "ns",
                         "destinationBucket": "public", "destinationObjectName": "clip.mp4"])

        let waited = InProcess.run(["object", "copy", "clip.mp4", "--bucket", "media", "--namespace", "ns", "--destination-bucket", "public",
                                    "--destination-name", "copy.mp4", "--wait", "--output", "json"], env: emu.environment)
        #expect(waited.status == 0, "\(waited.stderr)")
        #expect(try Self.json(waited)["status"] == .string("COMPLETED"))
        #expect(emu.emulator.requests.contains { $0.method == "GET" && $0.path.hasPrefix("/workRequests/") })
        #expect(try Self.size(emu, bucket: "public", "copy.mp4") == 16)
    }

    @Test func multipartListShowsPendingUploadsAndAbortDiscardsOne() throws {
        let emu = try Self.harness()
        let client = try Self.client(emu)
        let upload = try client.createMultipartUpload(namespace: "ns", bucket: "media", object: "big.mov")
        let listed = InProcess.run(["object", "multipart", "list", "--bucket", "media", "--namespace", "ns", "--output", "id"], env: emu.environment)
        #expect(listed.status == 0, "\(listed.stderr)")
        #expect(listed.stdout == "\(upload)\n")

        let unconfirmed = InProcess.run(["object", "multipart", "abort", "--bucket", "media", "--namespace", "ns", "--object", "big.mov",
                                         "--upload-id", upload], env: emu.environment)
        #expect(unconfirmed.status == 64)
        #expect(unconfirmed.stderr.contains("pass --yes"), "\(unconfirmed.stderr)")

        let aborted = InProcess.run(["object", "multipart", "abort", "--bucket", "media", "--namespace", "ns", "--object", "big.mov",
                                     "--upload-id", upload, "--yes"], env: emu.environment)
        #expect(aborted.status == 0, "\(aborted.stderr)")
        #expect(try client.listMultipartUploads(namespace: "ns", bucket: "media").items.isEmpty)
    }

    @Test func parCreatePrintsAWorkingLinkOnStdoutOnlyAndDeleteRevokesIt() throws {
        let emu = try Self.harness()
        try Self.put(emu, "out/clip.m3u8", "#EXTM3U\n")
        let r = InProcess.run(["par", "create", "--bucket", "media", "--namespace", "ns", "--object", "out/clip.m3u8", "--expires", "7d",
                               "--debug"], env: emu.environment)
        #expect(r.status == 0, "\(r.stderr)")
        let link = r.stdout.trimmingCharacters(in: .newlines)
        #expect(link.hasPrefix(emu.server.baseURL + "/p/"), "\(link)")
        let secret = String(link.dropFirst((emu.server.baseURL + "/p/").count).prefix { $0 != "/" })
        #expect(secret.count >= 20, "\(link)")
        #expect(!r.stderr.contains(secret), "the link's token reached stderr")
        #expect(r.stderr.contains(#""accessUri":"[REDACTED]""#), "the --debug log shows the answer, its link redacted: \(r.stderr)")
        // Anyone holding the link reads the object without credentials.
        let fetched = try CurlTransport().send(HTTPRequest(method: "GET", url: try #require(RequestURL(link))))
        #expect(fetched.status == 200)
        #expect(String(decoding: fetched.body, as: UTF8.self) == "#EXTM3U\n")
        // What was sent: ObjectRead of the one object, expiring about 7 days from now, named after it.
        let body = try JSONParser.parse(try #require(emu.emulator.requests.last { $0.method == "POST" && ($0.path.hasSuffix("/p") || $0.path.hasSuffix("/p/")) }?.body))
        #expect(body["accessType"] == .string("ObjectRead"))
        #expect(body["name"] == .string("clip.m3u8-share"))
        let expires = try #require(body["timeExpires"]?.stringValue.flatMap { Date(internetDateTime: $0) })
        #expect(abs(expires.timeIntervalSinceNow - 7 * 86_400) < 120)

        let listed = InProcess.run(["par", "list", "--bucket", "media", "--namespace", "ns", "--output", "json"], env: emu.environment)
        let items = try #require(try Self.json(listed)["items"]?.arrayValue)
        #expect(items.count == 1)
        #expect(!listed.stdout.contains(secret))
        let id = try #require(items.first?["id"]?.stringValue)
        // A PAR id is base64 and may begin with '-': after `--` it is the argument, not a flag.
        let shown = InProcess.run(["par", "get", "--bucket", "media", "--namespace", "ns", "--", id], env: emu.environment)
        #expect(shown.status == 0, "\(shown.stderr)")
        #expect(shown.stdout.contains("\n  access:       ObjectRead\n"), "\(shown.stdout)")

        let revoked = InProcess.run(["par", "delete", "--bucket", "media", "--namespace", "ns", "--yes", "--", id], env: emu.environment)
        #expect(revoked.status == 0, "\(revoked.stderr)")
        #expect(try CurlTransport().send(HTTPRequest(method: "GET", url: try #require(RequestURL(link)))).status == 404)
    }

    // MARK: bad input: one line naming the flag, exit 64, nothing sent

    static let badInput: [(argv: [String], error: String)] = [
        (["par", "create", "--bucket", "media", "--object", "a", "--expires", "soon"], "error: --expires: expected an RFC 3339 time"),
        (["par", "create", "--bucket", "media", "--object", "a", "--expires", "2001-01-01T00:00:00Z"], "error: --expires: 2001-01-01T00:00:00Z is in the past"),
        (["par", "create", "--bucket", "media", "--access-type", "ObjectRead", "--expires", "7d"], "error: --access-type ObjectRead: names one object"),
        (["par", "create", "--bucket", "media", "--object", "a", "--access-type", "AnyObjectRead", "--expires", "7d"], "error: --access-type AnyObjectRead: covers the whole bucket"),
        (["par", "create", "--bucket", "media", "--object", "a", "--list-objects", "--expires", "7d"], "error: --list-objects: only for a bucket link"),
        (["par", "create", "--bucket", "media", "--expires", "7d", "--access-type", "Everything"], "error: --access-type: expected one of ObjectRead"),
        (["par", "delete", "x", "--bucket", "media"], "error: refusing to revoke pre-authenticated request x"),
        (["bucket", "create", "bad name", "--compartment-id", Fixtures.compartment], "error: NAME: expected 1 to 256 letters"),
        (["bucket", "create", "ok", "--freeform-tags", #"{"a": 1}"#], "error: --freeform-tags: the value of \"a\" must be a string, got number"),
        (["bucket", "create", "ok", "--freeform-tags", "{nope"], "error: --freeform-tags: not valid JSON"),
        (["bucket", "create", "ok", "--defined-tags", #"{"a": "b"}"#], "error: --defined-tags: the namespace \"a\" must be an object of tags, got string"),
        (["bucket", "create", "ok", "--defined-tags", "@/nonexistent/tags.json"], "error: --defined-tags @/nonexistent/tags.json: no such file"),
        (["bucket", "create", "ok", "--storage-tier", "Cold"], "error: --storage-tier: expected one of Standard, Archive"),
        (["bucket", "list", "--all", "--page", "p"], "error: --all and --page cannot be combined"),
        (["bucket", "list", "--fields", "size"], "error: --fields: expected one of tags"),
        (["bucket", "delete", "media"], "error: refusing to delete bucket media without confirmation: pass --yes"),
        (["bucket", "update", "media"], "error: nothing to change: give at least one of --compartment-id, --public-access-type"),
        (["bucket", "update", "media", "--versioning", "Disabled"], "error: --versioning: expected one of Enabled, Suspended"),
        (["bucket", "update", "media", "--auto-tiering", "Cold"], "error: --auto-tiering: expected one of Disabled, InfrequentAccess"),
        (["bucket", "head", "bad name"], "error: NAME: expected 1 to 256 letters"),
        (["object", "rename", "a", "a", "--bucket", "media"], "error: NEW: the same name as SOURCE"),
        (["object", "rename", "a", "", "--bucket", "media"], "error: NEW"),
        (["object", "copy", "a", "--bucket", "media", "--destination-bucket", "no/slash"], "error: --destination-bucket: expected 1 to 256 letters"),
        (["object", "copy", "a", "--bucket", "media", "--destination-bucket", "b", "--timeout", "0"], "error: --timeout"),
        (["object", "multipart", "abort", "--bucket", "media", "--object", "x", "--upload-id", "a b", "--yes"], "error: --upload-id: expected printable ASCII"),
        (["object", "multipart", "list", "--bucket", "bad bucket"], "error: --bucket: expected 1 to 256 letters"),
        (["namespace", "--compartment-id", "not-an-ocid"], "error: --compartment-id"),
    ]

    @Test(arguments: 0..<badInput.count)
    func badInputIsOneLineExit64AndSendsNothing(index: Int) throws {
        let (argv, error) = Self.badInput[index]
        let emu = try Self.harness()
        let r = InProcess.run(argv, env: emu.environment)
        #expect(r.status == 64, "\(argv): \(r.status) \(r.stderr)")
        #expect(r.stderr.hasPrefix(error), "\(argv): \(r.stderr)")
        #expect(r.stderr.split(separator: "\n").count == 1, "\(argv): \(r.stderr)")
        #expect(emu.requestCount == 0, "\(argv): sent \(emu.emulator.requests.map(\.path))")
    }

    @Test func durationsAndTimesForExpires() throws {
        #expect(ExpiryTime.seconds("7d") == 604_800)
        #expect(ExpiryTime.seconds("12h") == 43_200)
        #expect(ExpiryTime.seconds("1h30m") == 5_400)
        #expect(ExpiryTime.seconds("2w") == 1_209_600)
        // Bare digits are seconds, as session tokens take them (one parser for every --expires).
        #expect(ExpiryTime.seconds("3600") == 3_600)
        for bad in ["d", "-1d", "1.5h", "0d", "7x", "1h30", "0", ""] { #expect(ExpiryTime.seconds(bad) == nil, "\(bad)") }
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(try ExpiryTime.parse("1d", now: now, flag: "expires") == now.addingTimeInterval(86_400))
        let time = try ExpiryTime.parse("2030-01-31T12:00:00Z", now: now, flag: "expires")
        #expect(time == Date(internetDateTime: "2030-01-31T12:00:00Z"))
    }
}
