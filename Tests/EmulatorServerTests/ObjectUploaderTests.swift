// ObjectUploader against the emulator's Object Storage in-process (real loopback HTTP, real signatures, real files):
// parts overlap, a failed upload resumes with only the missing parts, and a changed file starts a new upload.
import EmulatorCore
import Foundation
import MediaKit
import Testing
import TestSupport

final class ObjectStorageHarness: @unchecked Sendable {
    let emulator: MediaServicesEmulator
    let server: LoopbackServer
    let dir = TemporaryDirectory()
    let stateDir: String
    private let lock = NSLock()
    private var inFlight = 0
    private(set) var maxInFlight = 0
    /// Milliseconds each UploadPart is held (after it is stored), so parallel parts overlap.
    let partDelay: UInt32

    private final class Box: @unchecked Sendable { var harness: ObjectStorageHarness? }

    init(partDelayMilliseconds: UInt32 = 0) throws {
        partDelay = partDelayMilliseconds
        let box = Box()
        server = try LoopbackServer { request in
            guard let h = box.harness else { return HTTPResponse(status: 503) }
            return h.serve(request)
        }
        var options = EmulatorOptions(streamHost: server.hostPort)
        options.objectStorage = try ObjectStorageEmulator(store: ObjectStore(root: URL(fileURLWithPath: dir.path + "/objects")),
                                                          namespace: "ns", buckets: ["bucket"])
        emulator = MediaServicesEmulator(options: options)
        if let pub = Fixtures.testPublicKey { emulator.registerAPIKey(keyID: Fixtures.testKeyID, publicKey: pub) }
        stateDir = dir.path + "/uploads"
        box.harness = self
    }

    deinit { server.stop() }

    private func serve(_ request: LoopbackRequest) -> HTTPResponse {
        let isPart = request.method == "PUT" && request.path.contains("/u/")
        if isPart { lock.withLock { inFlight += 1; maxInFlight = max(maxInFlight, inFlight) } }
        let response = emulator.handle(ServerRequest(method: request.method, target: request.target, headers: request.headers, body: request.body))
        if isPart {
            if partDelay > 0 { usleep(partDelay * 1000) }
            lock.withLock { inFlight -= 1 }
        }
        // GetObject answers with the object's file (the Hummingbird transport streams it); here it is small enough to read.
        let body = response.bodyFile.flatMap { try? Data(contentsOf: $0) } ?? response.body
        return HTTPResponse(status: response.status, headers: response.headers, body: body)
    }

    var parts: [LoggedRequest] { emulator.requests.filter { $0.method == "PUT" && $0.path.contains("/u/") } }

    func client(failingPart: Int? = nil) throws -> ObjectStorageClient {
        var transport: any HTTPTransport = try CurlTransport()
        if let failingPart { transport = FailPart(inner: transport, part: failingPart) }
        let signer = APIKeySigner(tenancy: Fixtures.tenancy, user: Fixtures.user, fingerprint: Fixtures.testFingerprint, key: try Fixtures.testKey)
        return ObjectStorageClient(transport: SigningTransport(inner: transport, signer: signer), endpoint: try #require(RequestURL(server.baseURL)))
    }

    func uploader(failingPart: Int? = nil) -> ObjectUploader {
        ObjectUploader(stateDirectory: stateDir) { () throws(MediaError) -> ObjectStorageClient in
            do { return try self.client(failingPart: failingPart) } catch { throw .network("\(error)") }
        }
    }
}

/// A network failure for one part number (a cable pulled at that moment); every other call goes through.
struct FailPart: HTTPTransport {
    let inner: any HTTPTransport
    let part: Int
    func send(_ request: HTTPRequest) throws(MediaError) -> HTTPResponse {
        if request.url.query?.contains("uploadPartNum=\(part)&") == true || request.url.query?.hasSuffix("uploadPartNum=\(part)") == true {
            throw .network("connection reset (injected for part \(part))")
        }
        return try inner.send(request)
    }
}

@Suite struct ObjectUploaderTests {
    static func file(_ dir: TemporaryDirectory, size: Int, byte: UInt8 = 0) throws -> String {
        var data = Data(count: size)
        for i in stride(from: 0, to: size, by: 4096) { data[i] = UInt8(truncatingIfNeeded: i / 4096) &+ byte }
        let path = dir.path + "/in-\(byte).bin"
        try data.write(to: URL(fileURLWithPath: path))
        return path
    }

    static func options(parallel: Int) -> UploadOptions {
        var o = UploadOptions()
        o.partSize = 1 << 20
        o.multipartThreshold = 1 << 20
        o.parallel = parallel
        return o
    }

    @Test func partsGoUpConcurrently() throws {
        let h = try ObjectStorageHarness(partDelayMilliseconds: 150)
        let path = try Self.file(h.dir, size: 6 << 20)
        let result = try h.uploader().upload(file: path, namespace: "ns", bucket: "bucket", object: "six", options: Self.options(parallel: 3))
        #expect(result.parts == 6 && result.partsSent == 6)
        #expect(h.maxInFlight > 1 && h.maxInFlight <= 3, "at most 3 and more than 1 part in flight, saw \(h.maxInFlight)")
        let back = h.dir.path + "/back.bin"
        _ = try h.client().getObject(namespace: "ns", bucket: "bucket", object: "six", to: back)
        #expect(FileManager.default.contents(atPath: back) == FileManager.default.contents(atPath: path))
    }

