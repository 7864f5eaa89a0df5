// Real media processing for the emulator's jobs: each task of a resolved workflow run with ffmpeg in a per-job
// work directory, inputs from and outputs to the ObjectStore; and the ingest check of a master playlist.
import Foundation
import MediaKit

/// What one job executes for real.
enum MediaJobPlan: Sendable {
    case workflow(ResolvedWorkflow)
    /// Ingest of a PLAYLIST asset: its master playlist (and the variants it lists) must be in the store.
    case ingest(namespace: String, bucket: String, object: String)
}

/// A job's visible state after a step: the whole picture each time, so the store just copies it.
struct MediaJobProgress: Sendable {
    struct TaskState: Sendable {
        let key: String
        var state: String
        var details: String
    }

    var lifecycleState = "IN_PROGRESS"
    var lifecycleDetails = "running"
    var tasks: [TaskState]
    var outputs: [JSONValue] = []

    var isTerminal: Bool { ["SUCCEEDED", "FAILED", "CANCELED"].contains(lifecycleState) }

    var taskStatesJSON: JSONValue {
        .array(tasks.map { ["key": .string($0.key), "lifecycleState": .string($0.state), "lifecycleDetails": .string($0.details)] })
    }
}

/// Runs plans, one at a time, on its own queue: the HTTP thread that created the job has long answered.
final class MediaJobRunner: @unchecked Sendable {
    // @unchecked: immutable after init; the queue serialises the jobs.
    let tools: MediaTools
    let objects: ObjectStore
    /// Each job works in `{workRoot}/{jobID}`, removed when the job ends.
    let workRoot: URL
    let log: @Sendable (String) -> Void
    private let queue = DispatchQueue(label: "mediactl-emulator.media-jobs")
    /// ffmpeg's encoders, asked once (only touched on `queue`): a transcode should cost what ffmpeg costs.
    private var encoders: Set<String>?

    /// Task types that need an OCI AI service, with the service named in the SKIPPED reason.
    static let offlineUnavailable = ["transcribe": "needs OCI Speech", "visionDetection": "needs OCI Vision"]

    init(tools: MediaTools, objects: ObjectStore, workRoot: URL, log: @escaping @Sendable (String) -> Void) {
        self.tools = tools
        self.objects = objects
        self.workRoot = workRoot
        self.log = log
    }

    func enqueue(jobID: String, plan: MediaJobPlan, report: @escaping @Sendable (MediaJobProgress) -> Void) {
        queue.async { [self] in run(jobID: jobID, plan: plan, report: report) }
    }

    /// Blocks until the queue has run everything enqueued before (tests, shutdown).
    func drain() { queue.sync {} }

    func run(jobID: String, plan: MediaJobPlan, report: (MediaJobProgress) -> Void) {
        switch plan {
        case let .ingest(namespace, bucket, object):
            var progress = MediaJobProgress(tasks: [.init(key: "ingest", state: "IN_PROGRESS", details: "checking \(object)")])
            report(progress)
            do {
                let variants = try checkMasterPlaylist(namespace: namespace, bucket: bucket, object: object)
                progress.tasks[0].state = "SUCCEEDED"
                progress.tasks[0].details = "ingested \(object) (\(variants) variant playlist\(variants == 1 ? "" : "s"))"
                progress.lifecycleState = "SUCCEEDED"
                progress.lifecycleDetails = "The master playlist \(object) was ingested."
            } catch {
                progress.tasks[0].state = "FAILED"
                progress.tasks[0].details = error.description
                progress.lifecycleState = "FAILED"
                progress.lifecycleDetails = "ingest failed: \(error.description)"
            }
            report(progress)
        case let .workflow(resolved):
            runWorkflow(jobID: jobID, resolved, report: report)
        }
    }

    // MARK: - Workflow

