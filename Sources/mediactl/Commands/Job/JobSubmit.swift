// `mediactl job submit`: create many jobs against one workflow from a file of parameter objects, N at a time.
import FoundationEssentials
import MediaKit

enum JobSubmit {
    struct Options {
        var workflowID: String
        var compartmentID: String
        var name: String
        var source: String
        var entries: [JobBatchEntry]
        var concurrency: Int
        var retryToken: String
    }

    static let from = Flag.file("from", meta: "FILE", help: "JSON lines or a JSON array of job parameter objects (- for stdin)")
        .required().notFromDefaultsFile()
    static let concurrency = Flag.integer("concurrency", 1...64, help: "requests in flight at once (one connection each)").defaulting(to: 8)
    static let workflowID = JobCommands.workflowID.help("the workflow every job runs")
    static let name = JobCommands.name.help("display name of every job")

    static let command = CommandSpec.verb(
        "submit", summary: "Create many jobs against one workflow from a file, N at a time",
        description: "FILE holds JSON lines, or a JSON array, of job parameter objects ({\"video\": {...}}); each one is a job.\nEvery entry is checked before anything is sent. A summary line goes to stderr; each failure is reported with its line,\nand the exit code is non-zero if any job was not created. --output id prints the created ids in the file's order.",
        examples: ["mediactl job submit --workflow-id $WF --from videos.jsonl --concurrency 8",
                   "mediactl job submit --workflow-id $WF --from jobs.json --output id > job-ids.txt"],
        flags: [workflowID, CommonFlags.compartment, from, concurrency, name, CommonFlags.retryToken],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let workflow = try inv.required(workflowID)
        let compartment = try inv.required(CommonFlags.compartment)
        let path = try inv.required(from)
        let entries: [JobBatchEntry]
        if inv.auditing { entries = [] } else {
            let data: Data
            if path == "-" { data = inv.io.readInput() } else {
                do throws(FileError) { data = try LocalFiles(maxBytes: 256 << 20).read(inv.expand(path)) } catch {
                    throw .usage("--from \(path): \(error.reason)")
                }
            }
            do throws(MediaError) { entries = try JobBatchFile.entries(data) } catch { throw .usage("--from \(path): \(error.message)") }
        }
        return Options(workflowID: workflow, compartmentID: compartment, name: try inv.value(name), source: path, entries: entries,
                       concurrency: try inv.value(concurrency), retryToken: try inv.retryToken())
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let workers = min(o.concurrency, o.entries.count)
        let factory = try ctx.connections()
        var clients: [MediaServicesClient] = []
        for _ in 0..<max(1, workers) { clients.append(try factory.mediaServices()) }
        // Entry at line L gets the token TOKEN-L: a rerun with TOKEN gets back the jobs already created and
        // creates only the others.
        var submitter = JobBatchSubmitter(workflowID: o.workflowID, compartmentID: o.compartmentID, displayName: o.name)
        submitter.retryTokenPrefix = o.retryToken
        let started = Date()
        let results = submitter.submit(o.entries, clients: clients)
        let seconds = Date().timeIntervalSince(started)

        var created: [(line: Int, job: Resource)] = []
        var failed = 0
        var lost = false
        var worst: MediaError?
        for result in results {
            switch result.outcome {
            case let .success(job): created.append((result.entry.line, job))
            case let .failure(error):
                failed += 1
                lost = lost || CommandContext.answerMayBeLost(error)
                ctx.io.error("line \(result.entry.line): \(error.message)")
                if worst == nil { worst = error }
            }
        }
        ctx.emit(json: .array(created.map(\.job.json)), ids: created.map(\.job.id)) {
            for (line, job) in created { ctx.io.out("line \(line): \(job.id) \(job.lifecycleState ?? "?")") }
        }
        let rate = seconds > 0 ? Double(results.count) / seconds : 0
        ctx.io.progress("Submitted \(created.count) of \(o.entries.count) jobs (\(failed) failed) in \(String(cFormat: "%.2f", seconds)) s, "
                        + "\(String(cFormat: "%.1f", rate)) calls/s, \(clients.count) at a time")
        if lost { ctx.io.note("rerun with --retry-token \(o.retryToken) to create the jobs still missing and get back those created, not second ones") }
        if let worst { throw .reported(worst) }
    }
}
