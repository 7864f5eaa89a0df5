// What `mediactl publish` has already done for one video, kept on disk so a rerun resumes after the last
// step that succeeded instead of uploading, transcoding and ingesting again.
import FoundationEssentials
import Glibc

/// The steps' results, by name. Each is written as soon as its step succeeds (temporary file + rename), so an
/// interruption at any point leaves a record of exactly the steps that finished.
public struct PublishRecord: Sendable, Equatable {
    /// What identifies one publication: the same inputs give the same record file.
    public struct Key: Sendable, Equatable {
        public var endpoint: String
        public var namespace: String
        public var sourceBucket: String
        public var sourceObject: String
        public var destinationBucket: String
        public var outputPrefix: String
        public var compartmentID: String

        public init(endpoint: String, namespace: String, sourceBucket: String, sourceObject: String,
                    destinationBucket: String, outputPrefix: String, compartmentID: String) {
            self.endpoint = endpoint
            self.namespace = namespace
            self.sourceBucket = sourceBucket
            self.sourceObject = sourceObject
            self.destinationBucket = destinationBucket
            self.outputPrefix = outputPrefix
            self.compartmentID = compartmentID
        }

        /// A file name: SHA-256 of the fields, NUL-separated (no field can contain NUL, so no two keys collide).
        public var fileName: String {
            let joined = [endpoint, namespace, sourceBucket, sourceObject, destinationBucket, outputPrefix, compartmentID].joined(separator: "\u{0}")
            return Digest.sha256(Data(joined.utf8)).hexLowercase.prefix(32) + ".json"
        }
    }

    /// Step name → what it produced (ids, object names, digests).
    public private(set) var steps: [(String, JSONValue)]

    public init(steps: [(String, JSONValue)] = []) { self.steps = steps }

    public static func == (a: PublishRecord, b: PublishRecord) -> Bool {
        a.steps.map(\.0) == b.steps.map(\.0) && a.steps.map(\.1) == b.steps.map(\.1)
    }

    public subscript(step: String) -> JSONValue? { steps.first { $0.0 == step }?.1 }

    public func string(_ step: String, _ field: String) -> String? { self[step]?[field]?.stringValue }

    public mutating func set(_ step: String, _ value: JSONValue) {
        if let i = steps.firstIndex(where: { $0.0 == step }) { steps[i].1 = value } else { steps.append((step, value)) }
    }

    public mutating func remove(_ step: String) { steps.removeAll { $0.0 == step } }

    var json: JSONValue { ["version": 1, "steps": .object(steps)] }

    init?(json: JSONValue) {
        guard json["version"]?.intValue == 1, case let .object(members)? = json["steps"] else { return nil }
        steps = members
    }
}

/// Where publish records live: `$XDG_STATE_HOME/mediactl/publish/{key}.json`.
public struct PublishJournal: Sendable {
    public let directory: String

    public init(stateDirectory: String) {
        directory = stateDirectory + "/publish"
    }

    public func path(for key: PublishRecord.Key) -> String { directory + "/" + key.fileName }

    /// The record for `key`; an empty one when there is none. A record that cannot be read is reported, not
    /// silently ignored: resuming from a wrong record could skip a step that never ran.
    public func load(_ key: PublishRecord.Key) throws(MediaError) -> PublishRecord {
        let file = path(for: key)
        guard FileManager.default.fileExists(atPath: file) else { return PublishRecord() }
        guard let data = FileManager.default.contents(atPath: file), let json = try? JSONParser.parse(data),
              let record = PublishRecord(json: json) else {
            throw .config("the publish record \(file) is damaged; delete it (or pass --restart) to start over")
        }
        return record
    }

    public func save(_ record: PublishRecord, for key: PublishRecord.Key) throws(MediaError) {
        let file = path(for: key)
        guard StatePaths.writeRecord(record.json.data, to: file) else {
            throw .config("cannot write the publish record \(file) (needed to resume publish)")
        }
    }

    public func remove(_ key: PublishRecord.Key) {
        try? FileManager.default.removeItem(atPath: path(for: key))
    }
}

/// What step 1 recorded of the uploaded file: enough to see, on a rerun, that the object still holds that file.
public struct UploadStamp: Sendable, Equatable {
    public var size: Int64
    /// The file's modification time, as `ObjectUploader.fileInfo` gives it.
    public var mtime: String
    public var etag: String

    public init(size: Int64, mtime: String, etag: String) {
        self.size = size
        self.mtime = mtime
        self.etag = etag
    }

    /// The `upload` step of a record (sizes are kept as strings, as JSON numbers lose 64-bit precision elsewhere).
    init?(_ json: JSONValue?) {
        guard let json, let size = json["size"]?.stringValue.flatMap({ Int64($0) }), let mtime = json["mtime"]?.stringValue,
              let etag = json["etag"]?.stringValue else { return nil }
        self.init(size: size, mtime: mtime, etag: etag)
    }

    var json: JSONValue { ["size": .string(String(size)), "mtime": .string(mtime), "etag": .string(etag)] }
}
