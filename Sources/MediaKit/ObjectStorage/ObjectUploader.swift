// Uploads a file to Object Storage: one PutObject for small files, else a multipart upload whose parts
// stream from disk on N threads (one libcurl handle each), are checked by MD5, and are committed in order.
// A multipart upload is recorded in a state file, so a rerun after a crash or kill sends only missing parts.
import FoundationEssentials
import Glibc

public struct UploadOptions: Sendable, Equatable {
    public static let mebibyte: Int64 = 1 << 20
    /// Bytes per part (the SDK's default is 128 MiB).
    public var partSize: Int64 = 128 << 20
    /// Parts in flight at once (the SDK's default parallel_process_count is 3).
    public var parallel: Int = 3
    /// Files larger than this go multipart (the SDK's OBJECT_USE_MULTIPART_SIZE, 128 MiB, unless the part size is smaller).
    public var multipartThreshold: Int64 = 128 << 20
    /// Always one PutObject, whatever the size.
    public var singleRequest = false
    public var contentType: String?
    public var metadata: [String: String] = [:]
    /// The service refuses more parts than this.
    public static let maxParts = 10_000
    public static let partSizeRange: ClosedRange<Int64> = (1 << 20)...(50 << 30)

    public init() {}

    /// Whether `size` bytes go up in parts.
    public func isMultipart(size: Int64) -> Bool {
        !singleRequest && size > min(multipartThreshold, partSize)
    }

    /// The parts `size` bytes make at this part size (the one definition of the part count).
    public func partCount(size: Int64) -> Int64 { partSize > 0 ? (size + partSize - 1) / partSize : 0 }

    /// Whether `size` bytes would go multipart in more parts than the service allows (`maxParts`).
    public func exceedsPartLimit(size: Int64) -> Bool { isMultipart(size: size) && partCount(size: size) > Int64(Self.maxParts) }
}

public struct UploadResult: Sendable, Equatable {
    public var size: Int64
    public var etag: String
    /// base64 MD5 of the file (single request) or nil.
    public var md5: String?
    /// `{md5 of part md5s}-{parts}` for a multipart upload.
    public var multipartMD5: String?
    public var uploadID: String?
    public var parts: Int
    /// Parts sent by this run; `parts - partsSent` were already held by the service (a resumed upload).
    public var partsSent: Int
    public var resumed: Bool

    public var json: JSONValue {
        var o: JSONValue = ["size": .int(Int(size)), "etag": .string(etag), "parts": .int(parts), "partsSent": .int(partsSent),
                            "resumed": .bool(resumed)]
        if let md5 { o.set("md5", .string(md5)) }
        if let multipartMD5 { o.set("multipartMd5", .string(multipartMD5)) }
        if let uploadID { o.set("uploadId", .string(uploadID)) }
        return o
    }
}

/// What identifies a local file for resuming: the same bytes whatever the path was typed as (`t4/big.bin`,
/// `./t4/big.bin`, `/abs/t4/big.bin`), and a different identity once the file is replaced or changed.
public struct FileIdentity: Sendable, Equatable {
    /// realpath(3) of the file: symlinks, `.` and `..` resolved.
    public var path: String
    public var device: UInt64
    public var inode: UInt64
    public var size: Int64
    /// `seconds.nanoseconds` of the last modification.
    public var mtime: String
}

/// What a multipart upload in progress records, so a rerun can find it (state directory `uploads/`).
struct UploadRecord: Equatable {
    var endpoint: String
    var namespace: String
    var bucket: String
    var object: String
    var uploadID: String
    var file: FileIdentity
    var partSize: Int64

    var json: JSONValue {
        ["endpoint": .string(endpoint), "namespace": .string(namespace), "bucket": .string(bucket), "object": .string(object),
         "uploadId": .string(uploadID), "file": .string(file.path), "device": .string(String(file.device)),
         "inode": .string(String(file.inode)), "size": .string(String(file.size)), "mtime": .string(file.mtime),
         "partSize": .string(String(partSize))]
    }

    init(endpoint: String, namespace: String, bucket: String, object: String, uploadID: String, file: FileIdentity, partSize: Int64) {
        self.endpoint = endpoint; self.namespace = namespace; self.bucket = bucket; self.object = object
        self.uploadID = uploadID; self.file = file; self.partSize = partSize
    }

