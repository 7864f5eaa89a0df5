// The emulator's in-memory Media Services state and its generic handlers: create, get, update, delete, addLock/removeLock,
// changeCompartment and list serve every kind from the resource table (ResourceTable.swift), with etags and locks. What is
// particular to a kind is a hook here (create/update checks); jobs, ingest, retry tokens and playback have their own files.
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

    // Internal rather than private so the extensions in the other ResourceStore files can reach them.
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
        let kind: EmulatedKind
        var json: JSONValue
        /// Creation order: the default list order, and stable across equal timestamps.
        let sequence: Int
    }

    /// A resource's etag: a digest of what a GET answers, so any change to it changes the etag (protocols.md §5.4).
    static func etag(_ json: JSONValue) -> String { Digest.sha256(json.data).prefix(16).hexLowercase }

    /// The stored resource `id` of `kind`, or the API's 404.
    func existing(_ kind: EmulatedKind, _ id: String) throws(APIError) -> Stored {
        guard let stored = resources[id], stored.kind == kind else { throw .notFound }
        return stored
    }

    /// `if-match` given and not the resource's etag: 412, and nothing changes.
    static func checkETag(_ stored: Stored, ifMatch: String?) throws(APIError) {
        guard let ifMatch, !ifMatch.isEmpty, ifMatch != "*", ifMatch != etag(stored.json) else { return }
        throw APIError(status: 412, code: "NoEtagMatch", message: "The if-match etag \(ifMatch) does not match the resource's current etag.")
    }

    // MARK: - Create

    mutating func create(_ kind: EmulatedKind, body: JSONValue, now: Date) throws(APIError) -> JSONValue {
        let spec = kind.spec
        guard spec.collection != nil else { throw .notFound }
        let f = try Fields(body)
        try f.check(spec.createFields)
        if let locks = try f.array("locks") { try Self.validateLocks(locks) }
        if kind == .job { return try createJob(f, now: now) }
        let extra = try createHook(kind, f)
        return insert(kind, body: f.json, now: now, extra: extra)
    }

    /// The checks and service-owned fields particular to a kind, after the table's field checks.
    private func createHook(_ kind: EmulatedKind, _ f: Fields) throws(APIError) -> [(String, JSONValue)] {
        let state = ("lifecycleState", kind.spec.initialState.json)
        switch kind {
        case .workflow:
            let tasks = try f.array("tasks") ?? []
            try Self.validateTasks(tasks)
            if let parameters = f.value("parameters") { try Self.validateParameters(parameters, field: "parameters") }
            try existingConfigurations(f)
            return [("tasks", .array(tasks)), ("parameters", f.value("parameters") ?? .object([])), ("version", 1), state,
                    // Misspelt on purpose: that is the MediaWorkflow wire name (protocols.md §8 G8).
                    ("lifecyleDetails", "The workflow is active and can run jobs.")]
        case .workflowConfiguration:
            try Self.validateParameters(f.value("parameters") ?? .object([]), field: "parameters")
            return [state, ("lifecyleDetails", "The configuration is active.")]
        case .channel:
            return [("domainName", .string(streamHost)), state]
        case .cdnConfig:
            let channel = try existingChannel(f.requiredString("distributionChannelId"))
            let isEnabled = try f.bool("isEnabled") ?? true
            try Self.validateCdnConfig(f.value("config") ?? .null)
            // CDN and packaging configs have no compartmentId in the request: they inherit the channel's.
            return [("compartmentId", channel.json["compartmentId"] ?? .null), ("isEnabled", .bool(isEnabled)), state,
                    ("lifecyleDetails", .string(Self.cdnDetails(isEnabled)))]
        case .packagingConfig:
            let channel = try existingChannel(f.requiredString("distributionChannelId"))
            let seconds = try f.int("segmentTimeInSeconds") ?? 0
            guard seconds > 0 else { throw .invalid("segmentTimeInSeconds", "must be a positive number of seconds, got \(seconds)") }
            if let encryption = f.value("encryption") {
                let e = try Fields(encryption, at: "encryption.")
                let algorithm = try e.oneOf("algorithm", ["NONE", "AES128"])
                if try e.string("kmsKeyId") != nil, algorithm == "NONE" {
                    throw .invalid("encryption.kmsKeyId", "a KMS key only applies to AES128 encryption")
                }
            }
            return [("compartmentId", channel.json["compartmentId"] ?? .null), state]
        case .asset:
            for (i, tag) in (try f.array("mediaAssetTags") ?? []).enumerated() {
                let t = try Fields(tag, at: "mediaAssetTags[\(i)].")
                _ = try t.oneOf("type", ["USER", "SYSTEM"])
                _ = try t.requiredString("value")
            }
            for (i, entry) in (try f.array("metadata") ?? []).enumerated() { _ = try Fields(entry, at: "metadata[\(i)].").requiredString("metadata") }
            return [state]
        case .job, .attachment:
            return [state]
        }
    }

    static func cdnDetails(_ enabled: Bool) -> String { enabled ? "Publishing is enabled." : "Publishing is disabled." }

    /// CDN `config`: EDGE, or AKAMAI_MANUAL with its string fields and isEdgeTokenAuth (protocols.md §6.3).
    private static func validateCdnConfig(_ config: JSONValue) throws(APIError) {
        let c = try Fields(config, at: "config.")
        if try c.oneOf("type", ["EDGE", "AKAMAI_MANUAL"]) == "AKAMAI_MANUAL" {
            try c.check(["originAuthSignType", "originAuthSignEncryption", "originAuthSecretKeyA", "originAuthSecretKeyNonceA",
                         "originAuthSecretKeyB", "originAuthSecretKeyNonceB", "edgeHostname", "edgePathPrefix", "edgeTokenKey",
                         "edgeTokenSalt"].map { .optional($0) } + [.optional("isEdgeTokenAuth", .bool)])
        }
    }

    /// Resource locks given at create time: each a FULL or DELETE lock.
    private static func validateLocks(_ locks: [JSONValue]) throws(APIError) {
        for (i, lock) in locks.enumerated() { _ = try Fields(lock, at: "locks[\(i)].").oneOf("type", ["FULL", "DELETE"]) }
    }

    /// Every id in `mediaWorkflowConfigurationIds` must name a configuration.
    func existingConfigurations(_ f: Fields) throws(APIError) {
        for id in try f.stringArray("mediaWorkflowConfigurationIds") ?? [] where resources[id]?.kind != .workflowConfiguration {
            throw .referenceNotFound("mediaWorkflowConfigurationIds", id)
        }
    }

    func existingChannel(_ id: String) throws(APIError) -> Stored {
        guard let channel = resources[id], channel.kind == .channel else { throw .referenceNotFound("distributionChannelId", id) }
        return channel
    }

    /// Stores a new resource: its id first, then the request's fields, then the service-owned fields.
    mutating func insert(_ kind: EmulatedKind, body: JSONValue, now: Date, extra: [(String, JSONValue)], id given: String? = nil) -> JSONValue {
        let id = given ?? Self.newOCID(kind)
        let stamp = JSONValue.string(Timestamps.rfc3339(now))
        var json: JSONValue = ["id": .string(id)]
        for (key, value) in body.objectValue ?? [] where key != "id" && value != .null {
            // Locks given at create time come back stamped, as addLock stamps them.
            if key == "locks", let locks = value.arrayValue {
                json.set(key, .array(locks.map { var lock = $0; if lock["timeCreated"] == nil { lock.set("timeCreated", stamp) }; return lock }))
            } else {
                json.set(key, value)
            }
        }
        for (key, value) in extra { json.set(key, value) }
        json.set("timeCreated", stamp)
        json.set("timeUpdated", stamp)
        putResource(id, Stored(kind: kind, json: json, sequence: nextSequence))
        nextSequence += 1
        journal.note(Self.metaTable, "nextSequence", .int(nextSequence))
        return json
    }

    // MARK: - Read, update, delete

    /// GET by id. A job moves one step through its scripted life on every GET, so a client's wait loop
    /// sees ACCEPTED → IN_PROGRESS (pollsInProgress times) → SUCCEEDED/FAILED.
    mutating func get(_ kind: EmulatedKind, id: String, now: Date) throws(APIError) -> JSONValue {
        let stored = try existing(kind, id)
        if kind == .job && jobDuration == nil { advanceJob(id, now: now) }
        return resources[id]?.json ?? stored.json
    }

    /// PUT by id (the SDK's update_* calls): the Update*Details fields given replace the stored ones; any other field
    /// (identity, compartment, service-owned) is refused. A workflow's version goes up by one.
    mutating func update(_ kind: EmulatedKind, id: String, body: JSONValue, now: Date, lockOverride: Bool = false,
                         ifMatch: String? = nil) throws(APIError) -> JSONValue {
        let spec = kind.spec
        var stored = try existing(kind, id)
        try Self.checkETag(stored, ifMatch: ifMatch)
        try Self.checkLocks(stored, blocking: ["FULL"], override: lockOverride, doing: "updated")
        let f = try Fields(body)
        let updatable = Set(spec.updatableFields.map(\.name))
        if let fixed = f.json.objectValue?.first(where: { !updatable.contains($0.0) && $0.1 != .null })?.0 {
            throw .invalid(fixed, "cannot be changed by an update")
        }
        try f.check(spec.updatableFields)
        if let tasks = try f.array("tasks") { try Self.validateTasks(tasks) }
        if let parameters = f.value("parameters") { try Self.validateParameters(parameters, field: "parameters") }
        try existingConfigurations(f)
        if let config = f.value("config") { try Self.validateCdnConfig(config) }
        for (key, value) in f.json.objectValue ?? [] where value != .null { stored.json.set(key, value) }
        if kind == .workflow { stored.json.set("version", .int((stored.json["version"]?.intValue ?? 1) + 1)) }
        if kind == .cdnConfig, let enabled = try f.bool("isEnabled") { stored.json.set("lifecyleDetails", .string(Self.cdnDetails(enabled))) }
        stored.json.set("timeUpdated", .string(Timestamps.rfc3339(now)))
        putResource(id, stored)
        return stored.json
    }

    /// DELETE by id. An asset's `deleteMode` also deletes its children (DELETE_CHILDREN: parentMediaAssetId is it) or its
    /// derivations (DELETE_DERIVATIONS: masterMediaAssetId is it); a locked one among them stops the whole delete.
    mutating func delete(_ kind: EmulatedKind, id: String, lockOverride: Bool = false, ifMatch: String? = nil,
                         deleteMode: String? = nil) throws(APIError) {
        let stored = try existing(kind, id)
        try Self.checkETag(stored, ifMatch: ifMatch)
        var doomed = [stored]
        if let deleteMode {
            guard kind == .asset, ["DELETE_CHILDREN", "DELETE_DERIVATIONS"].contains(deleteMode) else {
                throw .invalid("deleteMode", "\"\(deleteMode)\" is not one of DELETE_CHILDREN, DELETE_DERIVATIONS")
            }
            let field = deleteMode == "DELETE_CHILDREN" ? "parentMediaAssetId" : "masterMediaAssetId"
            doomed += resources.values.filter { $0.kind == .asset && $0.json[field]?.stringValue == id }.sorted { $0.sequence < $1.sequence }
        }
        for resource in doomed { try Self.checkLocks(resource, blocking: ["FULL", "DELETE"], override: lockOverride, doing: "deleted") }
        for resource in doomed {
            guard let doomedID = resource.json["id"]?.stringValue else { continue }
            putResource(doomedID, nil)
            if jobs[doomedID] != nil { putJob(doomedID, nil) }
            if resource.kind == .asset { for attachment in attachments(of: doomedID) { putResource(attachment, nil) } }
        }
    }

    // MARK: - Locks and compartments

    /// POST /{collection}/{id}/actions/addLock | removeLock (the SDK's add_*_lock / remove_*_lock: the resource with
    /// its `locks` back) and changeCompartment (no body back). A FULL lock stops updates, moves and deletes, a DELETE
    /// lock deletes, unless the call says isLockOverride=true.
    mutating func act(_ kind: EmulatedKind, id: String, action: String, body: JSONValue, now: Date,
                      lockOverride: Bool = false, ifMatch: String? = nil) throws(APIError) -> JSONValue? {
        let spec = kind.spec
        var stored = try existing(kind, id)
        let f = try Fields(body)
        var locks = stored.json["locks"]?.arrayValue ?? []
        switch action {
        case "addLock" where spec.lockable:
            try Self.checkETag(stored, ifMatch: ifMatch)
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
        case "removeLock" where spec.lockable:
            try Self.checkETag(stored, ifMatch: ifMatch)
            let type = try f.oneOf("type", ["FULL", "DELETE"])
            _ = try f.requiredString("compartmentId")
            guard let index = locks.firstIndex(where: { $0["type"]?.stringValue == type }) else {
                throw .invalid("type", "the resource has no \(type) lock")
            }
            locks.remove(at: index)
        case "changeCompartment" where spec.movable:
            let compartment = try f.requiredString("compartmentId")
            try Self.checkETag(stored, ifMatch: ifMatch)
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

    static func checkLocks(_ stored: Stored, blocking: Set<String>, override: Bool, doing: String) throws(APIError) {
        guard !override, let lock = stored.json["locks"]?.arrayValue?.first(where: { blocking.contains($0["type"]?.stringValue ?? "") }) else { return }
        throw APIError(status: 409, code: "Conflict",
                       message: "The resource has a \(lock["type"]?.stringValue ?? "") lock and cannot be \(doing); remove the lock or pass isLockOverride=true.")
    }

    /// `ocid1.<type>.oc1.iad.<20 lowercase alnum>`.
    static func newOCID(_ kind: EmulatedKind) -> String {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
        let unique = String(Digest.randomBytes(20).map { alphabet[Int($0) % alphabet.count] })
        return "ocid1.\(kind.spec.ocidType).oc1.iad.\(unique)"
    }
}