    @Test func aFailedUploadResumesWithOnlyTheMissingParts() throws {
        let h = try ObjectStorageHarness()
        let path = try Self.file(h.dir, size: 4 << 20 + 1)   // 5 parts
        #expect(throws: MediaError.self) {
            _ = try h.uploader(failingPart: 3).upload(file: path, namespace: "ns", bucket: "bucket", object: "o", options: Self.options(parallel: 1))
        }
        let before = h.parts.count   // parts 1 and 2 went up; part 3 never reached the server
        #expect(before == 2)
        let result = try h.uploader().upload(file: path, namespace: "ns", bucket: "bucket", object: "o", options: Self.options(parallel: 2))
        #expect(result.resumed)
        #expect(result.partsSent == 3)
        let sentNow = h.parts.dropFirst(before).compactMap { $0.query }
        #expect(Set(sentNow.compactMap { q in q.split(separator: "&").first { $0.hasPrefix("uploadPartNum=") }.map(String.init) })
                == ["uploadPartNum=3", "uploadPartNum=4", "uploadPartNum=5"])
        let back = h.dir.path + "/back.bin"
        let head = try h.client().getObject(namespace: "ns", bucket: "bucket", object: "o", to: back)
        #expect(head.multipartMD5 == result.multipartMD5)
        #expect(FileManager.default.contents(atPath: back) == FileManager.default.contents(atPath: path))
    }

    @Test func aChangedFileStartsANewUpload() throws {
        let h = try ObjectStorageHarness()
        let path = try Self.file(h.dir, size: 3 << 20)
        #expect(throws: MediaError.self) {
            _ = try h.uploader(failingPart: 2).upload(file: path, namespace: "ns", bucket: "bucket", object: "o", options: Self.options(parallel: 1))
        }
        // Same name, new content and size: the recorded parts must not be reused.
        var data = try Data(contentsOf: URL(fileURLWithPath: path))
        data.append(contentsOf: [1, 2, 3])
        data[0] = 0xFF
        try data.write(to: URL(fileURLWithPath: path))
        let result = try h.uploader().upload(file: path, namespace: "ns", bucket: "bucket", object: "o", options: Self.options(parallel: 2))
        #expect(!result.resumed)
        #expect(result.partsSent == 4)
        let back = h.dir.path + "/back.bin"
        _ = try h.client().getObject(namespace: "ns", bucket: "bucket", object: "o", to: back)
        #expect(FileManager.default.contents(atPath: back) == data)
        // The abandoned upload was aborted.
        #expect(h.emulator.requests.contains { $0.method == "DELETE" && $0.path.contains("/u/") && $0.status == 204 })
    }

    @Test func aRecordHeldByAnotherUploadIsNeitherTakenNorReplaced() throws {
        let h = try ObjectStorageHarness()
        let path = try Self.file(h.dir, size: 3 << 20)
        let uploader = h.uploader()
        let client = try h.client()
        let record = try #require(uploader.stateFile(endpoint: client.endpoint.description, namespace: "ns", bucket: "bucket", object: "o"))
        guard case let .acquired(held) = RecordLock.acquire(for: record) else { Issue.record("no lock"); return }
        // flock locks belong to open files, so even this process cannot take it twice.
        guard case let .heldBy(pid) = RecordLock.acquire(for: record) else { Issue.record("taken twice"); return }
        #expect(pid == getpid())
        let before = h.emulator.requests.count
        #expect(throws: MediaError.config("ns/bucket/o is being uploaded by mediactl process \(getpid()): wait for it to end (or stop it), then run this command again")) {
            _ = try uploader.upload(file: path, namespace: "ns", bucket: "bucket", object: "o", options: Self.options(parallel: 1))
        }
        #expect(h.emulator.requests.count == before, "nothing sent")
        #expect(!FileManager.default.fileExists(atPath: record))
        held.release()
        #expect(!FileManager.default.fileExists(atPath: record + ".lock"), "the holder removes its lock file")
        let result = try uploader.upload(file: path, namespace: "ns", bucket: "bucket", object: "o", options: Self.options(parallel: 1))
        #expect(result.parts == 3)
        #expect(try FileManager.default.contentsOfDirectory(atPath: h.stateDir).isEmpty)
    }

    @Test func aLockWhoseFileWasRemovedIsNotTrusted() throws {
        let dir = TemporaryDirectory()
        let record = dir.path + "/r.json"
        guard case let .acquired(first) = RecordLock.acquire(for: record) else { Issue.record("no lock"); return }
        first.release()
        // A fresh file: taken by one, refused to the next.
        guard case let .acquired(second) = RecordLock.acquire(for: record) else { Issue.record("no lock after release"); return }
        guard case .heldBy = RecordLock.acquire(for: record) else { Issue.record("taken twice"); return }
        second.release()
    }

    @Test func aSmallFileIsOnePutWithItsMD5Checked() throws {
        let h = try ObjectStorageHarness()
        let path = try Self.file(h.dir, size: 1000)
        let result = try h.uploader().upload(file: path, namespace: "ns", bucket: "bucket", object: "small", options: Self.options(parallel: 3))
        #expect(result.parts == 1 && result.uploadID == nil)
        #expect(result.md5 == Digest.md5(try Data(contentsOf: URL(fileURLWithPath: path))).base64EncodedString())
        let puts = h.emulator.requests.filter { $0.method == "PUT" }
        #expect(puts.count == 1 && puts[0].path == "/n/ns/b/bucket/o/small" && puts[0].status == 200)
    }
}