    /// nil for a record that is not one (or one written before records held the file's device and inode: it then
    /// matches no file, and its upload is aborted and started again).
    init?(json: JSONValue) {
        func int<T: FixedWidthInteger>(_ key: String) -> T? { json[key]?.stringValue.flatMap { T($0) } }
        guard let e = json["endpoint"]?.stringValue, let n = json["namespace"]?.stringValue, let b = json["bucket"]?.stringValue,
              let o = json["object"]?.stringValue, let u = json["uploadId"]?.stringValue else { return nil }
        let identity = FileIdentity(path: json["file"]?.stringValue ?? "", device: int("device") ?? 0, inode: int("inode") ?? 0,
                                    size: int("size") ?? -1, mtime: json["mtime"]?.stringValue ?? "")
        self.init(endpoint: e, namespace: n, bucket: b, object: o, uploadID: u, file: identity, partSize: int("partSize") ?? 0)
    }
}

public final class ObjectUploader: Sendable {
    /// Makes one client per worker thread (a libcurl handle serves one request at a time).
    public typealias ClientFactory = @Sendable () throws(MediaError) -> ObjectStorageClient
    let makeClient: ClientFactory
    /// `$XDG_STATE_HOME/mediactl/uploads`; nil keeps no record (no resume).
    public let stateDirectory: String?

    public init(stateDirectory: String?, makeClient: @escaping ClientFactory) {
        self.stateDirectory = stateDirectory
        self.makeClient = makeClient
    }

    /// `StatePaths.directory(...)/uploads`.
    public static func defaultStateDirectory(environment: [String: String], home: String) -> String {
        StatePaths.directory(environment: environment, home: home) + "/uploads"
    }

