// Jobs: creation (scripted, or real with ffmpeg), the scripted lifecycle (one step per GET, or on the clock), real jobs' progress.
import Foundation
import MediaKit

extension ResourceStore {
    /// Where a job is in its scripted life: every GET by id moves it one step, or the clock does.
    struct JobRun {
        var polls = 0
        /// When it was accepted: the clock's origin for this job.
        var created: Date
        var finished = false
        let taskKeys: [String]
        /// Set by a fault rule (JobFaults.swift) when the job is scripted to fail: which task fails and why.
        var failure: Failure?
        let outputs: JSONValue
        /// Run for real by the media runner: neither polls nor the clock move it.
        var media = false

        struct Failure: Equatable {
            let taskIndex: Int
            let message: String
        }
    }

    /// POST /mediaWorkflowJobs, by workflow id or (workflowIdentifierType NAME) by a system workflow's name. The table has
    /// checked the fields' types.
    mutating func createJob(_ f: Fields, now: Date) throws(APIError) -> JSONValue {
        let identifierType = try f.oneOf("workflowIdentifierType", ["ID", "NAME"])
        let parameters = f.value("parameters") ?? .object([])
        try Self.validateParameters(parameters, field: "parameters")
        try existingConfigurations(f)

        let workflowID: String
        let workflow: JSONValue
        if identifierType == "NAME" {
            let name = try f.requiredString("mediaWorkflowName")
            guard let system = SystemWorkflows.named(name) else { throw .referenceNotFound("mediaWorkflowName", name) }
            (workflowID, workflow) = (system.id, system.json)
        } else {
            workflowID = try f.requiredString("mediaWorkflowId")
            guard let stored = resources[workflowID], stored.kind == .workflow else { throw .referenceNotFound("mediaWorkflowId", workflowID) }
            workflow = stored.json
        }
        let tasks = workflow["tasks"]?.arrayValue ?? []
        let keys = tasks.compactMap { $0["key"]?.stringValue }
        if executesMedia { return try createMediaJob(f, workflowID: workflowID, workflow: workflow, parameters: parameters, now: now) }

        // It succeeds unless a fault rule (JobFaults.swift) fails it: nothing in its parameters decides that.
        let run = JobRun(created: now, taskKeys: keys, failure: nil, outputs: Self.playlistOutputs(parameters))
        let json = insert(.job, body: f.json, now: now, extra: [
            ("mediaWorkflowId", .string(workflowID)),
            ("parameters", parameters),
            ("lifecycleState", LifecycleState.accepted.json),
            ("taskLifecycleState", Self.taskStates(keys, { _ in (.accepted, "accepted, not started") })),
        ])
        if let id = json["id"]?.stringValue { putJob(id, run) }
        return json
    }

    /// The parameter layers of a job, lowest first (protocols.md §6.7): the workflow's parameters, the workflow's
    /// configurations, the job's configurations, the job's parameters.
    func parameterLayers(workflow: JSONValue, job f: Fields, parameters: JSONValue) -> [JSONValue] {
        let configurations = (workflow["mediaWorkflowConfigurationIds"]?.arrayValue ?? []).compactMap(\.stringValue)
            + ((try? f.stringArray("mediaWorkflowConfigurationIds")) ?? nil ?? [])
        return [workflow["parameters"] ?? .object([])]
            + configurations.compactMap { resources[$0]?.json["parameters"] }
            + [parameters]
    }

    /// Real mode: the references are resolved now (a bad one is the create's 400, as on the service), the result
    /// is the job's `runnable`, and the job waits ACCEPTED for the media runner.
    mutating func createMediaJob(_ f: Fields, workflowID: String, workflow: JSONValue, parameters: JSONValue,
                                         now: Date) throws(APIError) -> JSONValue {
        let tasks = workflow["tasks"]?.arrayValue ?? []
        let keys = tasks.compactMap { $0["key"]?.stringValue }
        let resolved: ResolvedWorkflow
        do {
            resolved = try ParameterResolution.resolve(tasks: tasks, layers: parameterLayers(workflow: workflow, job: f, parameters: parameters))
        } catch {
            throw .invalid("parameters", "a workflow reference cannot be resolved with these job parameters: \(error.description)")
        }
        let json = insert(.job, body: f.json, now: now, extra: [
            ("mediaWorkflowId", .string(workflowID)),
            ("parameters", parameters),
            ("runnable", resolved.runnable),
            ("lifecycleState", LifecycleState.accepted.json),
            ("lifecycleDetails", "accepted; waiting for the media runner"),
            ("taskLifecycleState", Self.taskStates(keys, { _ in (.accepted, "accepted, not started") })),
        ])
        if let id = json["id"]?.stringValue {
            var run = JobRun(created: now, taskKeys: keys, failure: nil, outputs: .array([]))
            run.media = true
            putJob(id, run)
            pendingMedia.append((id, .workflow(resolved)))
        }
        return json
    }

