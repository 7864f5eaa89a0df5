// The emulator's in-memory state: resources and their create-time validation, job lifecycles, retry tokens and stream session tokens.
import Foundation
import MediaKit

/// Not thread-safe on its own: MediaServicesEmulator owns one and only touches it under its lock.
struct ResourceStore {
    let streamHost: String
    let pollsInProgress: Int
    /// Seconds from a job's creation to its end when jobs run on the clock; nil = one step per GET.
    let jobDuration: Double?
    /// Real media processing: jobs and ingests run with ffmpeg against `objects` instead of on a script.
    let executesMedia: Bool
    /// The emulated Object Storage: real jobs read and write it, playback serves assets from it.
    let objects: ObjectStore?

    // Internal rather than private so the persistence extension (ResourceStore+Persistence.swift) can reach them.
    var resources: [String: Stored] = [:]
    var nextSequence = 0
    var jobs: [String: JobRun] = [:]
    /// The list index over `resources` (ResourceIndex.swift), kept by `putResource`.
    var index = ResourceIndex()
    /// Scripted jobs the clock still moves: the clock looks at these, not at every job ever run.
    var activeJobs: Set<String> = []
    /// Scripted job and ingest failures (JobFaults.swift); like the other fault rules, not kept across a restart.
    var jobFaults: [JobFaultRule] = []
    /// Shares repeated strings while records are restored (ResourceStore+Persistence.swift); emptied after.
    var restoreInterner = RestoreInterner()
    var retryRecords: [String: RetryRecord] = [:]
    var sessions: [String: Session] = [:]
    /// What changed since the last save, for the persistence layer.
    var journal = StateJournal()
    /// Real jobs created since the emulator last looked: it hands them to the media runner after the call.
    var pendingMedia: [(jobID: String, plan: MediaJobPlan)] = []

    init(streamHost: String, pollsInProgress: Int, jobDuration: Double? = nil, executesMedia: Bool = false, objects: ObjectStore? = nil) {
        self.streamHost = streamHost
        self.pollsInProgress = max(0, pollsInProgress)
        self.jobDuration = jobDuration.map { max(0, $0) }
        self.executesMedia = executesMedia
        self.objects = objects
    }

    struct Stored {
        let kind: ResourceKind
        var json: JSONValue
        /// Creation order: the default list order, and stable across equal timestamps.
        let sequence: Int
    }

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

    struct RetryRecord {
        let operation: String
        let body: JSONValue
        let response: JSONValue
        let created: Date
    }

    struct Session {
        let packagingConfigID: String
        let scopes: [String]
        let assetIDs: [String]
        let expires: Date?
    }

    /// Retry tokens live 24 h (protocols.md §5.3).
    static let retryTokenLifetime: TimeInterval = 24 * 3600

    // MARK: - Create

    mutating func create(_ kind: ResourceKind, body: JSONValue, now: Date) throws(APIError) -> JSONValue {
        let f = try Fields(body)
        switch kind {
        case .workflow: return try createWorkflow(f, now: now)
        case .job: return try createJob(f, now: now)
        case .channel: return try createChannel(f, now: now)
        case .cdnConfig: return try createCdnConfig(f, now: now)
        case .packagingConfig: return try createPackagingConfig(f, now: now)
        case .asset: return try createAsset(f, now: now)
        }
    }

    private mutating func createWorkflow(_ f: Fields, now: Date) throws(APIError) -> JSONValue {
        _ = try f.requiredString("displayName")
        _ = try f.requiredString("compartmentId")
        let tasks = try f.array("tasks") ?? []
        try Self.validateTasks(tasks)
        if let parameters = f.value("parameters") { try Self.validateParameters(parameters, field: "parameters") }
        _ = try f.stringArray("mediaWorkflowConfigurationIds")
        return insert(.workflow, body: f.json, now: now, extra: [
            ("tasks", .array(tasks)),
            ("parameters", f.value("parameters") ?? .object([])),
            ("version", 1),
            ("lifecycleState", "ACTIVE"),
            // Misspelt on purpose: that is the MediaWorkflow wire name (protocols.md §8 G8).
            ("lifecyleDetails", "The workflow is active and can run jobs."),
        ])
    }

    private mutating func createJob(_ f: Fields, now: Date) throws(APIError) -> JSONValue {
        let identifierType = try f.oneOf("workflowIdentifierType", ["ID", "NAME"])
        _ = try f.requiredString("compartmentId")
        _ = try f.string("displayName")
        _ = try f.stringArray("mediaWorkflowConfigurationIds")
        let parameters = f.value("parameters") ?? .object([])
        try Self.validateParameters(parameters, field: "parameters")

        let workflowID: String
        if identifierType == "NAME" {
            // System workflows (GET /systemMediaWorkflows) are not emulated, so no name can match.
            let name = try f.requiredString("mediaWorkflowName")
            throw .referenceNotFound("mediaWorkflowName", name)
        } else {
            workflowID = try f.requiredString("mediaWorkflowId")
        }
        guard let workflow = resources[workflowID], workflow.kind == .workflow else {
            throw .referenceNotFound("mediaWorkflowId", workflowID)
        }
        let tasks = workflow.json["tasks"]?.arrayValue ?? []
        let keys = tasks.compactMap { $0["key"]?.stringValue }
        if executesMedia { return try createMediaJob(f, workflowID: workflowID, workflow: workflow.json, parameters: parameters, now: now) }

        // It succeeds unless a fault rule (JobFaults.swift) fails it: nothing in its parameters decides that.
        let run = JobRun(created: now, taskKeys: keys, failure: nil, outputs: Self.playlistOutputs(parameters))
        let json = insert(.job, body: f.json, now: now, extra: [
            ("mediaWorkflowId", .string(workflowID)),
            ("parameters", parameters),
            ("lifecycleState", "ACCEPTED"),
            ("taskLifecycleState", Self.taskStates(keys, { _ in ("ACCEPTED", "accepted, not started") })),
        ])
        if let id = json["id"]?.stringValue { putJob(id, run) }
        return json
    }