    /// Uploads `file` as `object`. `progress(done, total)` is called from worker threads as bytes go out.
    /// `onPlan` is told before any bytes go (multipart: parts in all, parts the service already holds);
    /// `onRecorded` is told the uploadId once it is recorded (a rerun can resume it).
    /// A multipart upload with a state directory holds the record's lock (`recordLock`, else one taken here) for
    /// the whole upload: a second upload of the same object cannot take or replace the record while this one runs.
    public func upload(file: String, namespace: String, bucket: String, object: String, options: UploadOptions,
                       recordLock: RecordLock? = nil,
                       onPlan: @Sendable (_ parts: Int, _ alreadyUploaded: Int) -> Void = { _, _ in },
                       onRecorded: @Sendable (_ uploadID: String) -> Void = { _ in },
                       progress: @escaping @Sendable (_ done: Int64, _ total: Int64) -> Void = { _, _ in }) throws(MediaError) -> UploadResult {
        let identity = try Self.identity(file)
        let size = identity.size
        guard options.isMultipart(size: size) else {
            let md5 = try Self.md5(FileRegion(path: file, offset: 0, length: size)).base64EncodedString()
            onPlan(1, 0)
            let client = try makeClient()
            let write = try client.putObject(namespace: namespace, bucket: bucket, object: object,
                                             body: FileRegion(path: file, offset: 0, length: size), contentType: options.contentType,
                                             md5: md5, metadata: options.metadata, progress: { progress($0, size) })
            return UploadResult(size: size, etag: write.etag, md5: write.md5 ?? md5, multipartMD5: nil, uploadID: nil,
                                parts: 1, partsSent: 1, resumed: false)
        }
        guard UploadOptions.partSizeRange.contains(options.partSize) else {
            throw .usage("part size \(options.partSize) bytes is out of range (1 MiB to 50 GiB)")
        }
        let count = Int(options.partCount(size: size))
        guard !options.exceedsPartLimit(size: size) else {
            throw .usage("\(file) would need \(count) parts of \(options.partSize >> 20) MiB; at most \(UploadOptions.maxParts) are allowed: use a larger part size")
        }
        let client = try makeClient()

        // Resume a recorded upload of the same file (same identity and part size), else start one.
        let statePath = stateFile(endpoint: client.endpoint.description, namespace: namespace, bucket: bucket, object: object)
        var lock = recordLock
        if let statePath, lock == nil {
            switch RecordLock.acquire(for: statePath) {
            case let .acquired(taken): lock = taken
            case let .heldBy(pid): throw .config(Self.busyMessage(namespace: namespace, bucket: bucket, object: object, pid: pid))
            case let .failed(why): throw .config("\(why) (needed to resume the upload)")
            }
        }
        defer { if recordLock == nil { lock?.release() } }
        var held: [Int: UploadedPart] = [:]
        var uploadID: String?
        var resumed = false
        if let statePath, let record = Self.loadRecord(statePath) {
            if record.file == identity && record.partSize == options.partSize {
                do {
                    for part in try client.listUploadParts(namespace: namespace, bucket: bucket, object: object, uploadID: record.uploadID) {
                        held[part.partNumber] = part
                    }
                    uploadID = record.uploadID
                    resumed = true
                } catch .notFound {
                    // Committed, aborted or expired meanwhile: start again.
                }
            } else {
                // The file changed (or is another file): its old parts are useless. No other process uses this
                // upload: the record's lock is ours.
                try? client.abortMultipartUpload(namespace: namespace, bucket: bucket, object: object, uploadID: record.uploadID)
            }
            if uploadID == nil { unlink(statePath) }
        }
        let id: String
        if let uploadID { id = uploadID } else {
            id = try client.createMultipartUpload(namespace: namespace, bucket: bucket, object: object,
                                                  contentType: options.contentType, metadata: options.metadata)
            if let statePath {
                try Self.saveRecord(UploadRecord(endpoint: client.endpoint.description, namespace: namespace, bucket: bucket, object: object,
                                                 uploadID: id, file: identity, partSize: options.partSize), to: statePath)
            }
        }
        if statePath != nil { onRecorded(id) }
        onPlan(count, held.count)

        let work = PartWork(count: count, size: size, partSize: options.partSize, progress: progress)
        let workers = max(1, min(options.parallel, count))
        let makeClient = self.makeClient
        let heldParts = held
        runOnThreads(workers) { w in
                let workerClient: ObjectStorageClient
                if w == 0 { workerClient = client } else {
                    do throws(MediaError) { workerClient = try makeClient() } catch { work.fail(error); return }
                }
                while let n = work.next() {
                    let region = FileRegion(path: file, offset: Int64(n - 1) * options.partSize,
                                            length: min(options.partSize, size - Int64(n - 1) * options.partSize))
                    do throws(MediaError) {
                        let md5 = try Self.md5(region).base64EncodedString()
                        if let have = heldParts[n], have.md5 == md5, have.size < 0 || have.size == region.length {
                            work.finish(n, etag: have.etag, md5: md5, sent: false, length: region.length)
                            continue
                        }
                        let write = try workerClient.uploadPart(namespace: namespace, bucket: bucket, object: object, uploadID: id,
                                                                partNumber: n, body: region, md5: md5,
                                                                progress: { work.inFlight(n, $0) })
                        work.finish(n, etag: write.etag, md5: md5, sent: true, length: region.length)
                    } catch {
                        work.fail(error)
                        return
                    }
                }
        }
        if let error = work.error { throw error }

        let parts = work.results
        let (etag, multipartMD5) = try client.commitMultipartUpload(namespace: namespace, bucket: bucket, object: object, uploadID: id,
                                                                    parts: parts.map { ($0.number, $0.etag) })
        let expected = Self.multipartMD5(parts.map(\.md5))
        if let multipartMD5, multipartMD5 != expected {
            throw .network("\(object): the service reports multipart MD5 \(multipartMD5) but the file's parts give \(expected)")
        }
        if let statePath { unlink(statePath) }
        return UploadResult(size: size, etag: etag, md5: nil, multipartMD5: multipartMD5 ?? expected, uploadID: id,
                            parts: count, partsSent: work.sentCount, resumed: resumed)
    }

    /// The recorded upload for this target, if any (tests and `object put` read it).
    public func stateFile(endpoint: String, namespace: String, bucket: String, object: String) -> String? {
        guard let stateDirectory else { return nil }
        let key = Digest.sha256(Data("\(endpoint)\n\(namespace)\n\(bucket)\n\(object)".utf8)).hexLowercase
        return "\(stateDirectory)/\(key).json"
    }

    /// The one-line refusal when another process holds the record of this object.
    public static func busyMessage(namespace: String, bucket: String, object: String, pid: Int32?) -> String {
        let who = pid.map { "mediactl process \($0)" } ?? "another mediactl process"
        return "\(namespace)/\(bucket)/\(object) is being uploaded by \(who): wait for it to end (or stop it), then run this command again"
    }

    /// The uploadId a state file records (nil when none).
    public static func recordedUploadID(_ statePath: String) -> String? { loadRecord(statePath)?.uploadID }

    // MARK: helpers

    /// `{base64 MD5 of the concatenated raw part MD5s}-{count}`, Object Storage's opc-multipart-md5.
    public static func multipartMD5(_ partMD5s: [String]) -> String {
        var joined = Data()
        for m in partMD5s { joined.append(Data(base64Encoded: m) ?? Data()) }
        return "\(Digest.md5(joined).base64EncodedString())-\(partMD5s.count)"
    }

