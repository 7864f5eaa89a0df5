// Object Storage: `object put|get|head|ls|rm`. Uploads and downloads stream from and to disk; large files go
// up in parallel parts and a rerun of an interrupted `put` sends only the parts still missing.
import FoundationEssentials
import Glibc
import MediaKit

enum ObjectCommands {
    static let group = CommandSpec(
        name: "object", summary: "Object Storage objects: upload (multipart, resumable), download, list, delete",
        description: "The namespace is asked of the service (GetNamespace) unless --namespace or MEDIACTL_NAMESPACE gives it.\n"
            + "The endpoint is https://objectstorage.<region>.<realm domain>, or --objectstorage-endpoint / MEDIACTL_OBJECTSTORAGE_ENDPOINT\n"
            + "(`mediactl emulator start` exports the emulator's).",
        subcommands: [put, get, head, list, remove, ObjectRename.command, ObjectCopy.command, ObjectMultipart.group])

    static let bucket = FlagSpec(name: "bucket", short: "b", meta: "BUCKET", help: "bucket name", env: "MEDIACTL_BUCKET", prompt: "Bucket name")
    static let namespace = FlagSpec(name: "namespace", meta: "NAME", help: "Object Storage namespace (default: GetNamespace)",
                                    env: "MEDIACTL_NAMESPACE")
    static let endpoint = FlagSpec(name: "objectstorage-endpoint", meta: "URL",
                                   help: "Object Storage endpoint, e.g. a local emulator (default: derived from the region)",
                                   env: "MEDIACTL_OBJECTSTORAGE_ENDPOINT")
    static let common = [bucket, namespace, endpoint]
    static let objectName = PositionalSpec(name: "OBJECT", help: "object name")

    static let put = CommandSpec(
        name: "put", summary: "Upload a file (one request, or parallel parts for large files; an interrupted upload resumes)",
        description: "Files larger than the part size go up as a multipart upload: --parallel parts at a time, each streamed from disk\n"
            + "with its MD5 checked by the service. The upload is recorded under $XDG_STATE_HOME/mediactl/uploads until it is committed:\n"
            + "running the same command again (same file, unchanged, its path spelled any way) sends only the parts the service does\n"
            + "not hold yet. While a multipart upload runs it holds its record: another put of the same object fails at once (exit 6)\n"
            + "naming that process; puts of different objects run side by side.",
        examples: ["mediactl object put clip.mp4 --bucket media-in",
                   "mediactl object put big.mov --bucket media-in --name in/big.mov --part-size 64 --parallel 4 --output json"],
        flags: common + [
            FlagSpec(name: "name", meta: "OBJECT", help: "object name (default: the file's name)", fromDefaultsFile: false),
            FlagSpec(name: "part-size", kind: .integer(1...51_200), meta: "MIB", help: "multipart part size in MiB; larger files go multipart",
                     env: "MEDIACTL_PART_SIZE", defaultValue: "128"),
            FlagSpec(name: "parallel", kind: .integer(1...64), meta: "N", help: "parts uploaded at once", env: "MEDIACTL_PARALLEL", defaultValue: "3"),
            FlagSpec(name: "no-multipart", kind: .bool, help: "always one PutObject request, whatever the size", fromDefaultsFile: false),
            FlagSpec(name: "content-type", meta: "TYPE", help: "Content-Type stored with the object (default application/octet-stream)",
                     fromDefaultsFile: false),
        ],
        positionals: [PositionalSpec(name: "FILE", help: "file to upload", kind: .file)],
        action: { inv throws(MediaError) in
            let file = inv.expand(try inv.positional(0))
            let size = try localFileSize(file)
            let bucket = try bucketName(inv)
            let name = try inv.string("name") ?? lastPathComponent(of: file)
            if let problem = ObjectStorageClient.objectNameProblem(name) { throw .usage("--name '\(name.prefix(80))': \(problem)") }
            var options = UploadOptions()
            options.partSize = Int64(try inv.int("part-size") ?? 128) * UploadOptions.mebibyte
            options.multipartThreshold = options.partSize
            options.parallel = try inv.int("parallel") ?? 3
            options.singleRequest = try inv.bool("no-multipart")
            options.contentType = try inv.string("content-type")
            _ = try checkedPlan(inv, file: file, options: options)

            let (client, makeClient) = try inv.objectStorage()
            let ns = try namespace(inv, client)
            let (result, rate) = try upload(inv, makeClient: makeClient, endpoint: client.endpoint.description, file: file, size: size,
                                            namespace: ns, bucket: bucket, name: name, options: options)
            var json: JSONValue = ["namespace": .string(ns), "bucket": .string(bucket), "name": .string(name)]
            if case let .object(members) = result.json { for (k, v) in members { json.set(k, v) } }
            switch inv.outputFormat {
            case "json": inv.io.out(json.prettyText)
            case "id": inv.io.out(name)
            default:
                let how = result.parts > 1 ? "\(result.parts) parts\(result.resumed ? ", \(result.partsSent) sent now" : "")" : "one request"
                inv.io.out("uploaded \(file) to \(ns)/\(bucket)/\(name): \(TransferMeter.bytes(result.size)) in \(how)\(rate), etag \(result.etag)")
            }
        })

