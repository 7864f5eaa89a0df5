// The emulated Object Storage's bytes and metadata, as files on disk: the object routes write them, the media
// runner reads a job's inputs and writes its outputs through the same store.
import Foundation
import MediaKit

/// One stored object's metadata (what HeadObject and ListObjects report).
public struct StoredObject: Sendable, Equatable {
    public var name: String
    public var size: Int64
    /// base64 MD5 of the bytes (Object Storage's `content-md5` for single-part objects).
    public var md5: String
    public var etag: String
    public var contentType: String
    public var timeCreated: Date
    /// `opc-meta-*` user metadata, names without the prefix.
    public var metadata: [String: String]
    /// `{md5 of the parts' md5s}-{parts}` when the object was made by a multipart upload (`opc-multipart-md5`).
    public var multipartMD5: String? = nil

    var json: JSONValue {
        var o: JSONValue = ["name": .string(name), "size": .string(String(size)), "md5": .string(md5), "etag": .string(etag),
                            "contentType": .string(contentType), "timeCreated": .string(Timestamps.rfc3339(timeCreated)),
                            "metadata": .object(metadata.sorted { $0.key < $1.key }.map { ($0.key, JSONValue.string($0.value)) })]
        if let multipartMD5 { o.set("multipartMd5", .string(multipartMD5)) }
        return o
    }

    init?(json: JSONValue) {
        guard let name = json["name"]?.stringValue, let size = json["size"]?.stringValue.flatMap({ Int64($0) }),
              let md5 = json["md5"]?.stringValue, let etag = json["etag"]?.stringValue,
              let contentType = json["contentType"]?.stringValue,
              let created = json["timeCreated"]?.stringValue.flatMap(ObjectStore.parseTime) else { return nil }
        var metadata: [String: String] = [:]
        if case let .object(members)? = json["metadata"] {
            for (k, v) in members { if let s = v.stringValue { metadata[k] = s } }
        }
        self.init(name: name, size: size, md5: md5, etag: etag, contentType: contentType, timeCreated: created, metadata: metadata)
        multipartMD5 = json["multipartMd5"]?.stringValue
    }

    public init(name: String, size: Int64, md5: String, etag: String, contentType: String, timeCreated: Date, metadata: [String: String] = [:]) {
        self.name = name
        self.size = size
        self.md5 = md5
        self.etag = etag
        self.contentType = contentType
        self.timeCreated = timeCreated
        self.metadata = metadata
    }
}

public enum ObjectStoreError: Error, Equatable, CustomStringConvertible {
    case bucketNotFound(namespace: String, bucket: String)
    case objectNotFound(namespace: String, bucket: String, object: String)
    case io(String)

    public var description: String {
        switch self {
        case let .bucketNotFound(ns, b): return "Either the bucket named '\(b)' does not exist in the namespace '\(ns)' or you are not authorized to access it"
        case let .objectNotFound(_, b, o): return "The object '\(o)' was not found in the bucket '\(b)'"
        case let .io(text): return text
        }
    }
}

/// Objects as files: `{root}/{namespace}/{bucket}/{sha256(name)}` holds the bytes and `….json` the metadata,
/// so any object name (slashes, dots, unicode) maps to one flat file. A write lands in a temporary file and is
/// renamed into place, so readers never see half an object and a crash leaves the old one.
public final class ObjectStore: @unchecked Sendable {
    // @unchecked: the only mutable state is on disk; `lock` orders writers of the same directory.
    public let root: URL
    private let lock = NSLock()
    private let fileManager = FileManager.default