    // MARK: - Job lifecycle

    /// Per-GET progress (the test fake): each GET of the job moves it one step.
    mutating func advanceJob(_ id: String, now: Date) {
        guard var run = jobs[id], !run.finished, !run.media else { return }
        run.polls += 1
        let keys = run.taskKeys
        // Tasks complete in order as polls go by, but never past the task scripted to fail.
        let phase: JobPhase = run.polls <= pollsInProgress
            ? .inProgress(done: keys.count * (run.polls - 1) / max(pollsInProgress, 1)) : .ended
        apply(phase, to: id, run: run, now: now)
    }

    /// Clock progress (the real emulator): ACCEPTED for the first 15% of the job's duration, then
    /// IN_PROGRESS with tasks finishing in order, then its end. Runs before every call and on a timer.
    mutating func advanceJobsByClock(now: Date) {
        guard let duration = jobDuration else { return }
        for id in activeJobs {
            guard let run = jobs[id], !run.finished, !run.media else { continue }
            let elapsed = now.timeIntervalSince(run.created)
            let accepted = duration * 0.15
            let phase: JobPhase
            if elapsed >= duration { phase = .ended }
            else if elapsed < accepted { continue }
            else {
                let fraction = (elapsed - accepted) / max(duration - accepted, 0.001)
                phase = .inProgress(done: min(run.taskKeys.count - 1, Int(Double(run.taskKeys.count) * fraction)))
            }
            apply(phase, to: id, run: run, now: now)
        }
    }

    enum JobPhase: Equatable {
        /// The first `done` tasks have SUCCEEDED.
        case inProgress(done: Int)
        case ended
    }

    mutating func apply(_ phase: JobPhase, to id: String, run: JobRun, now: Date) {
        guard var json = resources[id]?.json else { return }
        var run = run
        let before = json
        let stamp = JSONValue.string(Timestamps.rfc3339(now))
        if json["timeStarted"] == nil { json.set("timeStarted", stamp) }
        let keys = run.taskKeys
        var scripted = false
        if run.failure == nil && !jobFaults.isEmpty {
            let succeeded = json["taskLifecycleState"]?.arrayValue?.filter { $0["lifecycleState"] == LifecycleState.succeeded.json }.count ?? 0
            run.failure = scriptedFailure(jobID: id, json: json, taskKeys: keys, succeeded: succeeded)
            scripted = run.failure != nil
        }
        switch phase {
        case let .inProgress(done: finished):
            let done = min(max(finished, 0), run.failure?.taskIndex ?? keys.count)
            json.set("lifecycleState", LifecycleState.inProgress.json)
            json.set("taskLifecycleState", Self.taskStates(keys) { i in
                i < done ? (.succeeded, "completed") : i == done ? (.inProgress, "running") : (.waiting, "waiting for prerequisites")
            })
        case .ended:
            run.finished = true
            if let failure = run.failure {
                let failedKey = keys.indices.contains(failure.taskIndex) ? keys[failure.taskIndex] : "transcode"
                json.set("lifecycleState", LifecycleState.failed.json)
                json.set("lifecycleDetails", .string(failure.message))
                json.set("taskLifecycleState", Self.taskStates(keys) { i in
                    i < failure.taskIndex ? (.succeeded, "completed")
                        : i == failure.taskIndex ? (.failed, failure.message) : (.canceled, "not run: task \(failedKey) failed")
                })
            } else {
                json.set("lifecycleState", LifecycleState.succeeded.json)
                json.set("lifecycleDetails", "The job completed successfully.")
                json.set("taskLifecycleState", Self.taskStates(keys) { _ in (.succeeded, "completed") })
                if run.outputs.arrayValue?.isEmpty == false { json.set("outputs", run.outputs) }
            }
            json.set("timeEnded", stamp)
        }
        // On the clock, a tick that changes nothing visible writes nothing.
        // (A failure a rule just scripted is written at once: the rule's count is already used up.)
        if jobDuration != nil && !run.finished && !scripted && Self.sameProgress(before, json) { return }
        json.set("timeUpdated", stamp)
        putJob(id, run)
        if var stored = resources[id] {
            stored.json = json
            putResource(id, stored)
        }
    }

