// Object Storage uploads as the SDK signs them (golden vectors from the official SDK), object-name encoding,
// and libcurl streaming a body from a file region (rewound on a retry) and a response into a file.
import Foundation
import MediaKit
import Testing
import TestSupport

@Suite struct ObjectStorageSigningTests {
    struct Vector: Sendable {
        let operation: String, objectName: String, url: String, body: String, date: String, authorization: String
    }

    static let vectors: [Vector] = {
        let json = (try? JSONParser.parse(Fixtures.data("\(Fixtures.root)/signing/objectstorage_vectors.json")))?.arrayValue ?? []
        return json.map { v in
            Vector(operation: v["operation"]?.stringValue ?? "", objectName: v["objectName"]?.stringValue ?? "", url: v["url"]?.stringValue ?? "",
                   body: v["body"]?.stringValue ?? "", date: v["date"]?.stringValue ?? "", authorization: v["authorization"]?.stringValue ?? "")
        }
    }()

    @Test func vectorsAreThere() { #expect(Self.vectors.count == 2) }

    /// The client's PutObject/UploadPart, signed by SigningTransport, match the SDK byte for byte: same URL
    /// (object name encoded as the SDK's strict quote(name, safe='')), same header list (no content headers), same signature.
    @Test(arguments: vectors.map(\.operation))
    func uploadIsSignedLikeTheSDK(operation: String) throws {
        let v = try #require(Self.vectors.first { $0.operation == operation })
        let dir = TemporaryDirectory()
        let file = dir.write("body", v.body)
        let recorder = RecordingTransport(responses: [HTTPResponse(status: 200, headers: [("etag", "e1")])])
        let date = try #require(OCIRequestSigner.parseHTTPDate(v.date))
        let signer = APIKeySigner(tenancy: Fixtures.tenancy, user: Fixtures.user, fingerprint: Fixtures.testFingerprint, key: try Fixtures.testKey)
        let transport = SigningTransport(inner: recorder, signer: signer, clock: Clock(now: { date }, sleep: { _ in true }))
        let endpoint = Regions.objectStorageEndpoint(try Regions.resolve("us-ashburn-1"))
        let client = ObjectStorageClient(transport: transport, endpoint: endpoint, requestID: { "R" })
        let region = FileRegion(path: file, offset: 0, length: Int64(v.body.utf8.count))
        if operation == "UploadPart" {
            _ = try client.uploadPart(namespace: "ns1", bucket: "media-in", object: v.objectName, uploadID: "abc-123", partNumber: 2, body: region, md5: nil)
        } else {
            _ = try client.putObject(namespace: "ns1", bucket: "media-in", object: v.objectName, body: region)
        }
        let sent = try #require(recorder.requests.first)
        #expect(sent.method == "PUT")
        #expect(sent.url.description == v.url)
        #expect(sent.header("date") == v.date)
        #expect(sent.header("authorization") == v.authorization)
        #expect(sent.header("x-content-sha256") == nil)
        #expect(sent.header("content-length") == String(v.body.utf8.count))
        #expect(sent.bodyFile == region)
        #expect(sent.body.isEmpty)
    }

    @Test func objectNamesAreEncodedLikeTheSDK() {
        // oci 2.189.0 encodes Object Storage path parameters strictly (base_client.py):
        // python3 -c "from urllib.parse import quote; print(quote('dir/a b+ü~.x!*()\\'\"#?&=', safe=''))"
        #expect(ObjectStorageClient.objectNameSegment("dir/a b+ü~.x!*()'\"#?&=") == "dir%2Fa%20b%2B%C3%BC~.x%21%2A%28%29%27%22%23%3F%26%3D")
    }

    @Test func aSlashInAnObjectNameIsPartOfTheNameNotOfThePath() {
        // Found by the conformance suite (Tests/conformance, issue 14): mediactl sent `/o/dir/a%20b`, the SDK `/o/dir%2Fa%20b`.
        #expect(ObjectStorageClient.objectNameSegment("run1/master.m3u8") == "run1%2Fmaster.m3u8")
        #expect(ObjectStorageClient.objectNameSegment("a//b/") == "a%2F%2Fb%2F")
    }

    @Test func aDotSegmentNameIsEncodedSoItStaysAName() {
        // base_client.py: for object_storage, a quoted "." or ".." becomes %2E / %2E%2E.
        #expect(ObjectStorageClient.objectNameSegment(".") == "%2E")
        #expect(ObjectStorageClient.objectNameSegment("..") == "%2E%2E")
        #expect(ObjectStorageClient.objectNameSegment("...") == "...")
        #expect(ObjectStorageClient.objectNameSegment("./x") == ".%2Fx")
    }

    @Test func aStreamedBodyCannotBeSignedWithContentHeaders() throws {
        var request = HTTPRequest(method: "PUT", url: try #require(RequestURL("https://h/n/x")))
        request.bodyFile = FileRegion(path: "/dev/null", length: 0)
        #expect(throws: MediaError.self) {
            try OCIRequestSigner.sign(&request, keyID: "k", key: try Fixtures.testKey, date: Date())
        }
    }

    @Test func multipartMD5IsTheMD5OfThePartMD5s() {
        let a = Digest.md5(Data("part one".utf8)), b = Digest.md5(Data("part two".utf8))
        #expect(ObjectUploader.multipartMD5([a.base64EncodedString(), b.base64EncodedString()])
                == Digest.md5(a + b).base64EncodedString() + "-2")
    }
}

