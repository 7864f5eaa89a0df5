// Flags and helpers shared by several command groups.
import FoundationEssentials
import MediaKit

enum CommonFlags {
    static let compartment = Flag.ocid("compartment-id", types: ["compartment", "tenancy"], help: "compartment OCID")
        .env("MEDIACTL_COMPARTMENT_ID").prompt("Compartment OCID")
    static let namespace = Flag.text("namespace", meta: "NAME", help: "Object Storage namespace")
        .env("MEDIACTL_NAMESPACE").prompt("Object Storage namespace")
    static let channel = Flag.ocid("channel-id", types: ResourceKind.channel.ocidTypes, help: "distribution channel OCID")
        .env("MEDIACTL_CHANNEL_ID").prompt("Enter Channel OCID")
    static func timeout(default seconds: Double) -> DefaultedFlag<Double> {
        Flag.number("timeout", 1...86_400, help: "give up waiting after this long (exit 8)").defaulting(to: seconds)
    }
    /// Every create takes one: the opc-retry-token a failed run printed, so the rerun returns what that run created.
    static let retryToken = Flag.text("retry-token", meta: "TOKEN",
                                      help: "opc-retry-token (default: random); a failed run prints it: rerun with it to get what that run created")
        .notFromDefaultsFile()
    static let yes = Switch("yes", short: "y", help: "do not ask for confirmation")
}

extension Invocation {
    /// Input documents (workflow definitions, job parameters) larger than this are refused.
    static let maxDocumentBytes = 8 << 20

    /// Reads a JSON document from a file flag (`-` = stdin), naming the flag and position on errors.
    func jsonDocument(flag name: String) throws(MediaError) -> JSONValue? {
        guard let path = try string(name) else { return nil }
        if auditing { return .object([]) }
        let data: Data
        if path == "-" {
            // The same cap as files: stdin is read in pieces and refused past it, never slurped whole.
            let read = io.readInput(limit: Self.maxDocumentBytes)
            guard read.count <= Self.maxDocumentBytes else { throw .usage("--\(name) -: larger than \(Self.maxDocumentBytes >> 20) MiB") }
            data = read
        } else {
            do { data = try LocalFiles(maxBytes: Self.maxDocumentBytes).read(expand(path)) } catch {
                throw .usage("--\(name) \(path): \(error.reason)")
            }
        }
        do { return try JSONParser.parse(data) } catch {
            let (line, column) = Self.position(of: error.offset, in: data)
            throw .usage("--\(name) \(path): not valid JSON: \(error.message) (line \(line), column \(column))")
        }
    }

    static func position(of offset: Int, in data: Data) -> (Int, Int) {
        var line = 1, column = 1
        for b in data.prefix(offset) { if b == 0x0A { line += 1; column = 1 } else { column += 1 } }
        return (line, column)
    }

    /// Runs a library call, turning its error into the CLI's.
    func call<T>(_ body: () throws(MediaError) -> T) throws(MediaError) -> T {
        do { return try body() } catch { throw error }
    }

    /// The opc-retry-token for this command's creates: `--retry-token`, else a new random one (the SDK's form).
    /// Refused only when it cannot go in an HTTP header (empty, spaces, control or non-ASCII characters).
    func retryToken() throws(MediaError) -> String {
        guard let given = try value(CommonFlags.retryToken) else { return Identifiers.retryToken() }
        guard !given.isEmpty, given.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw .usage("--retry-token: expected printable ASCII without spaces (the token a failed run printed)")
        }
        return given
    }

    /// Destructive verbs ask on a terminal, and need --yes without one.
    func confirm(_ question: String) throws(MediaError) { try io.confirm(question, yes: try value(CommonFlags.yes)) }

    /// A JSON document named by a file flag (`-` = stdin): nil when the flag is not given.
    func document(_ flag: Flag<String>) throws(MediaError) -> JSONValue? { try jsonDocument(flag: flag.spec.name) }

}

extension CommandContext {
    /// Runs steps that create resources; if one fails, stderr says what already exists (one `error:` line stays the
    /// runner's) and, when the answer may have been lost after the service acted, how to finish without duplicates.
    func creating<T>(_ created: inout [(String, String)], retryToken: String, _ body: () throws(MediaError) -> T) throws(MediaError) -> T {
        do { return try body() } catch {
            if !created.isEmpty {
                let list = created.map { "\($0.0) \($0.1)" }.joined(separator: ", ")
                io.note("created before the failure: \(list)")
            }
            if Self.answerMayBeLost(error) {
                if case .cancelled = error { io.note("the interrupted request may have reached the service: it may have created the resource") }
                io.note(Self.retryHint(retryToken))
            }
            throw error
        }
    }

