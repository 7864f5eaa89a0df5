// `mediactl job run`: create a media workflow job (the lab's `run`), optionally waiting for it to end.
import MediaKit

enum JobRun {
    struct Options {
        var workflowID: String
        var compartmentID: String
        var name: String
        /// `{"video": {...}}` from the lab's flags, or the --parameters-file document.
        var parameters: JSONValue
        var wait: Bool
        var timeout: Double
        /// `--wait-for-state`: the states to wait for (until --timeout) instead of --wait's SUCCEEDED.
        var waitForState: StateWait
        var retryToken: String
        /// The object the job's getFiles task reads, when the command knows it: checked (HEAD) before the job is created.
        var source: SourceObject?
        /// `--objectstorage-endpoint`: where the source is checked (nil: the region's Object Storage).
        var objectStorageEndpoint: String?
    }

    /// `namespace/bucket/object` of the job's input, and the flags (or file fields) that named it.
    /// The object the job reads, and the flags or fields that named it (for the error).
    struct SourceObject: Equatable {
        var location: ObjectLocation
        var named: String
        var path: String { location.path }
    }

    /// The lab's six job parameters, as flags (the sixth, the compartment, is the job's own).
    static let sourceBucket = Flag.text("source-bucket", meta: "BUCKET", help: "source video's bucket").completingIDs("bucket")
        .env("MEDIACTL_SOURCE_BUCKET").prompt("Source bucket")
    static let destinationBucket = Flag.text("destination-bucket", meta: "BUCKET", help: "outputs' bucket").completingIDs("bucket")
        .env("MEDIACTL_DESTINATION_BUCKET").prompt("Destination bucket")
    static let sourceVideo = Flag.text("source-video", meta: "OBJECT", help: "source video object")
        .env("MEDIACTL_SOURCE_VIDEO").prompt("Source video object name")
    static let outputPrefix = Flag.text("output-prefix", meta: "PREFIX", help: "prefix of the output files' names")
        .notFromDefaultsFile().prompt("Enter prefix name for output files")
    static let labParameters: [Flag<String>] = [sourceBucket, destinationBucket, CommonFlags.namespace, sourceVideo, outputPrefix]

    static let parametersFile = Flag.file("parameters-file", help: "JSON instead of the lab's flags (- for stdin)")
        .notFromDefaultsFile()
    static let wait = Switch("wait", help: "wait for the job to end (exit 9 if it fails)")
    static let timeout = CommonFlags.timeout(default: 3600).help("wait at most this long (exit 8)")
    static let waitForState = ResourceFlags.waitForState(.job).help("wait for STATE (exit 9 if it fails)")
    static let retryToken = CommonFlags.retryToken.help("a failed run's opc-retry-token, to rerun it")
    /// Where the source object is checked; hidden (the description names it) to keep the help short.
    static let objectStorageEndpoint = ObjectFlags.endpoint.help("Object Storage endpoint the source object is checked at").hidden()

    static let command = CommandSpec.verb(
        "run", summary: "Create a media workflow job (the lab's `run`)",
        description: "Checks the source video first: missing, exit 5, no job; unreadable, a warning.\n\n"
            + "The lab's flags are sent as {\"video\": {\"srcBucket\", \"dstBucket\", \"namespace\", \"srcVideo\", \"outputPrefixName\", "
            + "\"compartmentID\"}}; --parameters-file sends its JSON object as it is. Before the job is created, a HEAD on the source "
            + "video (the lab's --namespace/--source-bucket/--source-video, or the file's video.namespace/srcBucket/srcVideo when all "
            + "three are there): 404 stops the command with exit 5 and no job; 401/403 (you may not read it, the job's policy may) "
            + "and a network or service failure print a warning, and the job is created anyway. The check goes to "
            + "--objectstorage-endpoint (MEDIACTL_OBJECTSTORAGE_ENDPOINT, which `mediactl emulator start` exports), else the "
            + "region's Object Storage; with --endpoint and neither, it is skipped (the region's Object Storage is not where that "
            + "job reads). --wait-for-state waits for the states given instead of --wait's SUCCEEDED.",
        examples: ["mediactl job run --wait --workflow-id $WF --source-bucket in --namespace ns --destination-bucket out --source-video clip.mp4 --output-prefix run1"],
        flags: [JobCommands.workflowID, CommonFlags.compartment, JobCommands.name] + labParameters
            + [parametersFile, wait, timeout, waitForState, retryToken, objectStorageEndpoint],
        parse: parse, run: run)