    /// Real mode: the references are resolved now (a bad one is the create's 400, as on the service), the result
    /// is the job's `runnable`, and the job waits ACCEPTED for the media runner.
    private mutating func createMediaJob(_ f: Fields, workflowID: String, workflow: JSONValue, parameters: JSONValue,
                                         now: Date) throws(APIError) -> JSONValue {
        let tasks = workflow["tasks"]?.arrayValue ?? []
        let keys = tasks.compactMap { $0["key"]?.stringValue }
        let resolved: ResolvedWorkflow
        do {
            // Precedence, lowest first (§6.7): workflow parameters, then the job's. Configurations are not emulated.
            resolved = try ParameterResolution.resolve(tasks: tasks, layers: [workflow["parameters"] ?? .object([]), parameters])
        } catch {
            throw .invalid("parameters", "a workflow reference cannot be resolved with these job parameters: \(error.description)")
        }
        let json = insert(.job, body: f.json, now: now, extra: [
            ("mediaWorkflowId", .string(workflowID)),
            ("parameters", parameters),
            ("runnable", resolved.runnable),
            ("lifecycleState", "ACCEPTED"),
            ("lifecycleDetails", "accepted; waiting for the media runner"),
            ("taskLifecycleState", Self.taskStates(keys, { _ in ("ACCEPTED", "accepted, not started") })),
        ])
        if let id = json["id"]?.stringValue {
            var run = JobRun(created: now, taskKeys: keys, failure: nil, outputs: .array([]))
            run.media = true
            putJob(id, run)
            pendingMedia.append((id, .workflow(resolved)))
        }
        return json
    }

    private mutating func createChannel(_ f: Fields, now: Date) throws(APIError) -> JSONValue {
        _ = try f.requiredString("displayName")
        _ = try f.requiredString("compartmentId")
        return insert(.channel, body: f.json, now: now, extra: [
            ("domainName", .string(streamHost)),
            ("lifecycleState", "ACTIVE"),
        ])
    }

    private mutating func createCdnConfig(_ f: Fields, now: Date) throws(APIError) -> JSONValue {
        _ = try f.requiredString("displayName")
        let channel = try existingChannel(f.requiredString("distributionChannelId"))
        let isEnabled = try f.bool("isEnabled") ?? true
        guard let config = f.value("config") else { throw .missing("config") }
        _ = try Fields(config, at: "config.").oneOf("type", ["EDGE", "AKAMAI_MANUAL"])
        return insert(.cdnConfig, body: f.json, now: now, extra: [
            // CDN and packaging configs have no compartmentId in the request: they inherit the channel's.
            ("compartmentId", channel.json["compartmentId"] ?? .null),
            ("isEnabled", .bool(isEnabled)),
            ("lifecycleState", "ACTIVE"),
            ("lifecyleDetails", .string(isEnabled ? "Publishing is enabled." : "Publishing is disabled.")),
        ])
    }

    private mutating func createPackagingConfig(_ f: Fields, now: Date) throws(APIError) -> JSONValue {
        _ = try f.requiredString("displayName")
        let channel = try existingChannel(f.requiredString("distributionChannelId"))
        _ = try f.oneOf("streamPackagingFormat", ["HLS", "DASH"])
        guard let seconds = try f.int("segmentTimeInSeconds") else { throw .missing("segmentTimeInSeconds") }
        guard seconds > 0 else { throw .invalid("segmentTimeInSeconds", "must be a positive number of seconds, got \(seconds)") }
        if let encryption = f.value("encryption") {
            let e = try Fields(encryption, at: "encryption.")
            let algorithm = try e.oneOf("algorithm", ["NONE", "AES128"])
            if try e.string("kmsKeyId") != nil, algorithm == "NONE" {
                throw .invalid("encryption.kmsKeyId", "a KMS key only applies to AES128 encryption")
            }
        }
        return insert(.packagingConfig, body: f.json, now: now, extra: [
            ("compartmentId", channel.json["compartmentId"] ?? .null),
            ("lifecycleState", "ACTIVE"),
        ])
    }

    private mutating func createAsset(_ f: Fields, now: Date) throws(APIError) -> JSONValue {
        _ = try f.requiredString("compartmentId")
        _ = try f.oneOf("type", ["AUDIO", "VIDEO", "PLAYLIST", "IMAGE", "CAPTION_FILE", "UNKNOWN"])
        for name in ["displayName", "bucketName", "namespaceName", "objectName", "objectEtag", "parentMediaAssetId",
                     "masterMediaAssetId", "mediaWorkflowJobId", "sourceMediaWorkflowId"] {
            _ = try f.string(name)
        }
        return insert(.asset, body: f.json, now: now, extra: [("lifecycleState", "ACTIVE")])
    }

    private func existingChannel(_ id: String) throws(APIError) -> Stored {
        guard let channel = resources[id], channel.kind == .channel else { throw .referenceNotFound("distributionChannelId", id) }
        return channel
    }

    /// Stores a new resource: its id first, then the request's fields, then the service-owned fields.
    private mutating func insert(_ kind: ResourceKind, body: JSONValue, now: Date, extra: [(String, JSONValue)]) -> JSONValue {
        let id = Self.newOCID(kind)
        let stamp = JSONValue.string(Timestamps.rfc3339(now))
        var json: JSONValue = ["id": .string(id)]
        for (key, value) in body.objectValue ?? [] where key != "id" && value != .null { json.set(key, value) }
        for (key, value) in extra { json.set(key, value) }
        json.set("timeCreated", stamp)
        json.set("timeUpdated", stamp)
        putResource(id, Stored(kind: kind, json: json, sequence: nextSequence))
        nextSequence += 1
        journal.note(Self.metaTable, "nextSequence", .int(nextSequence))
        return json
    }