    static let get = CommandSpec(
        name: "get", summary: "Download an object to a file (written to a temporary file, renamed when complete)",
        examples: ["mediactl object get in/clip.mp4 --bucket media-in --file clip.mp4"],
        flags: common + [FlagSpec(name: "file", short: "f", kind: .file, meta: "PATH", help: "where to write it (default: the object name's last part)",
                                  fromDefaultsFile: false)],
        positionals: [objectName],
        action: { inv throws(MediaError) in
            let name = try inv.positional(0)
            let bucket = try bucketName(inv)
            let target = inv.expand(try inv.string("file") ?? lastPathComponent(of: name))
            var isDirectory = false
            if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory {
                throw .usage("--file \(target): is a directory (expected a file path)")
            }
            let dir = parentDirectory(of: target)
            guard FileManager.default.isWritableFile(atPath: dir.isEmpty ? "." : dir) else {
                throw .usage("--file \(target): cannot write in \(dir.isEmpty ? "." : dir)")
            }
            let (client, _) = try inv.objectStorage()
            let ns = try namespace(inv, client)
            // Never a half-written destination: a temporary file beside it, renamed into place once complete and checked.
            let temporary = (dir.isEmpty ? "." : dir) + "/.\(lastPathComponent(of: target)).mediactl-\(getpid())"
            let meter = TransferMeter(io: inv.io, verb: "Downloading", label: name)
            defer { meter.stop(); unlink(temporary) }
            meter.start(total: nil)
            let head = try inv.call { () throws(MediaError) -> ObjectHead in
                try client.getObject(namespace: ns, bucket: bucket, object: name, to: temporary, progress: { meter.update($0) })
            }
            meter.stop()
            if let md5 = head.md5 {
                let got = try inv.call { () throws(MediaError) in
                    try ObjectUploader.md5(FileRegion(path: temporary, length: try ObjectUploader.fileInfo(temporary).0))
                }.base64EncodedString()
                guard got == md5 else { throw .network("\(name): downloaded bytes have MD5 \(got), the service says \(md5); \(target) not written") }
            }
            guard rename(temporary, target) == 0 else { throw .usage("--file \(target): \(String(cString: strerror(errno)))") }
            switch inv.outputFormat {
            case "json":
                var json = head.json
                json.set("name", .string(name)); json.set("file", .string(target))
                inv.io.out(json.prettyText)
            case "id": inv.io.out(target)
            default: inv.io.out("downloaded \(ns)/\(bucket)/\(name) to \(target): \(TransferMeter.bytes(head.size))\(meter.rateText)")
            }
        })

    static let head = CommandSpec(
        name: "head", summary: "Show an object's size, MD5, etag, type and metadata",
        flags: common, positionals: [objectName],
        action: { inv throws(MediaError) in
            let name = try inv.positional(0)
            let bucket = try bucketName(inv)
            let (client, _) = try inv.objectStorage()
            let ns = try namespace(inv, client)
            let head = try inv.call { () throws(MediaError) in try client.headObject(namespace: ns, bucket: bucket, object: name) }
            var json = head.json
            json.set("name", .string(name))
            switch inv.outputFormat {
            case "json": inv.io.out(json.prettyText)
            case "id": inv.io.out(name)
            default:
                inv.io.out("\(name)\n  size:    \(head.size)\n  md5:     \(head.md5 ?? head.multipartMD5 ?? "-")\n  etag:    \(head.etag ?? "-")\n"
                           + "  type:    \(head.contentType ?? "-")\n  changed: \(head.lastModified ?? "-")")
            }
        })