    /// MD5 of a file region, read 1 MiB at a time.
    public static func md5(_ region: FileRegion) throws(MediaError) -> Data {
        let fd = open(region.path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .usage("cannot read \(region.path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let digest = IncrementalDigest(.md5)
        let chunk = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: chunk, alignment: 16)
        defer { buffer.deallocate() }
        var done: Int64 = 0
        while done < region.length {
            let want = Int(min(Int64(chunk), region.length - done))
            let n = pread(fd, buffer.baseAddress, want, off_t(region.offset + done))
            if n < 0 { if errno == EINTR { continue }; throw .usage("cannot read \(region.path): \(String(cString: strerror(errno)))") }
            if n == 0 { throw .usage("\(region.path) changed while it was being uploaded (it is shorter than expected)") }
            digest.update(UnsafeRawBufferPointer(start: buffer.baseAddress, count: n))
            done += Int64(n)
        }
        return digest.finish()
    }

    /// The identity a resume record is keyed on: canonical path, device, inode, size and modification time.
    public static func identity(_ path: String) throws(MediaError) -> FileIdentity {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .usage("cannot read \(path): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .usage("\(path) is not a regular file") }
        guard let resolved = realpath(path, nil) else { throw .usage("cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { free(resolved) }
        return FileIdentity(path: String(cString: resolved), device: UInt64(st.st_dev), inode: UInt64(st.st_ino),
                            size: Int64(st.st_size), mtime: "\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)")
    }

    /// Size and modification time of a regular file.
    public static func fileInfo(_ path: String) throws(MediaError) -> (Int64, String) {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .usage("cannot read \(path): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else { throw .usage("\(path) is not a regular file") }
        return (Int64(st.st_size), "\(st.st_mtim.tv_sec).\(st.st_mtim.tv_nsec)")
    }

    static func loadRecord(_ path: String) -> UploadRecord? {
        guard let data = FileManager.default.contents(atPath: path), let json = try? JSONParser.parse(data) else { return nil }
        return UploadRecord(json: json)
    }

    static func saveRecord(_ record: UploadRecord, to path: String) throws(MediaError) {
        guard StatePaths.writeRecord(record.json.data, to: path) else {
            throw .config("cannot record the upload in \(path) (needed to resume it)")
        }
    }
}

/// The parts of one upload shared by the worker threads: a queue of part numbers, results, progress, the first error.
final class PartWork: @unchecked Sendable {
    // @unchecked: every field is touched under `lock`.
    struct Done { let number: Int; let etag: String; let md5: String }
    private let lock = Lock()
    private var nextPart = 1
    private let count: Int
    private let total: Int64
    private var done: [Int: Done] = [:]
    private var completedBytes: Int64 = 0
    private var inFlightBytes: [Int: Int64] = [:]
    private(set) var sentCount = 0
    private var firstError: MediaError?
    private let progress: @Sendable (Int64, Int64) -> Void

    init(count: Int, size: Int64, partSize: Int64, progress: @escaping @Sendable (Int64, Int64) -> Void) {
        self.count = count
        total = size
        self.progress = progress
    }

    func next() -> Int? {
        lock.withLock {
            guard firstError == nil, !Interruption.isRequested, nextPart <= count else { return nil }
            defer { nextPart += 1 }
            return nextPart
        }
    }

    func inFlight(_ n: Int, _ sent: Int64) {
        let now = lock.withLock { () -> Int64 in
            inFlightBytes[n] = sent
            return completedBytes + inFlightBytes.values.reduce(0, +)
        }
        progress(min(now, total), total)
    }

    func finish(_ n: Int, etag: String, md5: String, sent: Bool, length: Int64) {
        let now = lock.withLock { () -> Int64 in
            done[n] = Done(number: n, etag: etag, md5: md5)
            inFlightBytes[n] = nil
            completedBytes += length
            if sent { sentCount += 1 }
            return completedBytes + inFlightBytes.values.reduce(0, +)
        }
        progress(min(now, total), total)
    }

    func fail(_ error: MediaError) {
        lock.withLock { if firstError == nil { firstError = error } }
    }

    var error: MediaError? {
        lock.withLock {
            if let firstError { return firstError }
            if done.count < count { return .cancelled("interrupted during the upload (rerun the same command to resume it)") }
            return nil
        }
    }

    var results: [Done] { lock.withLock { done.values.sorted { $0.number < $1.number } } }
}