    // MARK: - Read, delete, list

    /// GET by id. A job moves one step through its scripted life on every GET, so a client's wait loop
    /// sees ACCEPTED → IN_PROGRESS (pollsInProgress times) → SUCCEEDED/FAILED.
    mutating func get(_ kind: ResourceKind, id: String, now: Date) throws(APIError) -> JSONValue {
        guard let stored = resources[id], stored.kind == kind else { throw .notFound }
        if kind == .job && jobDuration == nil { advanceJob(id, now: now) }
        return resources[id]?.json ?? stored.json
    }

    /// PUT by id (the SDK's update_* calls): the Update*Details fields given replace the stored ones; identity,
    /// compartment and service-owned fields cannot be set this way. A workflow's version goes up by one.
    mutating func update(_ kind: ResourceKind, id: String, body: JSONValue, now: Date, lockOverride: Bool = false) throws(APIError) -> JSONValue {
        guard var stored = resources[id], stored.kind == kind else { throw .notFound }
        try Self.checkLocks(stored, blocking: ["FULL"], override: lockOverride, doing: "updated")
        let f = try Fields(body)
        let serviceOwned: Set<String> = ["id", "compartmentId", "lifecycleState", "lifecycleDetails", "lifecyleDetails", "timeCreated",
                                         "timeUpdated", "domainName", "version", "distributionChannelId", "systemTags", "locks"]
        if let owned = f.json.objectValue?.first(where: { serviceOwned.contains($0.0) && $0.1 != .null })?.0 {
            throw .invalid(owned, "cannot be changed by an update")
        }
        _ = try f.string("displayName")
        if let tasks = try f.array("tasks") { try Self.validateTasks(tasks) }
        if let parameters = f.value("parameters"), parameters != .null { try Self.validateParameters(parameters, field: "parameters") }
        if kind == .cdnConfig { _ = try f.bool("isEnabled") }
        if kind == .asset, f.value("type") != nil, f.value("type") != .null {
            _ = try f.oneOf("type", ["AUDIO", "VIDEO", "PLAYLIST", "IMAGE", "CAPTION_FILE", "UNKNOWN"])
        }
        for (key, value) in f.json.objectValue ?? [] where value != .null { stored.json.set(key, value) }
        if kind == .workflow { stored.json.set("version", .int((stored.json["version"]?.intValue ?? 1) + 1)) }
        stored.json.set("timeUpdated", .string(Timestamps.rfc3339(now)))
        putResource(id, stored)
        return stored.json
    }

    mutating func delete(_ kind: ResourceKind, id: String, lockOverride: Bool = false) throws(APIError) {
        guard let stored = resources[id], stored.kind == kind else { throw .notFound }
        try Self.checkLocks(stored, blocking: ["FULL", "DELETE"], override: lockOverride, doing: "deleted")
        putResource(id, nil)
        if jobs[id] != nil { putJob(id, nil) }
    }

    /// POST /{collection}/{id}/actions/addLock | removeLock (the SDK's add_*_lock / remove_*_lock: the resource with
    /// its `locks` back) and changeCompartment (no body back). A FULL lock stops updates, moves and deletes, a DELETE
    /// lock deletes, unless the call says isLockOverride=true.
    mutating func act(_ kind: ResourceKind, id: String, action: String, body: JSONValue, now: Date,
                      lockOverride: Bool = false) throws(APIError) -> JSONValue? {
        guard var stored = resources[id], stored.kind == kind else { throw .notFound }
        let f = try Fields(body)
        var locks = stored.json["locks"]?.arrayValue ?? []
        switch action {
        case "addLock":
            let type = try f.oneOf("type", ["FULL", "DELETE"])
            let compartment = try f.requiredString("compartmentId")
            if locks.contains(where: { $0["type"]?.stringValue == type }) {
                throw APIError(status: 409, code: "Conflict", message: "The resource already has a \(type) lock.")
            }
            var lock: JSONValue = ["type": .string(type), "compartmentId": .string(compartment)]
            if let related = try f.string("relatedResourceId") { lock.set("relatedResourceId", .string(related)) }
            if let message = try f.string("message") { lock.set("message", .string(message)) }
            lock.set("timeCreated", .string(Timestamps.rfc3339(now)))
            locks.append(lock)
        case "removeLock":
            let type = try f.oneOf("type", ["FULL", "DELETE"])
            _ = try f.requiredString("compartmentId")
            guard let index = locks.firstIndex(where: { $0["type"]?.stringValue == type }) else {
                throw .invalid("type", "the resource has no \(type) lock")
            }
            locks.remove(at: index)
        case "changeCompartment" where [.workflow, .job, .channel, .asset].contains(kind):
            let compartment = try f.requiredString("compartmentId")
            try Self.checkLocks(stored, blocking: ["FULL"], override: lockOverride, doing: "moved")
            stored.json.set("compartmentId", .string(compartment))
            stored.json.set("timeUpdated", .string(Timestamps.rfc3339(now)))
            putResource(id, stored)
            return nil
        default:
            throw .notFound
        }
        stored.json.set("locks", .array(locks))
        putResource(id, stored)
        return stored.json
    }

