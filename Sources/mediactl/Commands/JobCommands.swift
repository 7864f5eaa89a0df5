// `mediactl job`: run a media workflow job with the lab's parameters, submit many from a file, wait for one.
import FoundationEssentials
import MediaKit

enum JobCommands {
    static let group = CommandSpec(
        name: "job", summary: "Media workflow jobs: run one against a workflow, wait for it",
        subcommands: [run, submit, wait] + ResourceVerbs.all(.job))

    /// The lab's six job parameters, as flags.
    static let labParameterFlags: [FlagSpec] = [
        FlagSpec(name: "source-bucket", meta: "BUCKET", help: "bucket holding the source video (video.srcBucket)",
                 env: "MEDIACTL_SOURCE_BUCKET", prompt: "Source bucket"),
        FlagSpec(name: "destination-bucket", meta: "BUCKET", help: "bucket for the outputs (video.dstBucket)",
                 env: "MEDIACTL_DESTINATION_BUCKET", prompt: "Destination bucket"),
        CommonFlags.namespace,
        FlagSpec(name: "source-video", meta: "OBJECT", help: "source video object name (video.srcVideo)",
                 env: "MEDIACTL_SOURCE_VIDEO", prompt: "Source video object name"),
        FlagSpec(name: "output-prefix", meta: "PREFIX", help: "prefix for output files (video.outputPrefixName)",
                 fromDefaultsFile: false, prompt: "Enter prefix name for output files"),
    ]

    static let run = CommandSpec(
        name: "run", summary: "Create a media workflow job (the lab's `run`)",
        description: "Job parameters come from the lab's flags (sent as {\"video\": {...}}) or from --parameters-file.\nWith --wait, waits until the job ends and exits non-zero unless it SUCCEEDED.",
        examples: ["mediactl job run --workflow-id $WF --source-bucket in --destination-bucket out --namespace ns --source-video clip.mp4 --output-prefix run1 --wait",
                   "mediactl job run --workflow-id $WF --parameters-file params.json --output id"],
        flags: [FlagSpec(name: "workflow-id", kind: .ocid(ResourceKind.workflow.ocidTypes), meta: "OCID", help: "the workflow to run",
                         env: "MEDIACTL_WORKFLOW_ID", prompt: "Enter mediaflow ID"),
                CommonFlags.compartment,
                FlagSpec(name: "name", meta: "NAME", help: "job display name", defaultValue: LabWorkflow.jobDisplayName)]
            + labParameterFlags
            + [FlagSpec(name: "parameters-file", kind: .file, meta: "PATH", help: "job parameters JSON instead of the lab's flags (- for stdin)", fromDefaultsFile: false),
               FlagSpec(name: "wait", kind: .bool, help: "wait for the job to end", fromDefaultsFile: false),
               CommonFlags.timeout(default: 3600), CommonFlags.retryToken],
        action: { inv throws(CLIError) in
            let parameters: JSONValue
            let compartment: String
            let workflow = try inv.required("workflow-id")
            if let doc = try inv.jsonDocument(flag: "parameters-file") {
                let given = labParameterFlags.map(\.name).filter { inv.line.values[$0] != nil }
                if let first = given.first { throw .usage("--\(first) cannot be combined with --parameters-file: put it in the file") }
                try checkParameters(doc)
                parameters = doc
                compartment = try inv.required("compartment-id")
            } else {
                compartment = try inv.required("compartment-id")
                parameters = LabWorkflow.jobParameters(
                    sourceBucket: try inv.required("source-bucket"), destinationBucket: try inv.required("destination-bucket"),
                    namespace: try inv.required("namespace"), compartmentID: compartment,
                    sourceVideo: try inv.required("source-video"), outputPrefix: try inv.required("output-prefix"))
            }
            let wait = try inv.bool("wait")
            let timeout = try inv.double("timeout") ?? 3600
            let name = try inv.string("name")
            let token = try inv.retryToken()
            let (client, _) = try inv.mediaServices()
            let job = try inv.creating(retryToken: token) { () throws(MediaError) in
                try client.withRetryToken(token).createJob(workflowID: workflow, compartmentID: compartment, displayName: name, parameters: parameters)
            }
            inv.io.progress("Created media workflow job \(job.id) (\(job.lifecycleState ?? "?"))")
            guard wait else { inv.render(job, kind: .job); return }
            let done = try inv.waitForJob(client, id: job.id, timeout: timeout, label: "job")
            inv.render(done, kind: .job)
        })