    static let list = CommandSpec(
        name: "ls", summary: "List objects (by prefix, a page at a time or --all)",
        examples: ["mediactl object ls --bucket media-out --prefix sdk_test/ --all --output json"],
        flags: common + [
            FlagSpec(name: "prefix", meta: "PREFIX", help: "only names starting with this", fromDefaultsFile: false),
            FlagSpec(name: "start", meta: "NAME", help: "start at this name (a previous page's nextStartWith)", fromDefaultsFile: false),
            FlagSpec(name: "limit", kind: .integer(1...1000), meta: "N", help: "objects per page"),
            FlagSpec(name: "all", kind: .bool, help: "follow nextStartWith through every page", fromDefaultsFile: false),
        ],
        action: { inv throws(MediaError) in
            let bucket = try bucketName(inv)
            let prefix = try inv.string("prefix")
            var start = try inv.string("start")
            let limit = try inv.int("limit")
            let all = try inv.bool("all")
            let (client, _) = try inv.objectStorage()
            let ns = try namespace(inv, client)
            var objects: [JSONValue] = []
            var next: String?
            var seen = Set<String>()
            repeat {
                let page = try inv.call { () throws(MediaError) in
                    try client.listObjects(namespace: ns, bucket: bucket, prefix: prefix, start: start, limit: limit)
                }
                objects += page.objects
                next = page.nextStartWith
                start = next
            } while all && next.map { seen.insert($0).inserted } == true
            if all { next = nil }
            switch inv.outputFormat {
            case "json":
                var doc: JSONValue = ["objects": .array(objects)]
                if let next { doc.set("nextStartWith", .string(next)) }
                inv.io.out(doc.prettyText)
            case "id": for o in objects { inv.io.out(o["name"]?.stringValue ?? "") }
            default:
                if objects.isEmpty { inv.io.progress("no objects found") }
                for o in objects {
                    let size = o["size"]?.intValue.map { String($0) } ?? "-"
                    inv.io.out("\(size.leftPadded(12))  \(o["timeCreated"]?.stringValue ?? "-")  \(o["name"]?.stringValue ?? "")")
                }
            }
            if let next, inv.outputFormat != "json" { inv.io.progress("more results: --start \(ShellQuoting.quoted(next)) (or --all)") }
        })

    static let remove = CommandSpec(
        name: "rm", summary: "Delete an object",
        flags: common + [CommonFlags.yes.spec], positionals: [objectName],
        action: { inv throws(MediaError) in
            let name = try inv.positional(0)
            let bucket = try bucketName(inv)
            try inv.confirm("delete object \(name) from bucket \(bucket)")
            let (client, _) = try inv.objectStorage()
            let ns = try namespace(inv, client)
            try inv.call { () throws(MediaError) in try client.deleteObject(namespace: ns, bucket: bucket, object: name) }
            switch inv.outputFormat {
            case "json": inv.io.out(JSONValue.object([("name", .string(name)), ("bucket", .string(bucket)), ("deleted", true)]).prettyText)
            case "id": inv.io.out(name)
            default: inv.io.progress("deleted \(ns)/\(bucket)/\(name)")
            }
        })

    // MARK: helpers

    /// The number of parts `file` needs with `options`; a usage error when that is over the service's limit.
    static func checkedPlan(_ inv: Invocation, file: String, options: UploadOptions) throws(MediaError) -> Int64 {
        let size = try localFileSize(file)
        let parts = (size + options.partSize - 1) / options.partSize
        if options.isMultipart(size: size), parts > Int64(UploadOptions.maxParts) {
            throw .usage("--part-size \(options.partSize >> 20): \(file) would need \(parts) parts; at most \(UploadOptions.maxParts) are allowed")
        }
        return parts
    }

    /// Uploads `file` (one request or resumable parallel parts) with a progress meter on a terminal; on failure, says
    /// how to resume when the upload is recorded. Shared by `object put` and `publish`.
    static func upload(_ inv: Invocation, makeClient: @escaping ObjectUploader.ClientFactory, endpoint: String, file: String, size: Int64,
                       namespace ns: String, bucket: String, name: String, options: UploadOptions) throws(MediaError) -> (UploadResult, rate: String) {
        let uploader = ObjectUploader(stateDirectory: ObjectUploader.defaultStateDirectory(environment: inv.environment, home: inv.home),
                                      makeClient: makeClient)
        let meter = TransferMeter(io: inv.io, verb: "Uploading", label: name)
        defer { meter.stop() }
        let plan = options
        let statePath = uploader.stateFile(endpoint: endpoint, namespace: ns, bucket: bucket, object: name)
        // One live upload per recorded object: a second run of the same object while the first runs is refused at
        // once (exit 6, naming the process that holds it) rather than taking over, or waiting behind, its upload.
        var lock: RecordLock?
        if let statePath, plan.isMultipart(size: size) {
            switch RecordLock.acquire(for: statePath) {
            case let .acquired(taken): lock = taken
            case let .heldBy(pid):
                inv.io.error(ObjectUploader.busyMessage(namespace: ns, bucket: bucket, object: name, pid: pid))
                throw .reported(.conflict(ServiceFailure(status: 409, code: "UploadInProgress", message: "another mediactl process is uploading this object", requestID: nil, method: "PUT", url: "")))
            case let .failed(why): throw .config("\(why) (needed to resume the upload)")
            }
        }
        defer { lock?.release() }
        let recorded = RecordedUpload()
        do throws(MediaError) {
            let result = try uploader.upload(file: file, namespace: ns, bucket: bucket, object: name, options: plan, recordLock: lock,
                                             onPlan: { total, held in
                                                 if total > 1 {
                                                     meter.note(held > 0 ? "resuming: \(held) of \(total) parts already uploaded"
                                                                         : "\(total) parts of \(plan.partSize >> 20) MiB, \(min(plan.parallel, total)) at a time")
                                                 }
                                                 meter.start(total: size)
                                             },
                                             onRecorded: { recorded.set($0) },
                                             progress: { done, _ in meter.update(done) })
            meter.stop()
            return (result, meter.rateText)
        } catch {
            meter.stop()
            // Only when it is true: this run's upload is still the recorded one, so a rerun resumes it.
            if let statePath, let id = recorded.value, ObjectUploader.recordedUploadID(statePath) == id {
                inv.io.progress("the upload is recorded: run the same command again to send only the parts still missing")
            }
            throw error
        }
    }