    private static func checkLocks(_ stored: Stored, blocking: Set<String>, override: Bool, doing: String) throws(APIError) {
        guard !override, let lock = stored.json["locks"]?.arrayValue?.first(where: { blocking.contains($0["type"]?.stringValue ?? "") }) else { return }
        throw APIError(status: 409, code: "Conflict",
                       message: "The resource has a \(lock["type"]?.stringValue ?? "") lock and cannot be \(doing); remove the lock or pass isLockOverride=true.")
    }

    /// One page of a collection; `query` is the decoded query string. Lists never advance jobs.
    /// The index gives the candidates in creation order (the smallest posting among the scope and the filters given),
    /// so the default order costs a binary search plus the page; other sort orders sort only the matching resources.
    func list(_ kind: ResourceKind, query: [(String, String)], defaultLimit: Int) throws(APIError) -> (items: [JSONValue], nextPage: String?) {
        func param(_ name: String) -> String? { query.first { $0.0 == name }?.1 }
        guard let scope = param(kind.listScope), !scope.isEmpty else { throw .missing(kind.listScope) }

        var filters: [(field: String, value: String)] = [(kind.listScope, scope)]
        let declared = kind.listFilters
        for (name, value) in query { if let filter = declared.first(where: { $0.parameter == name }) { filters.append((filter.field, value)) } }

        let sortField: String?
        switch param("sortBy") {
        case nil, "timeCreated": sortField = nil
        // Every sort field an SDK list operation offers (jobs' workflowId, assets' type, parent, master, ...).
        case let key? where ["displayName", "lifecycleState", "workflowId", "name", "timeUpdated", "compartmentId", "type",
                             "parentMediaAssetId", "masterMediaAssetId"].contains(key):
            sortField = key == "workflowId" ? "mediaWorkflowId" : key == "name" ? "displayName" : key
        case let other?: throw .invalid("sortBy", "unknown sort field \"\(other)\"")
        }
        let descending: Bool
        switch param("sortOrder") {
        case nil, "ASC": descending = false
        case "DESC": descending = true
        case let other?: throw .invalid("sortOrder", "must be ASC or DESC, got \"\(other)\"")
        }
        var limit = defaultLimit
        if let text = param("limit") {
            guard let n = Int(text), (1...1000).contains(n) else { throw .invalid("limit", "must be an integer from 1 to 1000, got \"\(text)\"") }
            limit = n
        }
        limit = max(limit, 1)
        var position = PagePosition.offset(0)
        if let page = param("page") {
            guard let p = PagePosition(token: page) else { throw .invalid("page", "\"\(page)\" is not a page token this service issued") }
            position = p
        }

        let candidates = candidateSequences(kind, scope: scope, filters: filters)
        func matching(_ sequence: Int) -> Stored? {
            guard let id = index.ids[sequence], let stored = resources[id], stored.kind == kind,
                  filters.allSatisfy({ stored.json[$0.field]?.stringValue == $0.value }) else { return nil }
            return stored
        }

        guard let sortField else {
            // Creation order: walk the posting from the token's place, in the asked direction, until the page is full
            // and one more match shows whether there is a next page.
            var i: Int
            var skip = 0
            switch position {
            case let .offset(n):
                i = descending ? candidates.count - 1 : 0
                skip = n
            case let .after(sequence):
                let bound = candidates.lowerBound(sequence)
                // Strictly past the last sequence served, in the walk's direction.
                i = descending ? bound - 1 : (bound < candidates.count && candidates[bound] == sequence ? bound + 1 : bound)
            }
            var page: [Stored] = []
            var more = false
            while i >= 0 && i < candidates.count {
                if let stored = matching(candidates[i]) {
                    if skip > 0 { skip -= 1 }
                    else if page.count < limit { page.append(stored) }
                    else { more = true; break }
                }
                i += descending ? -1 : 1
            }
            let next = more ? page.last.map { PagePosition.after($0.sequence).token } : nil
            return (page.map { Self.summary($0.json) }, next)
        }

        var items = candidates.compactMap(matching)
        items.sort { a, b in
            let x = a.json[sortField]?.stringValue ?? "", y = b.json[sortField]?.stringValue ?? ""
            return x == y ? a.sequence < b.sequence : x < y
        }
        if descending { items.reverse() }
        let offset: Int
        switch position {
        case let .offset(n): offset = n
        // An `after` token is only issued for creation order: here it means the sort changed between pages.
        case .after: throw .invalid("page", "this page token was issued for a list in creation order (sortBy=timeCreated)")
        }
        let start = min(offset, items.count)
        let end = min(start + limit, items.count)
        let next = end < items.count ? PagePosition.offset(end).token : nil
        return (items[start..<end].map { Self.summary($0.json) }, next)
    }

    /// The smallest set of resources that can match, ascending by sequence: one resource for an id filter, else
    /// the smallest posting among the scope and the indexed filters given. Every filter is still checked on each.
    private func candidateSequences(_ kind: ResourceKind, scope: String, filters: [(field: String, value: String)]) -> [Int] {
        if let id = filters.first(where: { $0.field == "id" })?.value {
            guard let stored = resources[id], stored.kind == kind else { return [] }
            return [stored.sequence]
        }
        let indexed = Set(kind.indexedFields)
        var best = index.posting(ResourceIndex.Key(kind: kind, scope: scope, field: "", value: ""))
        for filter in filters where filter.field != kind.listScope && indexed.contains(filter.field) {
            let posting = index.posting(ResourceIndex.Key(kind: kind, scope: scope, field: filter.field, value: filter.value))
            if posting.count < best.count { best = posting }
        }
        return best
    }

    /// List items are summaries, which spell `lifecycleDetails` correctly (protocols.md §6.4).
    private static func summary(_ json: JSONValue) -> JSONValue {
        guard let members = json.objectValue else { return json }
        return .object(members.map { $0.0 == "lifecyleDetails" ? ("lifecycleDetails", $0.1) : $0 })
    }

