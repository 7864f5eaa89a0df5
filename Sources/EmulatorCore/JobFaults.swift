// Scripted job and ingest failures: rules (POST /_emulator/faults, --fault) name the job or task, or the ingest, that fails and the message it fails with. Nothing is inferred from names or parameters a user chose.
import MediaKit

/// One scripted failure of simulated jobs. Parsed from the admin endpoint's JSON in EmulatorServer (FaultInjector.swift),
/// applied by ResourceStore as a job runs: the first step of a matching job after the rule exists decides it.
public struct JobFaultRule: Sendable, Equatable {
    public enum Target: Sendable, Equatable {
        /// Media workflow jobs, by id or display name (nil: any job), failing at the task with this key (nil: the
        /// job's transcode task, else its first task). A job whose named task already succeeded is not matched.
        case job(String?, task: String?)
        /// Ingest jobs (POST .../actions/ingest) of an asset named by its id, display name or object name, or the
        /// ingest job's own id.
        case ingest(String)
    }

    public var target: Target
    /// The failed job's `lifecycleDetails` and the failed task's; nil: a default naming the task and the rule.
    public var message: String?
    /// How many jobs this rule fails; nil = every matching job until the rules are cleared.
    public var remaining: Int?

    public init(target: Target, message: String? = nil, count: Int? = nil) {
        self.target = target
        self.message = message
        self.remaining = count
    }

    public var json: JSONValue {
        var doc: JSONValue = [:]
        switch target {
        case let .job(job, task):
            if let job { doc.set("job", .string(job)) }
            if let task { doc.set("task", .string(task)) }
        case let .ingest(name): doc.set("ingest", .string(name))
        }
        if let message { doc.set("message", .string(message)) }
        if let remaining { doc.set("count", .int(remaining)) }
        return doc
    }
}

extension ResourceStore {
    /// The failure a rule scripts for this job, if one matches now; the match uses up one of the rule's count.
    /// `succeeded` is how many of the job's tasks have already succeeded (a task that ran cannot fail any more).
    mutating func scriptedFailure(jobID: String, json: JSONValue, taskKeys: [String], succeeded: Int) -> JobRun.Failure? {
        for i in jobFaults.indices {
            guard let failure = match(jobFaults[i], jobID: jobID, json: json, taskKeys: taskKeys, succeeded: succeeded) else { continue }
            if let n = jobFaults[i].remaining {
                if n <= 1 { jobFaults.remove(at: i) } else { jobFaults[i].remaining = n - 1 }
            }
            return failure
        }
        return nil
    }

    private func match(_ rule: JobFaultRule, jobID: String, json: JSONValue, taskKeys: [String], succeeded: Int) -> JobRun.Failure? {
        // Ingest jobs run the emulator's fixed ingest workflow (ResourceStore.ingest); every other job ran a user's workflow.
        let isIngest = json["mediaWorkflowId"]?.stringValue == Self.ingestWorkflowID
        let ingestedAsset = isIngest ? json["parameters"]?["ingest"]?["mediaAssetId"]?.stringValue : nil
        switch rule.target {
        case let .job(name, task):
            guard ingestedAsset == nil else { return nil }
            if let name, name != jobID, name != json["displayName"]?.stringValue { return nil }
            let index: Int
            if let task {
                guard let i = taskKeys.firstIndex(of: task) else { return nil }
                index = i
            } else {
                index = transcodeTaskIndex(json, taskKeys: taskKeys) ?? 0
            }
            guard taskKeys.indices.contains(index), index >= succeeded else { return nil }
            return JobRun.Failure(taskIndex: index, message: rule.message ?? "task \(taskKeys[index]) failed (an emulator fault rule)")
        case let .ingest(name):
            guard let assetID = ingestedAsset, succeeded == 0 else { return nil }
            let asset = resources[assetID]?.json
            let names = [jobID, assetID, asset?["displayName"]?.stringValue, asset?["objectName"]?.stringValue]
            guard names.contains(name) else { return nil }
            return JobRun.Failure(taskIndex: 0, message: rule.message ?? "ingest failed (an emulator fault rule)")
        }
    }

    /// The index of the job's first transcode task, by its workflow's task types.
    private func transcodeTaskIndex(_ json: JSONValue, taskKeys: [String]) -> Int? {
        guard let workflowID = json["mediaWorkflowId"]?.stringValue,
              let tasks = resources[workflowID]?.json["tasks"]?.arrayValue,
              let key = tasks.first(where: { $0["type"]?.stringValue == "transcode" })?["key"]?.stringValue else { return nil }
        return taskKeys.firstIndex(of: key)
    }
}