    public init(root: URL) throws {
        self.root = root
        do { try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true) }
        catch { throw ObjectStoreError.io("cannot create the object store at \(root.path): \(error.localizedDescription)") }
    }

    // MARK: Buckets

    private func bucketURL(_ namespace: String, _ bucket: String) -> URL {
        root.appendingPathComponent(Self.safeComponent(namespace), isDirectory: true)
            .appendingPathComponent(Self.safeComponent(bucket), isDirectory: true)
    }

    public func bucketExists(namespace: String, bucket: String) -> Bool {
        var isDirectory: ObjCBool = false
        return fileManager.fileExists(atPath: bucketURL(namespace, bucket).path, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Beside the bucket's directory (a file, so it is never taken for a bucket or an object): what GetBucket and
    /// ListBuckets report besides the name.
    private func bucketRecordURL(_ namespace: String, _ bucket: String) -> URL {
        root.appendingPathComponent(Self.safeComponent(namespace), isDirectory: true)
            .appendingPathComponent(Self.safeComponent(bucket) + ".bucket.json")
    }

    /// Creates the bucket if it is missing; true when it was created.
    @discardableResult
    public func createBucket(namespace: String, bucket: String, compartmentID: String? = nil, now: Date = Date()) throws -> Bool {
        try lock.withLock {
            if bucketExists(namespace: namespace, bucket: bucket) { return false }
            do {
                try fileManager.createDirectory(at: bucketURL(namespace, bucket), withIntermediateDirectories: true)
                let record: JSONValue = ["name": .string(bucket), "compartmentId": compartmentID.map(JSONValue.string) ?? .null,
                                         "timeCreated": .string(Timestamps.rfc3339(now))]
                try record.data.write(to: bucketRecordURL(namespace, bucket), options: .atomic)
            } catch {
                throw ObjectStoreError.io("cannot create bucket \(bucket): \(error.localizedDescription)")
            }
            return true
        }
    }

    /// The bucket's whole record (name, compartmentId, timeCreated and what UpdateBucket set); nil without one.
    public func bucketRecord(namespace: String, bucket: String) -> JSONValue? {
        (try? Data(contentsOf: bucketRecordURL(namespace, bucket))).flatMap { try? JSONParser.parse($0) }
    }

    /// UpdateBucket: `changes` replace the record's fields of the same names.
    public func updateBucketRecord(namespace: String, bucket: String, _ changes: [(String, JSONValue)], now: Date = Date()) throws {
        try lock.withLock {
            guard bucketExists(namespace: namespace, bucket: bucket) else { throw ObjectStoreError.bucketNotFound(namespace: namespace, bucket: bucket) }
            var record = bucketRecord(namespace: namespace, bucket: bucket)
                ?? ["name": .string(bucket), "compartmentId": .null, "timeCreated": .string(Timestamps.rfc3339(now))]
            for (key, value) in changes { record.set(key, value) }
            do { try record.data.write(to: bucketRecordURL(namespace, bucket), options: .atomic) }
            catch { throw ObjectStoreError.io("cannot update bucket \(bucket): \(error.localizedDescription)") }
        }
    }

    /// The bucket's compartment (nil when it was made without one) and creation time (the directory's, for a
    /// bucket made before records were kept).
    public func bucketInfo(namespace: String, bucket: String) -> (compartmentID: String?, timeCreated: Date)? {
        guard bucketExists(namespace: namespace, bucket: bucket) else { return nil }
        if let data = try? Data(contentsOf: bucketRecordURL(namespace, bucket)), let json = try? JSONParser.parse(data),
           let created = json["timeCreated"]?.stringValue.flatMap(Self.parseTime) {
            return (json["compartmentId"]?.stringValue, created)
        }
        let attributes = try? fileManager.attributesOfItem(atPath: bucketURL(namespace, bucket).path)
        return (nil, (attributes?[.creationDate] ?? attributes?[.modificationDate]) as? Date ?? Date(timeIntervalSince1970: 0))
    }

    /// Removes an empty bucket: nil when it does not exist, false when it still holds objects.
    public func deleteBucket(namespace: String, bucket: String) throws -> Bool? {
        try lock.withLock {
            guard bucketExists(namespace: namespace, bucket: bucket) else { return nil }
            let entries = (try? fileManager.contentsOfDirectory(atPath: bucketURL(namespace, bucket).path)) ?? []
            if entries.contains(where: { $0.hasSuffix(".json") }) { return false }
            do { try fileManager.removeItem(at: bucketURL(namespace, bucket)) }
            catch { throw ObjectStoreError.io("cannot delete bucket \(bucket): \(error.localizedDescription)") }
            try? fileManager.removeItem(at: bucketRecordURL(namespace, bucket))
            return true
        }
    }

    /// Every bucket of the namespace, in name order.
    public func bucketNames(namespace: String) -> [String] {
        let dir = root.appendingPathComponent(Self.safeComponent(namespace), isDirectory: true)
        let entries = (try? fileManager.contentsOfDirectory(atPath: dir.path)) ?? []
        return entries.compactMap { entry -> String? in
            guard !entry.hasSuffix(".bucket.json") else { return nil }
            let name = Self.unsafeComponent(entry)
            return bucketExists(namespace: namespace, bucket: name) ? name : nil
        }.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
    }

    // MARK: Objects

    private func dataURL(_ namespace: String, _ bucket: String, _ object: String) -> URL {
        bucketURL(namespace, bucket).appendingPathComponent(Digest.sha256(Data(object.utf8)).hexLowercase)
    }

    private func metaURL(_ namespace: String, _ bucket: String, _ object: String) -> URL {
        dataURL(namespace, bucket, object).appendingPathExtension("json")
    }

    public func info(namespace: String, bucket: String, object: String) throws -> StoredObject {
        guard bucketExists(namespace: namespace, bucket: bucket) else { throw ObjectStoreError.bucketNotFound(namespace: namespace, bucket: bucket) }
        guard let data = try? Data(contentsOf: metaURL(namespace, bucket, object)),
              let json = try? JSONParser.parse(data), let info = StoredObject(json: json) else {
            throw ObjectStoreError.objectNotFound(namespace: namespace, bucket: bucket, object: object)
        }
        return info
    }

    /// The file holding the object's bytes, to read (or hand to ffmpeg). Valid until the object is replaced or deleted.
    public func fileURL(namespace: String, bucket: String, object: String) throws -> URL {
        _ = try info(namespace: namespace, bucket: bucket, object: object)
        return dataURL(namespace, bucket, object)
    }

    public func read(namespace: String, bucket: String, object: String) throws -> Data {
        let url = try fileURL(namespace: namespace, bucket: bucket, object: object)
        do { return try Data(contentsOf: url) } catch { throw ObjectStoreError.io("cannot read \(object): \(error.localizedDescription)") }
    }

    /// A new temporary file inside the store (same file system, so `put(movingFile:)` is a rename).
    public func temporaryFile() -> URL {
        let dir = root.appendingPathComponent(".tmp", isDirectory: true)
        try? fileManager.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir.appendingPathComponent(UUID().uuidString)
    }

    /// Stores `file` as the object, moving it into the store (it must be on the store's file system, e.g. from
    /// `temporaryFile()`, else it is copied). The MD5 is computed as the file streams through, unless the caller
    /// already has the file's size and MD5 (`hash`: a body hashed as it arrived is not read a second time).
    @discardableResult
    public func put(namespace: String, bucket: String, object: String, movingFile file: URL,
                    contentType: String = "application/octet-stream", metadata: [String: String] = [:],
                    etag: String? = nil, now: Date = Date(), multipartMD5: String? = nil,
                    hash: (size: Int64, md5: Data)? = nil) throws -> StoredObject {
        guard bucketExists(namespace: namespace, bucket: bucket) else { throw ObjectStoreError.bucketNotFound(namespace: namespace, bucket: bucket) }
        let (size, md5) = try hash ?? Self.hashFile(file)
        var info = StoredObject(name: object, size: size, md5: md5.base64EncodedString(), etag: etag ?? UUID().uuidString.lowercased(),
                                contentType: contentType, timeCreated: now, metadata: metadata)
        info.multipartMD5 = multipartMD5
        try lock.withLock {
            let target = dataURL(namespace, bucket, object)
            do {
                if rename(file.path, target.path) != 0 {
                    // Another file system: copy beside the target, then rename over it.
                    let staging = target.appendingPathExtension("partial")
                    try? fileManager.removeItem(at: staging)
                    try fileManager.copyItem(at: file, to: staging)
                    guard rename(staging.path, target.path) == 0 else { throw ObjectStoreError.io("rename failed: errno \(errno)") }
                }
                let meta = metaURL(namespace, bucket, object)
                try info.json.data.write(to: meta, options: .atomic)
            } catch let error as ObjectStoreError {
                throw error
            } catch {
                throw ObjectStoreError.io("cannot store \(object): \(error.localizedDescription)")
            }
        }
        return info
    }

    @discardableResult
    public func put(namespace: String, bucket: String, object: String, data: Data,
                    contentType: String = "application/octet-stream", metadata: [String: String] = [:], now: Date = Date()) throws -> StoredObject {
        let file = temporaryFile()
        do { try data.write(to: file) } catch { throw ObjectStoreError.io("cannot write \(object): \(error.localizedDescription)") }
        return try put(namespace: namespace, bucket: bucket, object: object, movingFile: file, contentType: contentType, metadata: metadata, now: now)
    }

    /// RenameObject: the bytes, content type, metadata and etag move to `newName` (replacing any object there).
    public func renameObject(namespace: String, bucket: String, from source: String, to newName: String) throws {
        let info = try info(namespace: namespace, bucket: bucket, object: source)
        let moving = temporaryFile()
        guard rename(dataURL(namespace, bucket, source).path, moving.path) == 0 else {
            throw ObjectStoreError.io("cannot rename \(source): errno \(errno)")
        }
        try put(namespace: namespace, bucket: bucket, object: newName, movingFile: moving, contentType: info.contentType,
                metadata: info.metadata, etag: info.etag, now: info.timeCreated, multipartMD5: info.multipartMD5)
        _ = try delete(namespace: namespace, bucket: bucket, object: source)
    }

    /// True when the object existed.
    @discardableResult
    public func delete(namespace: String, bucket: String, object: String) throws -> Bool {
        guard bucketExists(namespace: namespace, bucket: bucket) else { throw ObjectStoreError.bucketNotFound(namespace: namespace, bucket: bucket) }
        return lock.withLock {
            let existed = fileManager.fileExists(atPath: metaURL(namespace, bucket, object).path)
            try? fileManager.removeItem(at: metaURL(namespace, bucket, object))
            try? fileManager.removeItem(at: dataURL(namespace, bucket, object))
            return existed
        }
    }

    /// Objects whose names start with `prefix`, in name order, from the first name ≥ `start`; at most `limit`,
    /// with the name to start the next page from when there are more.
    public func list(namespace: String, bucket: String, prefix: String = "", start: String? = nil,
                     limit: Int = 1000) throws -> (objects: [StoredObject], nextStart: String?) {
        let dir = bucketURL(namespace, bucket)
        guard bucketExists(namespace: namespace, bucket: bucket) else { throw ObjectStoreError.bucketNotFound(namespace: namespace, bucket: bucket) }
        let files = (try? fileManager.contentsOfDirectory(atPath: dir.path)) ?? []
        var all: [StoredObject] = []
        for file in files where file.hasSuffix(".json") {
            guard let data = try? Data(contentsOf: dir.appendingPathComponent(file)), let json = try? JSONParser.parse(data),
                  let info = StoredObject(json: json) else { continue }
            if info.name.hasPrefix(prefix), start.map({ info.name >= $0 }) ?? true { all.append(info) }
        }
        all.sort { Array($0.name.utf8).lexicographicallyPrecedes(Array($1.name.utf8)) }
        guard all.count > limit else { return (all, nil) }
        return (Array(all.prefix(limit)), all[limit].name)
    }

    // MARK: Helpers

    /// Size and MD5 of a file, streamed 1 MiB at a time: the same size and digest the client's uploader computes.
    public static func hashFile(_ file: URL) throws -> (size: Int64, md5: Data) {
        do throws(MediaError) {
            let (size, _) = try ObjectUploader.fileInfo(file.path)
            return (size, try ObjectUploader.md5(FileRegion(path: file.path, length: size)))
        } catch {
            throw ObjectStoreError.io(error.message)
        }
    }

    /// A namespace or bucket name as one path component (names are `[A-Za-z0-9_.-]`; anything else is hex-escaped).
    static func safeComponent(_ name: String) -> String {
        let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-")
        if !name.isEmpty, name.allSatisfy({ allowed.contains($0) }) { return name }
        return "~" + Data(name.utf8).hexLowercase
    }

    /// The name `safeComponent` stored as `component`.
    static func unsafeComponent(_ component: String) -> String {
        guard component.hasPrefix("~") else { return component }
        let hex = Array(component.dropFirst().utf8)
        guard hex.count % 2 == 0 else { return component }
        var bytes: [UInt8] = []
        for i in stride(from: 0, to: hex.count, by: 2) {
            guard let byte = UInt8(String(decoding: hex[i...i + 1], as: UTF8.self), radix: 16) else { return component }
            bytes.append(byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func parseTime(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }
}