    /// Where the next page starts. Page tokens are opaque to clients: `after:N` (creation order: past the resource
    /// with sequence N, so deletes between pages neither skip nor repeat anything), `page:N` (other orders: an offset).
    enum PagePosition: Equatable {
        case offset(Int)
        case after(Int)

        var token: String {
            switch self {
            case let .offset(n): Data("page:\(n)".utf8).base64URLEncoded
            case let .after(n): Data("after:\(n)".utf8).base64URLEncoded
            }
        }

        init?(token: String) {
            guard let data = Data(base64URLEncoded: token), let text = String(data: data, encoding: .utf8) else { return nil }
            if text.hasPrefix("page:"), let n = Int(text.dropFirst(5)), n >= 0 { self = .offset(n) }
            else if text.hasPrefix("after:"), let n = Int(text.dropFirst(6)), n >= 0 { self = .after(n) }
            else { return nil }
        }
    }

    // MARK: - Job lifecycle

    /// Per-GET progress (the test fake): each GET of the job moves it one step.
    private mutating func advanceJob(_ id: String, now: Date) {
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

    private mutating func apply(_ phase: JobPhase, to id: String, run: JobRun, now: Date) {
        guard var json = resources[id]?.json else { return }
        var run = run
        let before = json
        let stamp = JSONValue.string(Timestamps.rfc3339(now))
        if json["timeStarted"] == nil { json.set("timeStarted", stamp) }
        let keys = run.taskKeys
        var scripted = false
        if run.failure == nil && !jobFaults.isEmpty {
            let succeeded = json["taskLifecycleState"]?.arrayValue?.filter { $0["lifecycleState"] == "SUCCEEDED" }.count ?? 0
            run.failure = scriptedFailure(jobID: id, json: json, taskKeys: keys, succeeded: succeeded)
            scripted = run.failure != nil
        }
        switch phase {
        case let .inProgress(done: finished):
            let done = min(max(finished, 0), run.failure?.taskIndex ?? keys.count)
            json.set("lifecycleState", "IN_PROGRESS")
            json.set("taskLifecycleState", Self.taskStates(keys) { i in
                i < done ? ("SUCCEEDED", "completed") : i == done ? ("IN_PROGRESS", "running") : ("WAITING", "waiting for prerequisites")
            })
        case .ended:
            run.finished = true
            if let failure = run.failure {
                let failedKey = keys.indices.contains(failure.taskIndex) ? keys[failure.taskIndex] : "transcode"
                json.set("lifecycleState", "FAILED")
                json.set("lifecycleDetails", .string(failure.message))
                json.set("taskLifecycleState", Self.taskStates(keys) { i in
                    i < failure.taskIndex ? ("SUCCEEDED", "completed")
                        : i == failure.taskIndex ? ("FAILED", failure.message) : ("CANCELED", "not run: task \(failedKey) failed")
                })
            } else {
                json.set("lifecycleState", "SUCCEEDED")
                json.set("lifecycleDetails", "The job completed successfully.")
                json.set("taskLifecycleState", Self.taskStates(keys) { _ in ("SUCCEEDED", "completed") })
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

    private static func sameProgress(_ a: JSONValue, _ b: JSONValue) -> Bool {
        a["lifecycleState"] == b["lifecycleState"] && a["taskLifecycleState"] == b["taskLifecycleState"]
            && a["timeStarted"] == b["timeStarted"]
    }

    private static func taskStates(_ keys: [String], _ state: (Int) -> (String, String)) -> JSONValue {
        .array(keys.enumerated().map { i, key in
            let (lifecycle, details) = state(i)
            return ["key": .string(key), "lifecycleState": .string(lifecycle), "lifecycleDetails": .string(details)]
        })
    }

    /// The master playlist a lab-style transcode writes: `{objectNamePath}{prefix}-master.m3u8` with the lab's
    /// `sdk_test/{srcVideo}/` path, so `mediactl` can register it as an asset as the lab does.
    private static func playlistOutputs(_ parameters: JSONValue) -> JSONValue {
        func find(_ names: [String]) -> String? {
            for name in names { if let v = firstString(in: parameters, key: name) { return v } }
            return nil
        }
        let prefix = find(["outputPrefixName", "outputPrefix"]) ?? "output"
        let object = find(["srcVideo", "objectName"]).map { "sdk_test/\($0)/\(prefix)-master.m3u8" } ?? "\(prefix)-master.m3u8"
        return [["assetType": "PLAYLIST", "namespaceName": .string(find(["namespace", "namespaceName"]) ?? "namespace"),
                 "bucketName": .string(find(["dstBucket", "bucketName"]) ?? "output"), "objectName": .string(object)]]
    }

    // MARK: - Ingest

    /// POST /streamDistributionChannels/{id}/actions/ingest: starts an ingest job; simulated, it succeeds unless
    /// a fault rule names it (JobFaults.swift).
    mutating func ingest(channelID: String, body: JSONValue, now: Date) throws(APIError) -> JSONValue {
        guard let channel = resources[channelID], channel.kind == .channel else { throw .notFound }
        let f = try Fields(body)
        _ = try f.oneOf("ingestPayloadType", ["ASSET_METADATA_MEDIA_ASSET"])
        let assetID = try f.requiredString("mediaAssetId")
        let compartment = try f.requiredString("compartmentId")
        guard let asset = resources[assetID], asset.kind == .asset else { throw .referenceNotFound("mediaAssetId", assetID) }

        let objectName = asset.json["objectName"]?.stringValue ?? ""
        let name = asset.json["displayName"]?.stringValue ?? assetID
        let json = insert(.job, body: ["compartmentId": .string(compartment)], now: now, extra: [
            ("displayName", .string("ingest-\(name)")),
            // The SDK's MediaWorkflowJob declares mediaWorkflowId as always returned; an ingest runs the service's own workflow.
            ("mediaWorkflowId", .string(Self.ingestWorkflowID)),
            ("parameters", ["ingest": ["distributionChannelId": .string(channelID), "mediaAssetId": .string(assetID)]]),
            ("lifecycleState", "ACCEPTED"),
            ("taskLifecycleState", Self.taskStates(["ingest"]) { _ in ("ACCEPTED", "accepted, not started") }),
        ])
        guard let jobID = json["id"]?.stringValue else { throw .notFound }
        var run = JobRun(created: now, taskKeys: ["ingest"], failure: nil, outputs: [])
        run.media = executesMedia
        putJob(jobID, run)
        if executesMedia {
            pendingMedia.append((jobID, .ingest(namespace: asset.json["namespaceName"]?.stringValue ?? "",
                                                bucket: asset.json["bucketName"]?.stringValue ?? "", object: objectName)))
        }
        return ["mediaWorkflowJobId": .string(jobID)]
    }

    /// The workflow every ingest job names: the service runs ingests with a workflow of its own, not the caller's.
    static let ingestWorkflowID = "ocid1.mediaworkflow.oc1.iad.emulatoringestworkflow"

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
            var progress = MediaJobProgress(tasks: keys.map { .init(key: $0, state: "CANCELED", details: "not run: the emulator restarted") })
            if let states = resources[id]?.json["taskLifecycleState"]?.arrayValue {
                for (i, state) in states.enumerated() where i < progress.tasks.count {
                    if let s = state["lifecycleState"]?.stringValue, ["SUCCEEDED", "SKIPPED"].contains(s) {
                        progress.tasks[i].state = s
                        progress.tasks[i].details = state["lifecycleDetails"]?.stringValue ?? ""
                    } else if state["lifecycleState"]?.stringValue == "IN_PROGRESS" {
                        progress.tasks[i].state = "FAILED"
                        progress.tasks[i].details = "interrupted: the emulator stopped while the task ran"
                    }
                }
            }
            progress.lifecycleState = "FAILED"
            progress.lifecycleDetails = "the emulator stopped while the job ran; create the job again"
            applyMediaProgress(id, progress, now: now)
        }
    }

    // MARK: - Retry tokens

    /// The stored result for a repeated `opc-retry-token`, nil when the token is new. The same token on a
    /// different request is refused rather than silently answered with someone else's result.
    mutating func replay(retryToken token: String, operation: String, body: JSONValue, now: Date) throws(APIError) -> JSONValue? {
        for (old, record) in retryRecords where now.timeIntervalSince(record.created) >= Self.retryTokenLifetime {
            putRetryRecord(old, nil)
        }
        guard let record = retryRecords[token] else { return nil }
        guard record.operation == operation, record.body == body else {
            throw .invalidatedRetryToken("The opc-retry-token \"\(token)\" was already used for a different request "
                + "(\(record.operation)); use a new token for a new request.")
        }
        return record.response
    }

    mutating func remember(retryToken token: String, operation: String, body: JSONValue, response: JSONValue, now: Date) {
        putRetryRecord(token, RetryRecord(operation: operation, body: body, response: response, created: now))
    }

    // MARK: - Media Stream

    mutating func generateSessionToken(body: JSONValue, now: Date) throws(APIError) -> JSONValue {
        let f = try Fields(body)
        let configID = try f.requiredString("packagingConfigId")
        guard let scopes = try f.stringArray("scopes") else { throw .missing("scopes") }
        guard !scopes.isEmpty else { throw .invalid("scopes", "at least one of PLAYLIST, EDGE is required") }
        for scope in scopes where !["PLAYLIST", "EDGE"].contains(scope) {
            throw .invalid("scopes", "unknown scope \"\(scope)\"; allowed: PLAYLIST, EDGE")
        }
        let assetIDs = try f.stringArray("assetIds") ?? []
        var expires: Date?
        if let text = try f.string("timeExpires") {
            guard let date = Self.parseRFC3339(text) else { throw .invalid("timeExpires", "\"\(text)\" is not an RFC 3339 time") }
            guard date > now else { throw .invalid("timeExpires", "\(text) is in the past") }
            expires = date
        }
        guard let config = resources[configID], config.kind == .packagingConfig else {
            throw .referenceNotFound("packagingConfigId", configID)
        }
        for id in assetIDs where resources[id]?.kind != .asset { throw .referenceNotFound("assetIds", id) }

        let token = Digest.randomBytes(32).base64URLEncoded
        putSession(token, Session(packagingConfigID: configID, scopes: scopes, assetIDs: assetIDs, expires: expires))
        return ["token": .string(token)]
    }

    /// GET /actions/generatePlaylist. Players call it unsigned with the session token; MediaStreamClient.generate_playlist
    /// signs every call and sends `token` only when given. So a token is checked whenever there is one, and a call
    /// without one must be validly signed (`signed`: the caller verified the signature).
    enum PlaylistSource {
        /// `--simulate-media`'s placeholder stream (SimulatedPlayback), for an asset whose files are not in the store.
        case simulated(ServerResponse)
        case stored(StoredPlayback)
    }

    /// How long the token issued for a signed call without one lasts: the links in its playlist carry it.
    static let signedPlaylistTokenLifetime: TimeInterval = 3600

    mutating func playlist(query: [(String, String)], signed: Bool, now: Date) throws(APIError) -> PlaylistSource {
        func param(_ name: String) -> String? { query.first { $0.0 == name }.map { $0.1 }.flatMap { $0.isEmpty ? nil : $0 } }
        let given = param("token")
        if given == nil && !signed { _ = try validSession(nil, now: now, call: "generatePlaylist") }
        guard let assetID = param("mediaAssetId") else { throw .missing("mediaAssetId") }
        guard let configID = param("streamPackagingConfigId") else { throw .missing("streamPackagingConfigId") }
        let token: String
        let asset: JSONValue
        if let given {
            asset = try authorizePlayback(try validSession(given, now: now, call: "generatePlaylist"), assetID: assetID, configID: configID)
            token = given
        } else {
            // The signature authorises the call, but the playlist's links are fetched by a player without one: they
            // carry a token issued here for this asset and config, as generateSessionToken would issue it.
            let session = Session(packagingConfigID: configID, scopes: ["PLAYLIST"], assetIDs: [assetID],
                                  expires: now.addingTimeInterval(Self.signedPlaylistTokenLifetime))
            asset = try authorizePlayback(session, assetID: assetID, configID: configID)
            for (old, s) in sessions where s.expires.map({ $0 <= now }) ?? false { putSession(old, nil) }
            token = Digest.randomBytes(32).base64URLEncoded
            putSession(token, session)
        }
        if let stored = storedPlayback(asset: asset, assetID: assetID, configID: configID, token: token, relative: nil) {
            return .stored(stored)
        }
        if executesMedia {
            let object = asset["objectName"]?.stringValue ?? ""
            throw APIError(status: 404, code: "NotAuthorizedOrNotFound",
                           message: "\(APIError.notFoundMessage) (the asset's playlist \(object) is not in bucket \(asset["bucketName"]?.stringValue ?? ""))")
        }
        return .simulated(SimulatedPlayback.master(assetID: assetID, configID: configID, token: token))
    }

    /// GET /hls/{asset}/{config}/{name}: a variant playlist or segment of a stored asset (or of the simulated stream),
    /// with the same token checks.
    func playbackFile(_ target: HLSRoute.Target, query: [(String, String)], now: Date) throws(APIError) -> PlaylistSource {
        let token = query.first { $0.0 == "token" }.map { $0.1 }.flatMap { $0.isEmpty ? nil : $0 }
        let session = try validSession(token, now: now, call: "this playback URL")
        let asset = try authorizePlayback(session, assetID: target.assetID, configID: target.configID)
        if let stored = storedPlayback(asset: asset, assetID: target.assetID, configID: target.configID, token: token ?? "",
                                       relative: target.relative) {
            return .stored(stored)
        }
        if !executesMedia, let file = SimulatedPlayback.file(target.relative, assetID: target.assetID, configID: target.configID,
                                                             token: token ?? "") {
            return .simulated(file)
        }
        throw .notFound
    }

    /// The token is the only credential players have, so every mismatch between it and the request is a 401.
    private func validSession(_ token: String?, now: Date, call: String) throws(APIError) -> Session {
        guard let token else { throw .notAuthenticated("\(call) needs a session token (token=...) from generateSessionToken.") }
        guard let session = sessions[token] else { throw .notAuthenticated("The session token is not valid.") }
        if let expires = session.expires, expires <= now { throw .notAuthenticated("The session token has expired.") }
        guard session.scopes.contains("PLAYLIST") else {
            throw .notAuthenticated("The session token does not have the PLAYLIST scope.")
        }
        return session
    }

    private func authorizePlayback(_ session: Session, assetID: String, configID: String) throws(APIError) -> JSONValue {
        guard configID == session.packagingConfigID else {
            throw .notAuthenticated("The session token was issued for another packaging config.")
        }
        guard session.assetIDs.isEmpty || session.assetIDs.contains(assetID) else {
            throw .notAuthenticated("The session token does not cover media asset \(assetID).")
        }
        guard let asset = resources[assetID], asset.kind == .asset else { throw .referenceNotFound("mediaAssetId", assetID) }
        guard resources[configID]?.kind == .packagingConfig else { throw .referenceNotFound("streamPackagingConfigId", configID) }
        return asset.json
    }

    /// The asset's files when its master playlist is in the store; `relative` (inside the master's folder) picks
    /// another file than the master.
    private func storedPlayback(asset: JSONValue, assetID: String, configID: String, token: String, relative: String?) -> StoredPlayback? {
        guard let objects, let namespace = asset["namespaceName"]?.stringValue, let bucket = asset["bucketName"]?.stringValue,
              let master = asset["objectName"]?.stringValue,
              (try? objects.info(namespace: namespace, bucket: bucket, object: master)) != nil else { return nil }
        let object = relative.map { HLSRoute.assetFolder(master) + $0 } ?? master
        return StoredPlayback(namespace: namespace, bucket: bucket, master: master, object: object, assetID: assetID,
                              configID: configID, token: token)
    }

    // MARK: - Validation helpers

    /// MediaWorkflowTask rules (protocols.md §6.3): known type, integer version, unique key, object
    /// parameters, prerequisites naming existing keys, no cycles.
    private static func validateTasks(_ tasks: [JSONValue]) throws(APIError) {
        var keys: [String] = []
        var prerequisites: [String: [String]] = [:]
        for (i, task) in tasks.enumerated() {
            let t = try Fields(task, at: "tasks[\(i)].")
            let type = try t.requiredString("type")
            guard WorkflowDefinition.knownTaskTypes.contains(type) else {
                throw .invalid("tasks[\(i)].type", "unknown task type \"\(type)\"; known types: \(WorkflowDefinition.knownTaskTypes.joined(separator: ", "))")
            }
            guard try t.int("version") != nil else { throw .missing("tasks[\(i)].version") }
            let key = try t.requiredString("key")
            guard !keys.contains(key) else { throw .invalid("tasks[\(i)].key", "the key \"\(key)\" is used by two tasks") }
            keys.append(key)
            guard let parameters = t.value("parameters") else { throw .missing("tasks[\(i)].parameters") }
            guard parameters.isObject else { throw .invalid("tasks[\(i)].parameters", "expected an object, got \(parameters.typeName)") }
            prerequisites[key] = try t.stringArray("prerequisites") ?? []
            // The two enable fields only make sense together (the reference and the value it must equal).
            let reference = try t.string("enableParameterReference")
            if (reference == nil) != (t.value("enableWhenReferencedParameterEquals") == nil) {
                throw .invalid("tasks[\(i)]", "enableParameterReference and enableWhenReferencedParameterEquals must be given together")
            }
        }
        for (i, key) in keys.enumerated() {
            for (j, prerequisite) in (prerequisites[key] ?? []).enumerated() where !keys.contains(prerequisite) {
                throw .invalid("tasks[\(i)].prerequisites[\(j)]", "no task has the key \"\(prerequisite)\"")
            }
        }
        // Depth-first search for a cycle: a workflow whose tasks wait on each other could never run.
        var state: [String: Int] = [:]   // 1 = on the current path, 2 = done
        func visit(_ key: String, _ path: [String]) -> [String]? {
            if state[key] == 2 { return nil }
            if state[key] == 1 { return path + [key] }
            state[key] = 1
            for next in prerequisites[key] ?? [] { if let cycle = visit(next, path + [key]) { return cycle } }
            state[key] = 2
            return nil
        }
        for key in keys {
            if let cycle = visit(key, []) {
                throw .invalid("tasks", "the prerequisites form a cycle: \(cycle.joined(separator: " -> "))")
            }
        }
    }

    /// Workflow and job parameters: the top two levels must be objects (group → name → value, §6.7).
    private static func validateParameters(_ parameters: JSONValue, field: String) throws(APIError) {
        guard let groups = parameters.objectValue else { throw .invalid(field, "expected an object, got \(parameters.typeName)") }
        for (name, group) in groups where !group.isObject {
            throw .invalid("\(field).\(name)", "expected an object of parameters, got \(group.typeName)")
        }
    }

    /// The first string value stored under `key` anywhere in `value`.
    private static func firstString(in value: JSONValue, key: String) -> String? {
        switch value {
        case let .array(items): return items.lazy.compactMap { firstString(in: $0, key: key) }.first
        case let .object(members):
            if let s = value[key]?.stringValue { return s }
            return members.lazy.compactMap { firstString(in: $0.1, key: key) }.first
        default: return nil
        }
    }

    private static func parseRFC3339(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: text)
    }

    /// `ocid1.<type>.oc1.iad.<20 lowercase alnum>`.
    static func newOCID(_ kind: ResourceKind) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let unique = String(Digest.randomBytes(20).map { alphabet[Int($0) % alphabet.count] })
        return "ocid1.\(kind.ocidType).oc1.iad.\(unique)"
    }
}