    private func runWorkflow(jobID: String, _ resolved: ResolvedWorkflow, report: (MediaJobProgress) -> Void) {
        let tasks = resolved.tasks
        let keys = tasks.map { $0["key"]?.stringValue ?? "" }
        var progress = MediaJobProgress(tasks: keys.map { .init(key: $0, state: "WAITING", details: "waiting for prerequisites") })
        report(progress)

        let work = workRoot.appendingPathComponent(Self.safeDirectoryName(jobID), isDirectory: true)
        defer { try? FileManager.default.removeItem(at: work) }
        do { try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true) } catch {
            progress.lifecycleState = "FAILED"
            progress.lifecycleDetails = "cannot create the job's work directory \(work.path): \(error.localizedDescription)"
            report(progress)
            return
        }

        var context = TaskContext(work: work, jobID: jobID)
        for index in Self.executionOrder(tasks) {
            let task = tasks[index]
            let key = keys[index]
            let type = task["type"]?.stringValue ?? ""
            if let reason = Self.disabledReason(task, document: resolved.document) {
                progress.tasks[index].state = "SKIPPED"
                progress.tasks[index].details = reason
                report(progress)
                continue
            }
            if let service = Self.offlineUnavailable[type] {
                progress.tasks[index].state = "SKIPPED"
                progress.tasks[index].details = "not available offline: \(type) \(service), which the emulator cannot reach"
                report(progress)
                continue
            }
            progress.tasks[index].state = "IN_PROGRESS"
            progress.tasks[index].details = "running"
            report(progress)
            let started = Date()
            do {
                let parameters = task["parameters"] ?? .object([])
                let summary: String
                switch type {
                case "getFiles": summary = try getFiles(parameters, &context)
                case "transcode": summary = try transcode(parameters, &context)
                case "thumbnail": summary = try thumbnail(parameters, &context)
                case "putFiles": summary = try putFiles(parameters, &context)
                default: throw MediaTaskError("task type \(type) is not supported by the emulator")
                }
                let seconds = String(format: "%.3f", Date().timeIntervalSince(started))
                progress.tasks[index].state = "SUCCEEDED"
                progress.tasks[index].details = "completed in \(seconds) s: \(summary)"
                progress.outputs = context.outputs
                report(progress)
            } catch {
                let reason = (error as? MediaTaskError)?.description ?? "\(error)"
                progress.tasks[index].state = "FAILED"
                progress.tasks[index].details = reason
                for i in progress.tasks.indices where ["WAITING", "IN_PROGRESS"].contains(progress.tasks[i].state) {
                    progress.tasks[i].state = "CANCELED"
                    progress.tasks[i].details = "not run: task \(key) failed"
                }
                progress.lifecycleState = "FAILED"
                progress.lifecycleDetails = "task \(key) failed: \(reason)"
                log("job \(jobID): task \(key) failed: \(reason)")
                report(progress)
                return
            }
        }
        let skipped = progress.tasks.filter { $0.state == "SKIPPED" }
        progress.lifecycleState = "SUCCEEDED"
        progress.lifecycleDetails = skipped.isEmpty ? "The job completed successfully."
            : "Completed; skipped: " + skipped.map { "\($0.key) (\($0.details))" }.joined(separator: "; ")
        report(progress)
    }

    /// Prerequisites first; among tasks that are ready, the workflow's order. Validation at create time
    /// refused cycles, so every task is placed.
    static func executionOrder(_ tasks: [JSONValue]) -> [Int] {
        let keys = tasks.map { $0["key"]?.stringValue ?? "" }
        var done = Set<String>(), order: [Int] = []
        while order.count < tasks.count {
            let ready = tasks.indices.first { i in
                !order.contains(i) && (tasks[i]["prerequisites"]?.arrayValue ?? []).compactMap(\.stringValue).allSatisfy(done.contains)
            }
            guard let next = ready ?? tasks.indices.first(where: { !order.contains($0) }) else { break }
            order.append(next)
            done.insert(keys[next])
        }
        return order
    }

    /// Why a task gated by `enableParameterReference` does not run, nil when it runs.
    static func disabledReason(_ task: JSONValue, document: JSONValue) -> String? {
        guard let reference = task["enableParameterReference"]?.stringValue else { return nil }
        let wanted = task["enableWhenReferencedParameterEquals"] ?? .null
        let actual = ParameterResolution.enableValue(reference, in: document)
        if actual == wanted { return nil }
        return "disabled: \(reference) is \(actual?.compactText ?? "not set"); the task runs when it equals \(wanted.compactText)"
    }

    struct TaskContext {
        let work: URL
        let jobID: String
        var outputs: [JSONValue] = []
    }

    // MARK: - getFiles

    private func getFiles(_ parameters: JSONValue, _ context: inout TaskContext) throws(MediaTaskError) -> String {
        let entries = parameters["taskParameters"]?.arrayValue ?? []
        guard !entries.isEmpty else { throw MediaTaskError("getFiles has no taskParameters") }
        var fetched: [String] = []
        for (i, entry) in entries.enumerated() {
            let at = "taskParameters[\(i)]"
            if let storage = entry["storageType"]?.stringValue, storage != "objectStorage" {
                throw MediaTaskError("\(at).storageType \(storage) is not supported; the emulator reads objectStorage")
            }
            let namespace = try Self.string(entry, "namespaceName", at), bucket = try Self.string(entry, "bucketName", at)
            let object = try Self.string(entry, "objectName", at), target = try Self.string(entry, "target", at)
            let destination = try Self.workPath(target, in: context.work, field: "\(at).target")
            let source: URL
            do { source = try objects.fileURL(namespace: namespace, bucket: bucket, object: object) } catch {
                throw Self.describe(error, namespace: namespace, bucket: bucket, object: object)
            }
            do {
                try FileManager.default.createDirectory(at: destination.deletingLastPathComponent(), withIntermediateDirectories: true)
                try? FileManager.default.removeItem(at: destination)
                // A hard link costs nothing and is safe: the store replaces objects by rename, never in place.
                if link(source.path, destination.path) != 0 { try FileManager.default.copyItem(at: source, to: destination) }
            } catch {
                throw MediaTaskError("cannot copy object \(object) to \(target): \(error.localizedDescription)")
            }
            fetched.append("\(bucket)/\(object) → \(target)")
        }
        return "fetched " + fetched.joined(separator: ", ")
    }

    // MARK: - transcode

    struct Rendition {
        let height: Int
        let name: String
        var videoKbps: Int { max(150, height * height / 160) }
    }

    private func transcode(_ parameters: JSONValue, _ context: inout TaskContext) throws(MediaTaskError) -> String {
        let type = parameters["transcodeType"]?.stringValue ?? "standardTranscode"
        guard type == "standardTranscode", let st = parameters["standardTranscode"], st.isObject else {
            throw MediaTaskError("transcodeType \(type) is not supported by the emulator; it runs standardTranscode")
        }
        let input = try Self.workPath(try Self.string(st, "input", "standardTranscode"), in: context.work, field: "standardTranscode.input")
        let prefix = st["outputPrefix"]?.stringValue ?? "output"
        guard !prefix.contains("/"), !prefix.hasPrefix(".") else {
            throw MediaTaskError("standardTranscode.outputPrefix \"\(prefix)\" must be a plain file-name prefix")
        }
        let videoCodec = (st["videoCodec"]?.stringValue ?? "h264").lowercased()
        let audioCodec = (st["audioCodec"]?.stringValue ?? "aac").lowercased()
        let encoder: String
        switch videoCodec {
        case "h264": encoder = "libx264"
        case "h265", "hevc": encoder = "libx265"
        default: throw MediaTaskError("videoCodec \(videoCodec) is not supported; use h264 or h265")
        }
        if encoders == nil { encoders = tools.encoders() }
        guard encoders?.contains(encoder) == true else { throw MediaTaskError("videoCodec \(videoCodec) needs ffmpeg's \(encoder) encoder, which this ffmpeg lacks") }
        guard audioCodec == "aac" else { throw MediaTaskError("audioCodec \(audioCodec) is not supported; use aac") }
        let packaging = st["packaging"] ?? .object([])
        let packageType = (packaging["packageType"]?.stringValue ?? "hls").lowercased()
        guard packageType == "hls" else { throw MediaTaskError("packaging.packageType \(packageType) is not supported; the emulator packages hls") }
        let segmentLength = packaging["segmentLength"]?.intValue ?? 6
        guard segmentLength > 0 else { throw MediaTaskError("packaging.segmentLength must be a positive number of seconds, got \(segmentLength)") }
        let ladder = st["ladder"]?.arrayValue ?? []
        guard !ladder.isEmpty else { throw MediaTaskError("standardTranscode.ladder needs at least one entry") }
        var renditions: [Rendition] = []
        for (i, entry) in ladder.enumerated() {
            guard let height = entry["size"]?["height"]?.intValue, height > 0 else {
                throw MediaTaskError("ladder[\(i)].size.height must be a positive number of pixels")
            }
            guard height % 2 == 0 else { throw MediaTaskError("ladder[\(i)].size.height \(height) must be even (4:2:0 video)") }
            let base = "\(height)p"
            let name = renditions.contains { $0.name == base } ? "\(base)_\(i)" : base
            renditions.append(Rendition(height: height, name: name))
        }

        // An unreadable input still goes to ffmpeg, whose own error line is the task's reason.
        let probe = try? tools.probe(input)
        if let probe, probe.height == nil { throw MediaTaskError("\(input.lastPathComponent) has no video stream") }
        let arguments = Self.transcodeArguments(input: input.path.dropPrefix(context.work.path + "/"), prefix: prefix, encoder: encoder,
                                                renditions: renditions, segmentLength: segmentLength, hasAudio: probe?.hasAudio ?? false)
        let command = [tools.ffmpeg] + arguments
        log("job \(context.jobID) transcode: cd \(ShellQuoting.quoted(context.work.path)) && \(command.shellLine)")
        let run: ToolRun
        do { run = try ToolRun.run(tools.ffmpeg, arguments, in: context.work) } catch { throw MediaTaskError("cannot run ffmpeg: \(error)") }
        guard run.status == 0 else {
            throw MediaTaskError("ffmpeg could not transcode \(input.lastPathComponent): \(run.lastErrorLine ?? "exit status \(run.status)")")
        }
        guard FileManager.default.fileExists(atPath: context.work.appendingPathComponent("master.m3u8").path) else {
            throw MediaTaskError("ffmpeg finished without writing master.m3u8")
        }
        return "\(renditions.count) rendition\(renditions.count == 1 ? "" : "s") (\(renditions.map(\.name).joined(separator: ", "))), "
            + "ffmpeg \(String(format: "%.3f", run.seconds)) s: \(command.shellLine)"
    }

    /// One ffmpeg run for the whole ladder: a scaled copy of the video per rendition (width follows the aspect
    /// ratio, kept even), keyframes forced on every segment boundary so segments last `segmentLength`, HLS with
    /// fMP4 segments, and the master playlist. Names: `{prefix}_{name}.m3u8`, `{prefix}_{name}_init.fmp4`,
    /// `{prefix}_{name}_00000.fmp4`, `master.m3u8`.
    static func transcodeArguments(input: String, prefix: String, encoder: String, renditions: [Rendition],
                                   segmentLength: Int, hasAudio: Bool) -> [String] {
        let n = renditions.count
        let split = n == 1 ? "[0:v]scale=-2:\(renditions[0].height)[v0]"
            : "[0:v]split=\(n)" + (0..<n).map { "[s\($0)]" }.joined() + ";"
                + renditions.enumerated().map { "[s\($0.offset)]scale=-2:\($0.element.height)[v\($0.offset)]" }.joined(separator: ";")
        var args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-i", input, "-filter_complex", split]
        for i in 0..<n {
            args += ["-map", "[v\(i)]"]
            if hasAudio { args += ["-map", "0:a:0"] }
        }
        args += ["-c:v", encoder, "-pix_fmt", "yuv420p"]
        if encoder == "libx265" { args += ["-tag:v", "hvc1", "-x265-params", "log-level=error"] }
        for (i, r) in renditions.enumerated() { args += ["-b:v:\(i)", "\(r.videoKbps)k"] }
        if hasAudio { args += ["-c:a", "aac", "-b:a", "128k"] }
        let streamMap = renditions.enumerated().map { i, r in hasAudio ? "v:\(i),a:\(i),name:\(r.name)" : "v:\(i),name:\(r.name)" }
        args += ["-force_key_frames", "expr:gte(t,n_forced*\(segmentLength))",
                 "-f", "hls", "-hls_time", String(segmentLength), "-hls_playlist_type", "vod",
                 "-hls_segment_type", "fmp4", "-hls_flags", "independent_segments",
                 // ffmpeg fills in %v in the init segment's name only when there are several variants.
                 "-hls_fmp4_init_filename", n == 1 ? "\(prefix)_\(renditions[0].name)_init.fmp4" : "\(prefix)_%v_init.fmp4",
                 "-hls_segment_filename", "\(prefix)_%v_%05d.fmp4",
                 "-master_pl_name", "master.m3u8",
                 "-var_stream_map", streamMap.joined(separator: " "),
                 "\(prefix)_%v.m3u8"]
        return args
    }

    // MARK: - thumbnail

    private func thumbnail(_ parameters: JSONValue, _ context: inout TaskContext) throws(MediaTaskError) -> String {
        guard let thumbnails = parameters["thumbnails"], thumbnails.isObject else { throw MediaTaskError("thumbnail needs a \"thumbnails\" object") }
        let input = try Self.workPath(try Self.string(thumbnails, "input", "thumbnails"), in: context.work, field: "thumbnails.input")
        let probe = try tools.probe(input)
        guard probe.height != nil else { throw MediaTaskError("\(input.lastPathComponent) has no video stream") }
        guard let duration = probe.duration, duration > 0 else { throw MediaTaskError("ffprobe reports no duration for \(input.lastPathComponent)") }
        let selectors = thumbnails["frameSelectors"]?.arrayValue ?? []
        guard !selectors.isEmpty else { throw MediaTaskError("thumbnails.frameSelectors needs at least one entry") }
        var written: [String] = []
        for (s, selector) in selectors.enumerated() {
            let at = "frameSelectors[\(s)]"
            let prefix = selector["namePrefix"]?.stringValue ?? "thumb"
            guard !prefix.contains("/"), !prefix.hasPrefix(".") else { throw MediaTaskError("\(at).namePrefix \"\(prefix)\" must be a plain file-name prefix") }
            let format = (selector["format"]?.stringValue ?? "jpg").lowercased()
            guard ["jpg", "jpeg", "png"].contains(format) else { throw MediaTaskError("\(at).format \(format) is not supported; use jpg or png") }
            let sizes = selector["sizes"]?.arrayValue ?? []
            guard !sizes.isEmpty else { throw MediaTaskError("\(at).sizes needs at least one size") }
            var scales: [(label: String, filter: String)] = []
            for (i, size) in sizes.enumerated() {
                let w = size["width"]?.intValue, h = size["height"]?.intValue
                switch (w, h) {
                case let (w?, h?) where w > 0 && h > 0: scales.append(("w\(w)h\(h)", "scale=\(w):\(h)"))
                case let (w?, nil) where w > 0: scales.append(("w\(w)", "scale=\(w):-2"))
                case let (nil, h?) where h > 0: scales.append(("h\(h)", "scale=-2:\(h)"))
                default: throw MediaTaskError("\(at).sizes[\(i)] needs a positive width or height")
                }
            }
            let picks = selector["clipImagePicker"]?["percentList"]?["pickList"]?.arrayValue ?? []
            guard !picks.isEmpty else { throw MediaTaskError("\(at).clipImagePicker.percentList.pickList needs at least one percentage") }
            for (i, pick) in picks.enumerated() {
                guard let percent = pick.intValue, (0...100).contains(percent) else {
                    throw MediaTaskError("\(at).clipImagePicker.percentList.pickList[\(i)] must be a percentage from 0 to 100")
                }
                // The last frame starts a little before the end; a seek to the very end finds nothing.
                let seconds = min(duration * Double(percent) / 100, max(0, duration - 0.2))
                let n = scales.count
                let graph = "[0:v]split=\(n)" + (0..<n).map { "[s\($0)]" }.joined() + ";"
                    + scales.enumerated().map { "[s\($0.offset)]\($0.element.filter)[o\($0.offset)]" }.joined(separator: ";")
                var args = ["-hide_banner", "-nostdin", "-y", "-loglevel", "error", "-ss", String(format: "%.3f", seconds),
                            "-i", input.path, "-filter_complex", graph]
                var names: [String] = []
                for (j, scale) in scales.enumerated() {
                    let name = "\(prefix)_p\(percent)_\(scale.label).\(format)"
                    names.append(name)
                    args += ["-map", "[o\(j)]", "-frames:v", "1", "-update", "1"] + (format == "png" ? [] : ["-q:v", "3"]) + [name]
                }
                let run: ToolRun
                do { run = try ToolRun.run(tools.ffmpeg, args, in: context.work) } catch { throw MediaTaskError("cannot run ffmpeg: \(error)") }
                guard run.status == 0 else {
                    throw MediaTaskError("ffmpeg could not take a thumbnail at \(percent)%: \(run.lastErrorLine ?? "exit status \(run.status)")")
                }
                for name in names where !FileManager.default.fileExists(atPath: context.work.appendingPathComponent(name).path) {
                    throw MediaTaskError("ffmpeg wrote no frame for \(name) at \(percent)%")
                }
                written += names
            }
        }
        return "\(written.count) image\(written.count == 1 ? "" : "s"): \(written.joined(separator: ", "))"
    }

    // MARK: - putFiles

    private func putFiles(_ parameters: JSONValue, _ context: inout TaskContext) throws(MediaTaskError) -> String {
        let entries = parameters["taskParameters"]?.arrayValue ?? []
        guard !entries.isEmpty else { throw MediaTaskError("putFiles has no taskParameters") }
        // Sources name the files earlier tasks wrote at the top of the work directory (getFiles' inputs sit in folders).
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: context.work.path)) ?? []).sorted().filter { name in
            var isDirectory: ObjCBool = false
            return FileManager.default.fileExists(atPath: context.work.appendingPathComponent(name).path, isDirectory: &isDirectory) && !isDirectory.boolValue
        }
        var stored = 0
        var notes: [String] = []
        for (i, entry) in entries.enumerated() {
            let at = "taskParameters[\(i)]"
            let namespace = try Self.string(entry, "namespaceName", at), bucket = try Self.string(entry, "bucketName", at)
            let source = try Self.string(entry, "source", at)
            let objectName = entry["objectName"]?.stringValue ?? ""
            guard objects.bucketExists(namespace: namespace, bucket: bucket) else {
                throw MediaTaskError("bucket \(bucket) not found in namespace \(namespace)")
            }
            var pairs: [(file: String, object: String)] = []
            if let literal = Self.globLiteralPrefix(source) {
                // A glob names files in the work directory; each object is objectName + the name minus the literal prefix.
                for file in files where fnmatch(source, file, FNM_PERIOD) == 0 {
                    pairs.append((file, objectName + file.dropFirst(literal.count)))
                }
                if pairs.isEmpty { notes.append("\(source) matched no files") }
            } else {
                _ = try Self.workPath(source, in: context.work, field: "\(at).source")
                guard FileManager.default.fileExists(atPath: context.work.appendingPathComponent(source).path) else {
                    throw MediaTaskError("\(at).source \(source) was not produced by an earlier task")
                }
                guard !objectName.isEmpty else { throw MediaTaskError("\(at).objectName is required for the source \(source)") }
                pairs.append((source, objectName))
            }
            for (file, object) in pairs {
                let url = context.work.appendingPathComponent(file)
                let staging = objects.temporaryFile()
                do {
                    if link(url.path, staging.path) != 0 { try FileManager.default.copyItem(at: url, to: staging) }
                    try objects.put(namespace: namespace, bucket: bucket, object: object, movingFile: staging,
                                    contentType: Self.contentType(file))
                } catch {
                    try? FileManager.default.removeItem(at: staging)
                    throw MediaTaskError("cannot store \(object) in bucket \(bucket): \(error)")
                }
                context.outputs.append(["assetType": .string(Self.assetType(url)), "namespaceName": .string(namespace),
                                        "bucketName": .string(bucket), "objectName": .string(object)])
                stored += 1
            }
        }
        return "stored \(stored) object\(stored == 1 ? "" : "s")" + (notes.isEmpty ? "" : "; " + notes.joined(separator: "; "))
    }

    /// The text before the first glob character, nil when `pattern` is a plain name.
    static func globLiteralPrefix(_ pattern: String) -> String? {
        guard let i = pattern.firstIndex(where: { "*?[".contains($0) }) else { return nil }
        return String(pattern[..<i])
    }

    static func contentType(_ name: String) -> String {
        switch (name as NSString).pathExtension.lowercased() {
        case "m3u8": "application/vnd.apple.mpegurl"
        case "fmp4", "mp4", "m4s": "video/mp4"
        case "jpg", "jpeg": "image/jpeg"
        case "png": "image/png"
        default: "application/octet-stream"
        }
    }

    /// PLAYLIST only for a master playlist (it lists variants), which is what an asset is made from.
    static func assetType(_ file: URL) -> String {
        switch file.pathExtension.lowercased() {
        case "m3u8":
            let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
            return text.contains("#EXT-X-STREAM-INF") ? "PLAYLIST" : "OTHER"
        case "fmp4", "mp4", "m4s", "ts": return "VIDEO"
        case "jpg", "jpeg", "png": return "IMAGE"
        default: return "OTHER"
        }
    }

    // MARK: - Ingest

    /// The number of variant playlists, after checking the master and each variant it lists are in the store.
    func checkMasterPlaylist(namespace: String, bucket: String, object: String) throws(MediaTaskError) -> Int {
        let data: Data
        do { data = try objects.read(namespace: namespace, bucket: bucket, object: object) } catch {
            throw Self.describe(error, namespace: namespace, bucket: bucket, object: object)
        }
        let playlist = HLSPlaylist(text: String(decoding: data, as: UTF8.self))
        guard playlist.isPlaylist else { throw MediaTaskError("\(object) is not an HLS playlist (it does not start with #EXTM3U)") }
        let variants = playlist.variantURIs
        guard !variants.isEmpty else { throw MediaTaskError("\(object) is not an HLS master playlist (no #EXT-X-STREAM-INF)") }
        for uri in variants {
            guard let name = HLSPlaylist.objectName(resolving: uri, against: object) else {
                throw MediaTaskError("\(object) lists \(uri), which is not a relative name the playlist's folder holds")
            }
            do { _ = try objects.info(namespace: namespace, bucket: bucket, object: name) } catch {
                throw MediaTaskError("\(object) lists \(uri), but object \(name) is not in bucket \(bucket)")
            }
        }
        return variants.count
    }

    // MARK: - Helpers

    static func describe(_ error: Error, namespace: String, bucket: String, object: String) -> MediaTaskError {
        switch error as? ObjectStoreError {
        case .bucketNotFound?: return MediaTaskError("bucket \(bucket) not found in namespace \(namespace)")
        case .objectNotFound?: return MediaTaskError("object \(object) not found in bucket \(bucket)")
        default: return MediaTaskError("cannot read object \(object) from bucket \(bucket): \(error)")
        }
    }

    static func string(_ value: JSONValue, _ key: String, _ at: String) throws(MediaTaskError) -> String {
        guard let s = value[key]?.stringValue, !s.isEmpty else { throw MediaTaskError("\(at).\(key) is missing") }
        return s
    }

    /// A relative path inside the work directory; absolute paths and `..` are refused so a task cannot
    /// read or write outside its job.
    static func workPath(_ relative: String, in work: URL, field: String) throws(MediaTaskError) -> URL {
        let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
        guard !relative.hasPrefix("/"), !parts.isEmpty, !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw MediaTaskError("\(field) \"\(relative)\" must be a relative path inside the job's work directory")
        }
        return work.appendingPathComponent(relative)
    }

    static func safeDirectoryName(_ id: String) -> String {
        String(id.map { $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" ? $0 : "_" })
    }
}

extension String {
    fileprivate func dropPrefix(_ prefix: String) -> String { hasPrefix(prefix) ? String(dropFirst(prefix.count)) : self }
}
