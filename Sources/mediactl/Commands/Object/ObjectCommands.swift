// `mediactl object`: Object Storage objects. Uploads and downloads stream from and to disk; large files go up in
// parallel parts and a rerun of an interrupted `put` sends only the parts still missing. Each verb is a file of
// this folder; the flags and helpers they share (and `publish` uses) are here.
import FoundationEssentials
import MediaKit
import TerminalKit

enum ObjectCommands {
    static let group = CommandSpec(
        name: "object", summary: "Object Storage objects: upload (multipart, resumable), download, list, delete",
        description: "The namespace is asked of the service (GetNamespace) unless --namespace or MEDIACTL_NAMESPACE gives it.\n"
            + "The endpoint is https://objectstorage.<region>.<realm domain>, or --objectstorage-endpoint / MEDIACTL_OBJECTSTORAGE_ENDPOINT\n"
            + "(`mediactl emulator start` exports the emulator's).",
        subcommands: [ObjectPut.command, ObjectGet.command, ObjectHeadVerb.command, ObjectList.command, ObjectRemove.command,
                      ObjectRename.command, ObjectCopy.command, ObjectMultipart.group])

    /// Where an object lives, as every verb's flags say it (`common`), read once by `Location.parse`.
    struct Location {
        var bucket: String
        /// nil: asked of the service (GetNamespace) once the client exists.
        var namespace: String?
        /// nil: derived from the region.
        var endpoint: String?

        static func parse(_ inv: Invocation) throws(MediaError) -> Location {
            let bucket = try inv.required(ObjectFlags.bucket)
            if let problem = ObjectStorageClient.bucketNameProblem(bucket) { throw .usage("--bucket: \(problem)") }
            return Location(bucket: bucket, namespace: try inv.value(ObjectFlags.namespace), endpoint: try inv.value(ObjectFlags.endpoint))
        }
    }

    static let objectName = Positional<String>.text("OBJECT", help: "object name")

    /// The client for `location`'s endpoint and its namespace (given, else GetNamespace).
    static func connect(_ ctx: CommandContext, _ location: Location, parallel: Int = 1) throws(MediaError)
        -> (client: ObjectStorageClient, makeClient: ObjectUploader.ClientFactory, namespace: String) {
        let (client, makeClient) = try ctx.objectStorage(endpoint: location.endpoint, parallel: parallel)
        if let given = location.namespace { return (client, makeClient, given) }
        return (client, makeClient, try client.namespace())
    }

    /// The number of parts `file` needs with `options`; a usage error when that is over the service's limit.
    static func checkedPlan(file: String, options: UploadOptions) throws(MediaError) -> Int64 {
        let size = try localFileSize(file)
        let parts = (size + options.partSize - 1) / options.partSize
        if options.isMultipart(size: size), parts > Int64(UploadOptions.maxParts) {
            throw .usage("--part-size \(options.partSize >> 20): \(file) would need \(parts) parts; at most \(UploadOptions.maxParts) are allowed")
        }
        return parts
    }

    /// Uploads `file` (one request or resumable parallel parts) with a progress meter on a terminal; on failure, says
    /// how to resume when the upload is recorded. Shared by `object put` and `publish`.
    static func upload(_ ctx: CommandContext, makeClient: @escaping ObjectUploader.ClientFactory, endpoint: String, file: String, size: Int64,
                       namespace ns: String, bucket: String, name: String, options: UploadOptions) throws(MediaError) -> (UploadResult, rate: String) {
        let io = ctx.io
        let uploader = ObjectUploader(stateDirectory: ObjectUploader.defaultStateDirectory(environment: ctx.environment, home: ctx.home),
                                      makeClient: makeClient)
        let meter = TransferMeter(io: io, verb: "Uploading", label: name)
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
                io.error(ObjectUploader.busyMessage(namespace: ns, bucket: bucket, object: name, pid: pid))
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
                io.progress("the upload is recorded: run the same command again to send only the parts still missing")
            }
            throw error
        }
    }

    /// The size of a regular, readable file; a usage error naming FILE otherwise (before anything is sent).
    static func localFileSize(_ path: String, label: String = "FILE") throws(MediaError) -> Int64 {
        let status: FileStatus
        do throws(SystemError) { status = try FileSystem.status(path) } catch { throw .usage("\(label) \(path): \(error.message)") }
        guard status.kind == .regular else {
            throw .usage("\(label) \(path): \(status.kind == .directory ? "is a directory" : "is not a regular file") (expected a file to upload)")
        }
        do throws(SystemError) { try FileSystem.checkReadable(path) } catch { throw .usage("\(label) \(path): \(error.message)") }
        return status.size
    }
}

/// The flags every object verb shares (`publish` takes the namespace and endpoint too).
enum ObjectFlags {
    static let bucket = Flag.text("bucket", meta: "BUCKET", help: "bucket name").completingIDs("bucket").short("b").env("MEDIACTL_BUCKET").prompt("Bucket name")
    static let namespace = Flag.text("namespace", meta: "NAME", help: "Object Storage namespace (default: GetNamespace)").env("MEDIACTL_NAMESPACE")
    static let endpoint = Flag.text("objectstorage-endpoint", meta: "URL",
                                    help: "Object Storage endpoint, e.g. a local emulator (default: derived from the region)")
        .env("MEDIACTL_OBJECTSTORAGE_ENDPOINT")
    static let common: [any FlagDeclaration] = [bucket, namespace, endpoint]

    /// Upload tuning (put and publish).
    static let partSize = Flag.integer("part-size", 1...51_200, meta: "MIB", help: "multipart part size in MiB; larger files go multipart")
        .env("MEDIACTL_PART_SIZE").defaulting(to: 128)
    static let parallel = Flag.integer("parallel", 1...64, help: "parts uploaded at once").env("MEDIACTL_PARALLEL").defaulting(to: 3)
}