extension ResourceKind {
    /// The resource-type part of this kind's OCIDs: the type the service issues (the first of `ocidTypes`).
    var ocidType: String { ocidTypes[0] }

    /// The kind served under `/20211101/{collection}`.
    init?(collection: String) {
        guard let kind = ResourceKind.allCases.first(where: { $0.collectionPath == "/" + collection }) else { return nil }
        self = kind
    }
}

/// Typed access to a request object's fields, naming the field (with its path) in every 400.
/// An explicit JSON null counts as absent, as the SDKs never send nulls for unset fields.
struct Fields {
    let json: JSONValue
    let prefix: String

    init(_ json: JSONValue, at prefix: String = "") throws(APIError) {
        guard json.isObject else {
            let name = prefix.isEmpty ? "body" : String(prefix.dropLast())
            throw .invalid(name, "expected a JSON object, got \(json.typeName)")
        }
        self.json = json
        self.prefix = prefix
    }

    func value(_ key: String) -> JSONValue? {
        guard let v = json[key], v != .null else { return nil }
        return v
    }

    private func wrongType(_ key: String, _ expected: String, _ got: JSONValue) -> APIError {
        .invalid(prefix + key, "expected \(expected), got \(got.typeName)")
    }

    func string(_ key: String) throws(APIError) -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw wrongType(key, "a string", v) }
        return s
    }

    func requiredString(_ key: String) throws(APIError) -> String {
        guard let s = try string(key) else { throw .missing(prefix + key) }
        guard !s.isEmpty else { throw .invalid(prefix + key, "must not be empty") }
        return s
    }

    func oneOf(_ key: String, _ allowed: [String]) throws(APIError) -> String {
        let s = try requiredString(key)
        guard allowed.contains(s) else {
            throw .invalid(prefix + key, "\"\(s)\" is not one of \(allowed.joined(separator: ", "))")
        }
        return s
    }

    func int(_ key: String) throws(APIError) -> Int? {
        guard let v = value(key) else { return nil }
        guard let n = v.intValue else { throw wrongType(key, "an integer", v) }
        return n
    }

    func bool(_ key: String) throws(APIError) -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.boolValue else { throw wrongType(key, "a boolean", v) }
        return b
    }

    func array(_ key: String) throws(APIError) -> [JSONValue]? {
        guard let v = value(key) else { return nil }
        guard let a = v.arrayValue else { throw wrongType(key, "an array", v) }
        return a
    }

    func stringArray(_ key: String) throws(APIError) -> [String]? {
        guard let items = try array(key) else { return nil }
        var out: [String] = []
        for (i, item) in items.enumerated() {
            guard let s = item.stringValue else { throw .invalid("\(prefix)\(key)[\(i)]", "expected a string, got \(item.typeName)") }
            out.append(s)
        }
        return out
    }
}