    static let submit = CommandSpec(
        name: "submit", summary: "Create many jobs against one workflow from a file, N at a time",
        description: "FILE holds JSON lines, or a JSON array, of job parameter objects ({\"video\": {...}}); each one is a job.\nEvery entry is checked before anything is sent. A summary line goes to stderr; each failure is reported with its line,\nand the exit code is non-zero if any job was not created. --output id prints the created ids in the file's order.",
        examples: ["mediactl job submit --workflow-id $WF --from videos.jsonl --concurrency 8",
                   "mediactl job submit --workflow-id $WF --from jobs.json --output id > job-ids.txt"],
        flags: [FlagSpec(name: "workflow-id", kind: .ocid(ResourceKind.workflow.ocidTypes), meta: "OCID", help: "the workflow every job runs",
                         env: "MEDIACTL_WORKFLOW_ID", prompt: "Enter mediaflow ID"),
                CommonFlags.compartment,
                FlagSpec(name: "from", kind: .file, meta: "FILE", help: "JSON lines or a JSON array of job parameter objects (- for stdin)",
                         required: true, fromDefaultsFile: false),
                FlagSpec(name: "concurrency", kind: .integer(1...64), meta: "N", help: "requests in flight at once (one connection each)",
                         defaultValue: "8"),
                FlagSpec(name: "name", meta: "NAME", help: "display name of every job", defaultValue: LabWorkflow.jobDisplayName),
                CommonFlags.retryToken],
        action: { inv throws(CLIError) in
            let workflow = try inv.required("workflow-id")
            let compartment = try inv.required("compartment-id")
            let path = try inv.required("from")
            let data: Data
            if path == "-" { data = StandardInput.read() } else {
                do throws(FileError) { data = try LocalFiles(maxBytes: 256 << 20).read(inv.expand(path)) } catch {
                    throw .usage("--from \(path): \(error.reason)")
                }
            }
            let entries: [JobBatchEntry]
            do throws(MediaError) { entries = try JobBatchFile.entries(data) } catch { throw .usage("--from \(path): \(error.message)") }
            let workers = min(try inv.int("concurrency") ?? 8, entries.count)
            let (first, _) = try inv.mediaServices()
            var clients = [first]
            let factory = try inv.connections()
            for _ in 1..<max(1, workers) { clients.append(try inv.call { () throws(MediaError) in try factory.mediaServices() }) }
            // Entry at line L gets the token TOKEN-L: a rerun with TOKEN gets back the jobs already created and
            // creates only the others.
            let token = try inv.retryToken()
            var submitter = JobBatchSubmitter(workflowID: workflow, compartmentID: compartment, displayName: try inv.string("name"))
            submitter.retryTokenPrefix = token
            let started = Date()
            let results = submitter.submit(entries, clients: clients)
            let seconds = Date().timeIntervalSince(started)

            var created: [(line: Int, job: Resource)] = []
            var failed = 0
            var lost = false
            var worst: ExitCode = .ok
            for result in results {
                switch result.outcome {
                case let .success(job): created.append((result.entry.line, job))
                case let .failure(error):
                    failed += 1
                    lost = lost || Invocation.answerMayBeLost(error)
                    inv.io.error("line \(result.entry.line): \(error.message)")
                    if worst == .ok { worst = CLIError.media(error).exitCode }
                }
            }
            switch inv.outputFormat {
            case "json": inv.io.out(JSONValue.array(created.map(\.job.json)).prettyText)
            case "id": for (_, job) in created { inv.io.out(job.id) }
            default: for (line, job) in created { inv.io.out("line \(line): \(job.id) \(job.lifecycleState ?? "?")") }
            }
            let rate = seconds > 0 ? Double(results.count) / seconds : 0
            inv.io.progress("Submitted \(created.count) of \(entries.count) jobs (\(failed) failed) in \(String(cFormat: "%.2f", seconds)) s, "
                            + "\(String(cFormat: "%.1f", rate)) calls/s, \(clients.count) at a time")
            if lost { inv.io.note("rerun with --retry-token \(token) to create the jobs still missing and get back those created, not second ones") }
            if worst != .ok { throw .exit(worst) }
        })

    static let wait = CommandSpec(
        name: "wait", summary: "Wait for a job to end; exit 0 only if it SUCCEEDED",
        flags: [CommonFlags.timeout(default: 3600)],
        positionals: [ResourceVerbs.idArgument(.job)],
        action: { inv throws(CLIError) in
            let id = try inv.positional(0)
            let timeout = try inv.double("timeout") ?? 3600
            let (client, _) = try inv.mediaServices()
            inv.render(try inv.waitForJob(client, id: id, timeout: timeout, label: "job"), kind: .job)
        })

    /// Job parameters: an object whose values are objects (top key = group or task key).
    static func checkParameters(_ doc: JSONValue) throws(CLIError) {
        guard let groups = doc.objectValue else {
            throw .usage("--parameters-file: expected a JSON object such as {\"video\": {...}}, got \(doc.typeName)")
        }
        for (name, value) in groups where !value.isObject {
            throw .usage("--parameters-file: /\(Pointer.escape(name)) must be an object of parameters, got \(value.typeName)")
        }
    }
}