@Suite struct StreamingTransportTests {
    final class Received: @unchecked Sendable {
        let lock = NSLock()
        var bodies: [Data] = []
        var contentLengths: [String?] = []
    }

    /// A 503 then a 200: the retry re-reads the same region from its offset, so both attempts carry the same bytes.
    @Test func aRetriedUploadSendsTheRegionAgain() throws {
        let dir = TemporaryDirectory()
        var bytes = Data()
        for i in 0..<300_000 { bytes.append(UInt8(truncatingIfNeeded: i &* 31 &+ 7)) }
        let file = dir.path + "/data.bin"
        try bytes.write(to: URL(fileURLWithPath: file))
        let received = Received()
        let server = try LoopbackServer { request in
            let n = received.lock.withLock { () -> Int in
                received.bodies.append(request.body)
                received.contentLengths.append(request.header("content-length"))
                return received.bodies.count
            }
            return n == 1 ? HTTPResponse(status: 503, body: Data("{\"code\":\"ServiceUnavailable\",\"message\":\"busy\"}".utf8))
                          : HTTPResponse(status: 200, headers: [("etag", "x")])
        }
        defer { server.stop() }
        let transport = RetryingTransport(inner: try CurlTransport(), policy: RetryPolicy(maxAttempts: 3),
                                          clock: Clock(now: { Date() }, sleep: { _ in true }), jitter: { 0 })
        var request = HTTPRequest(method: "PUT", url: try #require(RequestURL(server.baseURL + "/n/ns/b/b/o/x")))
        request.bodyFile = FileRegion(path: file, offset: 100_000, length: 150_000)
        let sent = Counter()
        request.progress = { s, _ in if s == 150_000 { _ = sent.next() } }
        let response = try transport.send(request)
        #expect(response.status == 200)
        let region = bytes.subdata(in: 100_000..<250_000)
        #expect(received.bodies.count == 2)
        #expect(received.bodies.allSatisfy { $0 == region })
        #expect(received.contentLengths.allSatisfy { $0 == "150000" })
        #expect(sent.next() >= 2)   // the progress callback saw the whole region go out on some attempt
    }

    /// A 2xx body goes to the file (not memory); an error body stays in memory and no file is made.
    @Test func aResponseFileGetsOnlySuccessfulBodies() throws {
        var big = Data()
        for i in 0..<1_000_000 { big.append(UInt8(truncatingIfNeeded: i / 3)) }
        let payload = big
        let server = try LoopbackServer { request in
            request.path == "/ok" ? HTTPResponse(status: 200, body: payload)
                                  : HTTPResponse(status: 404, body: Data("{\"code\":\"ObjectNotFound\",\"message\":\"no\"}".utf8))
        }
        defer { server.stop() }
        let dir = TemporaryDirectory()
        let transport = try CurlTransport(options: TransferOptions(maxResponseBytes: 1000))   // the file is not subject to the memory cap
        var ok = HTTPRequest(method: "GET", url: try #require(RequestURL(server.baseURL + "/ok")))
        ok.responseFile = dir.path + "/ok.bin"
        let r1 = try transport.send(ok)
        #expect(r1.status == 200 && r1.body.isEmpty)
        #expect(FileManager.default.contents(atPath: dir.path + "/ok.bin") == payload)

        var missing = HTTPRequest(method: "GET", url: try #require(RequestURL(server.baseURL + "/missing")))
        missing.responseFile = dir.path + "/missing.bin"
        let r2 = try transport.send(missing)
        #expect(r2.status == 404)
        #expect(OCIErrorBody.code(in: r2.body) == "ObjectNotFound")
        #expect(!FileManager.default.fileExists(atPath: dir.path + "/missing.bin"))
    }

    @Test func debugLogNeverDumpsBinaryBodies() throws {
        let lines = LogLines()
        let server = try LoopbackServer { _ in HTTPResponse(status: 200, body: Data([0, 1, 2, 255, 0x1B, 9, 9])) }
        defer { server.stop() }
        let transport = DebugLogTransport(inner: try CurlTransport(), log: { lines.add($0) })
        _ = try transport.send(HTTPRequest(method: "GET", url: try #require(RequestURL(server.baseURL + "/bin"))))
        #expect(lines.all.contains { $0.contains("[7 bytes of binary data]") })
    }

    final class LogLines: @unchecked Sendable {
        private let lock = NSLock()
        private var lines: [String] = []
        func add(_ s: String) { lock.withLock { lines.append(s) } }
        var all: [String] { lock.withLock { lines } }
    }
}