    static func parse(_ inv: Invocation) throws(MediaError) -> Options {
        let workflow = try inv.required(JobCommands.workflowID)
        let compartment: String
        let parameters: JSONValue
        let source: SourceObject?
        if let doc = try inv.document(parametersFile) {
            if let first = labParameters.first(where: { inv.isGiven($0) }) {
                throw .usage("--\(first.spec.name) cannot be combined with --parameters-file: put it in the file")
            }
            try checkParameters(doc)
            parameters = doc
            compartment = try inv.required(CommonFlags.compartment)
            source = sourceObject(inFile: doc)
        } else {
            // The lab's order of questions: compartment first, then the video's.
            compartment = try inv.required(CommonFlags.compartment)
            parameters = LabWorkflow.jobParameters(
                sourceBucket: try inv.required(sourceBucket), destinationBucket: try inv.required(destinationBucket),
                namespace: try inv.required(CommonFlags.namespace), compartmentID: compartment,
                sourceVideo: try inv.required(sourceVideo), outputPrefix: try inv.required(outputPrefix))
            source = LabWorkflow.sourceObject(in: parameters).map {
                SourceObject(location: $0, named: "--namespace/--source-bucket/--source-video")
            }
        }
        let options = Options(workflowID: workflow, compartmentID: compartment, name: try inv.value(JobCommands.name), parameters: parameters,
                              wait: try inv.value(wait), timeout: try inv.value(timeout), waitForState: StateWait(states: try inv.waitStates(.job), timeout: try inv.value(timeout)),
                              retryToken: try inv.retryToken(), source: source, objectStorageEndpoint: try inv.value(objectStorageEndpoint))
        if options.wait && !options.waitForState.states.isEmpty {
            throw .usage("--wait and --wait-for-state cannot be combined (--wait is --wait-for-state SUCCEEDED that stops on a failure)")
        }
        return options
    }

    static func run(_ o: Options, _ ctx: CommandContext) throws(MediaError) {
        let (client, _) = try ctx.mediaServices()
        if let source = o.source { try checkSource(source, endpoint: o.objectStorageEndpoint, ctx) }
        let job = try ctx.creating(retryToken: o.retryToken) { () throws(MediaError) in
            try client.withRetryToken(o.retryToken).createJob(workflowID: o.workflowID, compartmentID: o.compartmentID,
                                                              displayName: o.name, parameters: o.parameters)
        }
        ctx.io.progress("Created media workflow job \(job.id) (\(job.lifecycleState ?? "?"))")
        if !o.waitForState.states.isEmpty { try ctx.finish(client, kind: .job, job, o.waitForState); return }
        guard o.wait else { ctx.render(job, kind: .job); return }
        ctx.render(try ctx.waitForJob(client, id: job.id, timeout: o.timeout, label: "job"), kind: .job)
    }

    /// The parameters file's source video (LabWorkflow.sourceObject), named by the file's fields.
    static func sourceObject(inFile doc: JSONValue) -> SourceObject? {
        LabWorkflow.sourceObject(in: doc).map {
            SourceObject(location: $0, named: "--parameters-file (video.namespace/srcBucket/srcVideo)")
        }
    }

    /// HEAD on the job's source object before the job is created. Missing (404): the job would only fail later, so
    /// nothing is created (exit 5). Not allowed to look (401/403), or no usable answer: a warning, and the job is
    /// created anyway (the job's own policy may read what this user cannot). Skipped with a custom Media Services
    /// endpoint (--endpoint) and no Object Storage one: the region's Object Storage is not where that job reads.
    static func checkSource(_ source: SourceObject, endpoint: String?, _ ctx: CommandContext) throws(MediaError) {
        let settings = try ctx.connections().settings
        if endpoint == nil, settings.objectStorageEndpoint == nil, settings.oci.endpoint != nil {
            if settings.debug { ctx.io.debug("source object \(source.path) not checked: --endpoint without --objectstorage-endpoint") }
            return
        }
        do throws(MediaError) {
            let (objects, _) = try ctx.objectStorage(endpoint: endpoint, parallel: 1)
            let l = source.location
            _ = try objects.headObject(namespace: l.namespace, bucket: l.bucket, object: l.object)
        } catch {
            switch error {
            case let .notFound(failure):
                let id = failure.requestID.map { " (opc-request-id: \($0))" } ?? ""
                ctx.io.error("\(source.named): the source object \(source.path) does not exist (or you may not see it); no job was created\(id)")
                throw .reported(error)
            case let .auth(_, failure):
                let why = failure?.status == 401 ? "Object Storage did not accept the credentials" : "not authorized to read it"
                ctx.io.warn("cannot check the source object \(source.path): \(why); creating the job anyway")
            case .cancelled, .declined, .reported:
                throw error
            default:
                ctx.io.warn("cannot check the source object \(source.path): \(error.message); creating the job anyway")
            }
        }
    }

    /// Job parameters: an object whose values are objects (top key = group or task key).
    static func checkParameters(_ doc: JSONValue) throws(MediaError) {
        guard let groups = doc.objectValue else {
            throw .usage("--parameters-file: expected a JSON object such as {\"video\": {...}}, got \(doc.typeName)")
        }
        for (name, value) in groups where !value.isObject {
            throw .usage("--parameters-file: /\(Pointer.escape(name)) must be an object of parameters, got \(value.typeName)")
        }
    }
}