    static func bucketName(_ inv: Invocation) throws(MediaError) -> String {
        let name = try inv.required("bucket")
        if let problem = ObjectStorageClient.bucketNameProblem(name) { throw .usage("--bucket: \(problem)") }
        return name
    }

    static func namespace(_ inv: Invocation, _ client: ObjectStorageClient) throws(MediaError) -> String {
        if let ns = try inv.string("namespace") { return ns }
        return try inv.call { () throws(MediaError) in try client.namespace() }
    }

    /// The size of a regular, readable file; a usage error naming FILE otherwise (before anything is sent).
    static func localFileSize(_ path: String, label: String = "FILE") throws(MediaError) -> Int64 {
        var st = stat()
        guard stat(path, &st) == 0 else { throw .usage("\(label) \(path): \(String(cString: strerror(errno)))") }
        guard (st.st_mode & S_IFMT) == S_IFREG else {
            throw .usage("\(label) \(path): \((st.st_mode & S_IFMT) == S_IFDIR ? "is a directory" : "is not a regular file") (expected a file to upload)")
        }
        guard access(path, R_OK) == 0 else { throw .usage("\(label) \(path): \(String(cString: strerror(errno)))") }
        return Int64(st.st_size)
    }
}

/// The uploadId an upload recorded, told from the uploader.
final class RecordedUpload: @unchecked Sendable {
    private let lock = Lock()
    private var id: String?
    func set(_ value: String) { lock.withLock { id = value } }
    var value: String? { lock.withLock { id } }
}

/// Bytes and rate of a transfer: a live line on a terminal (the spinner), nothing in between otherwise.
final class TransferMeter: @unchecked Sendable {
    private let io: IOStreams
    private let spinner: Spinner
    private let verb: String
    private let label: String
    private let lock = Lock()
    private var total: Int64?
    private var done: Int64 = 0
    private var started: Date?
    private var finished: Date?
    private var lastDraw = Date.distantPast

    init(io: IOStreams, verb: String, label: String) {
        self.io = io
        self.verb = verb
        self.label = label
        spinner = Spinner(io: io)
    }

    func note(_ text: String) { io.progress("\(label): \(text)") }

    func start(total: Int64?) {
        lock.withLock { self.total = total; started = Date() }
        spinner.start("\(verb) \(label)")
    }

    func update(_ bytes: Int64) {
        let line: String? = lock.withLock {
            done = max(done, bytes)
            let now = Date()
            guard now.timeIntervalSince(lastDraw) >= 0.2 else { return nil }
            lastDraw = now
            let elapsed = max(0.001, now.timeIntervalSince(started ?? now))
            let of = total.map { " / \(Self.bytes($0))" } ?? ""
            return "\(verb) \(label): \(Self.bytes(done))\(of) (\(Self.bytes(Int64(Double(done) / elapsed)))/s)"
        }
        if let line, spinner.isActive { spinner.update(line) }
    }

    func stop() {
        lock.withLock { if finished == nil, started != nil { finished = Date() } }
        spinner.stop()
    }

    /// ", 12.3 MiB/s" once stopped.
    var rateText: String {
        lock.withLock {
            guard let started, let finished else { return "" }
            let seconds = finished.timeIntervalSince(started)
            guard seconds > 0.01 else { return "" }
            return String(cFormat: " in %.1f s, ", seconds) + Self.bytes(Int64(Double(done) / seconds)) + "/s"
        }
    }

    static func bytes(_ n: Int64) -> String {
        if n < 1024 { return "\(n) B" }
        let units = ["KiB", "MiB", "GiB", "TiB"]
        var v = Double(n) / 1024
        var i = 0
        while v >= 1024 && i < units.count - 1 { v /= 1024; i += 1 }
        return String(cFormat: "%.1f ", v) + units[i]
    }
}

extension String {
    func leftPadded(_ width: Int) -> String { count >= width ? self : String(repeating: " ", count: width - count) + self }
}