    static func sameProgress(_ a: JSONValue, _ b: JSONValue) -> Bool {
        a["lifecycleState"] == b["lifecycleState"] && a["taskLifecycleState"] == b["taskLifecycleState"]
            && a["timeStarted"] == b["timeStarted"]
    }

    static func taskStates(_ keys: [String], _ state: (Int) -> (LifecycleState, String)) -> JSONValue {
        .array(keys.enumerated().map { i, key in
            let (lifecycle, details) = state(i)
            return ["key": .string(key), "lifecycleState": lifecycle.json, "lifecycleDetails": .string(details)]
        })
    }

    /// The master playlist a lab-style transcode writes: `{objectNamePath}{prefix}-master.m3u8` with the lab's
    /// `sdk_test/{srcVideo}/` path, so `mediactl` can register it as an asset as the lab does.
    static func playlistOutputs(_ parameters: JSONValue) -> JSONValue {
        func find(_ names: [String]) -> String? {
            for name in names { if let v = firstString(in: parameters, key: name) { return v } }
            return nil
        }
        let prefix = find(["outputPrefixName", "outputPrefix"]) ?? "output"
        let object = find(["srcVideo", "objectName"]).map { "sdk_test/\($0)/\(prefix)-master.m3u8" } ?? "\(prefix)-master.m3u8"
        return [["assetType": "PLAYLIST", "namespaceName": .string(find(["namespace", "namespaceName"]) ?? "namespace"),
                 "bucketName": .string(find(["dstBucket", "bucketName"]) ?? "output"), "objectName": .string(object)]]
    }


    /// A real job's new state from the media runner; the end of the job also ends its run record.
    mutating func applyMediaProgress(_ id: String, _ progress: MediaJobProgress, now: Date) {
        guard var run = jobs[id], run.media, !run.finished, var stored = resources[id] else { return }
        let stamp = JSONValue.string(Timestamps.rfc3339(now))
        var json = stored.json
        if json["timeStarted"] == nil { json.set("timeStarted", stamp) }
        json.set("lifecycleState", .string(progress.lifecycleState))
        json.set("lifecycleDetails", .string(progress.lifecycleDetails))
        json.set("taskLifecycleState", progress.taskStatesJSON)
        if !progress.outputs.isEmpty { json.set("outputs", .array(progress.outputs)) }
        if progress.isTerminal {
            json.set("timeEnded", stamp)
            run.finished = true
            putJob(id, run)
        }
        json.set("timeUpdated", stamp)
        stored.json = json
        putResource(id, stored)
    }

    /// After a restart, a real job that was running has lost its worker: it ends FAILED, saying so.
    mutating func failInterruptedMediaJobs(now: Date) {
        for (id, run) in jobs where run.media && !run.finished {
            let keys = run.taskKeys
            var progress = MediaJobProgress(tasks: keys.map { .init(key: $0, state: LifecycleState.canceled.rawValue, details: "not run: the emulator restarted") })
            if let states = resources[id]?.json["taskLifecycleState"]?.arrayValue {
                for (i, state) in states.enumerated() where i < progress.tasks.count {
                    if let s = state["lifecycleState"]?.stringValue, [LifecycleState.succeeded.rawValue, "SKIPPED"].contains(s) {
                        progress.tasks[i].state = s
                        progress.tasks[i].details = state["lifecycleDetails"]?.stringValue ?? ""
                    } else if state["lifecycleState"]?.stringValue == LifecycleState.inProgress.rawValue {
                        progress.tasks[i].state = LifecycleState.failed.rawValue
                        progress.tasks[i].details = "interrupted: the emulator stopped while the task ran"
                    }
                }
            }
            progress.lifecycleState = LifecycleState.failed.rawValue
            progress.lifecycleDetails = "the emulator stopped while the job ran; create the job again"
            applyMediaProgress(id, progress, now: now)
        }
    }

    /// The first string value stored under `key` anywhere in `value`.
    static func firstString(in value: JSONValue, key: String) -> String? {
        switch value {
        case let .array(items): return items.lazy.compactMap { firstString(in: $0, key: key) }.first
        case let .object(members):
            if let s = value[key]?.stringValue { return s }
            return members.lazy.compactMap { firstString(in: $0.1, key: key) }.first
        default: return nil
        }
    }
}