    /// `creating` for commands whose reruns already reuse their tokens (publish keeps them in its record).
    func creating<T>(_ created: inout [(String, String)], _ body: () throws(MediaError) -> T) throws(MediaError) -> T {
        do { return try body() } catch {
            if !created.isEmpty { io.note("created before the failure: \(created.map { "\($0.0) \($0.1)" }.joined(separator: ", "))") }
            throw error
        }
    }

    /// A single create: `creating` with nothing created before it.
    func creating<T>(retryToken: String, _ body: () throws(MediaError) -> T) throws(MediaError) -> T {
        var none: [(String, String)] = []
        return try creating(&none, retryToken: retryToken, body)
    }

    static func retryHint(_ token: String) -> String {
        "rerun with --retry-token \(token) to get the resource created, not a second one"
    }

    /// Failures after which the service may have acted: no answer, an interrupted request, a 5xx.
    static func answerMayBeLost(_ error: MediaError) -> Bool {
        switch error {
        case .network, .timeout, .cancelled: return true
        case let .service(failure): return failure.status >= 500
        default: return false
        }
    }

    /// Waits for a job. On a terminal: a spinner line with the running task, tasks done and the time so far
    /// (`job ocid1…: IN_PROGRESS · transcode ▸ 2/6 · 00:07`); without one, a progress line whenever a task changes state. At the end,
    /// the duration and (on success) where the master playlist went; on failure one line per failed task.
    func waitForJob(_ client: MediaServicesClient, id: String, timeout: Double, label: String) throws(MediaError) -> Resource {
        let started = clock.now()
        let clock = self.clock
        func elapsed() -> String { Self.duration(clock.now().timeIntervalSince(started)) }
        let progress = WaitProgress(io: io, first: "\(label) \(id): waiting")
        let waiter = JobWaiter(clock: clock)
        let job: Resource
        do throws(MediaError) {
            job = try waiter.wait(id: id, timeout: timeout, poll: { () throws(MediaError) -> Resource in try client.get(.job, id: id) }, onPoll: { job in
                let report = JobReport(job)
                let state = job.lifecycleState ?? "?"
                progress.update(live: "\(label) \(id): \(state) · \(report.progressText) · \(elapsed())",
                                line: "\(label) \(id): \(state) \(report.progressText) (\(elapsed()))", key: report.stateKey)
            })
        } catch {
            progress.stop()
            // Ctrl-C: the job (an ingest job, publish's transcode job) runs on; say which, and how to look at it or stop it.
            if case .cancelled = error { throw .cancelled(JobWaiter.interruptedText(job: id, label: label)) }
            guard case .operationFailed = error, let failed = try? client.get(.job, id: id) else { throw error }
            let report = JobReport(failed)
            io.error("\(report.failureSummary) (after \(elapsed()))")
            for line in report.failedTaskLines { io.note(line) }
            throw .reported(error)
        }
        progress.stop()
        var done = "\(label) \(id) \(job.lifecycleState ?? "SUCCEEDED") in \(elapsed())"
        if let playlist = job.masterPlaylist, let object = playlist.objectName {
            done += "; master playlist: \(playlist.bucket ?? "?")/\(object)" + (playlist.namespace.map { " (namespace \($0))" } ?? "")
        }
        io.progress(done)
        recordMasterPlaylist(of: job)
        return job
    }

    /// Files a SUCCEEDED job's master playlist (`NAMESPACE/BUCKET/OBJECT`) in the recent ids, where `ingest` finds it
    /// as the default of --namespace/--bucket/--object. Only a playlist that names all three; best effort, like the cache.
    func recordMasterPlaylist(of job: Resource) {
        guard job.lifecycleState == "SUCCEEDED", let location = job.masterPlaylist?.object else { return }
        recentIDs.record([location.path], kind: Self.masterPlaylistKind)
    }

    /// The recent-ids kind of master playlists.
    static let masterPlaylistKind = "master-playlist"

    /// `00:07`, `12:34`, `1:02:03`.
    static func duration(_ seconds: Double) -> String {
        let total = max(0, Int(seconds.rounded(.down)))
        let (h, m, s) = (total / 3600, total / 60 % 60, total % 60)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return h > 0 ? "\(h):\(two(m)):\(two(s))" : "\(two(m)):\(two(s))"
    }
}
