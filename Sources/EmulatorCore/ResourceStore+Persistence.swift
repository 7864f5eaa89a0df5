// ResourceStore's state as records: every mutation goes through a put* helper that also notes the change in the journal, and a store can be rebuilt from the records.
import Foundation
import MediaKit

extension ResourceStore {
    static let resourceTable = "resource"
    static let jobTable = "job"
    static let retryTokenTable = "retryToken"
    static let sessionTable = "session"
    static let metaTable = "meta"

    // MARK: - Mutations that are remembered

    mutating func putResource(_ id: String, _ stored: Stored?) {
        index.update(id: id, old: resources[id], new: stored)
        resources[id] = stored
        note(Self.resourceTable, id, stored.map(Self.encode))
    }

    mutating func putJob(_ id: String, _ run: JobRun?) {
        jobs[id] = run
        noteActivity(id, run)
        note(Self.jobTable, id, run.map(Self.encode))
    }

    mutating func putRetryRecord(_ token: String, _ record: RetryRecord?) {
        retryRecords[token] = record
        note(Self.retryTokenTable, token, record.map(Self.encode))
    }

    mutating func putSession(_ token: String, _ session: Session?) {
        sessions[token] = session
        note(Self.sessionTable, token, session.map(Self.encode))
    }

    /// Keeps `activeJobs` to the scripted jobs that have not ended.
    private mutating func noteActivity(_ id: String, _ run: JobRun?) {
        if let run, !run.finished, !run.media { activeJobs.insert(id) } else { activeJobs.remove(id) }
    }

    private mutating func note(_ table: String, _ key: String, _ value: JSONValue?) { journal.note(table, key, value) }

    // MARK: - Restore

    /// Rebuilds the state from records, handed over one at a time; call `finishRestore` after the last. A record
    /// that cannot be read is skipped (false), not fatal: an emulator that starts with most of its state beats one
    /// that does not start.
    mutating func restore(_ record: StateRecord) -> Bool {
        let v = record.value
        var ok = true
        switch record.table {
        case Self.resourceTable:
            if let kindName = v["kind"]?.stringValue, let kind = EmulatedKind(rawValue: kindName), var json = v["json"],
               let sequence = v["sequence"]?.intValue {
                // Channels are served by this emulator, whatever host and port it had before.
                if kind == .channel { json.set("domainName", .string(streamHost)) }
                json = restoreInterner.shareStrings(json)
                // The key is the id inside the JSON, one string for both, as when the resource was created.
                let id = json["id"]?.stringValue.flatMap { $0 == record.key ? $0 : nil } ?? record.key
                resources[id] = Stored(kind: kind, json: json, sequence: sequence)
                nextSequence = max(nextSequence, sequence + 1)
            } else { ok = false }
        case Self.jobTable:
            if let created = v["created"].flatMap(Self.date), let keys = v["taskKeys"]?.arrayValue?.compactMap(\.stringValue) {
                var failure: JobRun.Failure?
                if let f = v["failure"], let index = f["taskIndex"]?.intValue, let message = f["message"]?.stringValue {
                    failure = JobRun.Failure(taskIndex: index, message: message)
                }
                var run = JobRun(created: created, taskKeys: keys, failure: failure, outputs: v["outputs"] ?? .array([]))
                run.polls = v["polls"]?.intValue ?? 0
                run.finished = v["finished"]?.boolValue ?? false
                run.media = v["media"]?.boolValue ?? false
                jobs[record.key] = run
                noteActivity(record.key, run)
            } else { ok = false }
        case Self.retryTokenTable:
            if let operation = v["operation"]?.stringValue, let body = v["body"], let response = v["response"],
               let created = v["created"].flatMap(Self.date) {
                retryRecords[record.key] = RetryRecord(operation: operation, body: restoreInterner.shareStrings(body), response: response,
                                                       created: created)
            } else { ok = false }
        case Self.sessionTable:
            if let config = v["packagingConfigId"]?.stringValue {
                sessions[record.key] = Session(packagingConfigID: config,
                                               scopes: v["scopes"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                                               assetIDs: v["assetIds"]?.arrayValue?.compactMap(\.stringValue) ?? [],
                                               expires: v["expires"].flatMap(Self.date))
            } else { ok = false }
        case Self.metaTable:
            if record.key == "nextSequence", let n = v.intValue { nextSequence = max(nextSequence, n) }
        default:
            ok = false
        }
        return ok
    }

    /// After the last record: the list index, built once, and retry records' responses sharing the resource they
    /// created (equal values), as they do when built live, instead of each holding a second parsed copy.
    mutating func finishRestore() {
        restoreInterner = RestoreInterner()
        index.rebuild(resources)
        for (token, record) in retryRecords {
            guard let id = record.response["id"]?.stringValue, let json = resources[id]?.json, json == record.response else { continue }
            retryRecords[token] = RetryRecord(operation: record.operation, body: record.body, response: json, created: record.created)
        }
    }

    // MARK: - Encoding

    static func encode(_ s: Stored) -> JSONValue {
        ["kind": .string(s.kind.rawValue), "sequence": .int(s.sequence), "json": s.json]
    }

    static func encode(_ r: JobRun) -> JSONValue {
        var v: JSONValue = ["created": time(r.created), "polls": .int(r.polls), "finished": .bool(r.finished),
                            "taskKeys": .array(r.taskKeys.map { .string($0) }), "outputs": r.outputs]
        if let f = r.failure { v.set("failure", ["taskIndex": .int(f.taskIndex), "message": .string(f.message)]) }
        if r.media { v.set("media", true) }
        return v
    }

    static func encode(_ r: RetryRecord) -> JSONValue {
        ["operation": .string(r.operation), "body": r.body, "response": r.response, "created": time(r.created)]
    }

    static func encode(_ s: Session) -> JSONValue {
        var v: JSONValue = ["packagingConfigId": .string(s.packagingConfigID), "scopes": .array(s.scopes.map { .string($0) }),
                            "assetIds": .array(s.assetIDs.map { .string($0) })]
        if let e = s.expires { v.set("expires", time(e)) }
        return v
    }

    /// Seconds since 1970 with millisecond precision: exact enough for a clock, and plain JSON.
    private static func time(_ date: Date) -> JSONValue { .number(String(format: "%.3f", date.timeIntervalSince1970)) }

    private static func date(_ value: JSONValue) -> Date? {
        guard case let .number(text) = value, let seconds = Double(text) else { return nil }
        return Date(timeIntervalSince1970: seconds)
    }
}

/// Strings that many restored records repeat, one instance each, as they are when the state is built live: there a
/// request's compartment or channel id is one string shared by the resource and its retry record, and a new
/// resource's timeCreated and timeUpdated are one string. Parsed back, each would be its own copy (issue 16, item 7).
struct RestoreInterner {
    /// Top-level fields whose values repeat across records (few distinct values, so the table stays small).
    static let sharedFields: Set<String> = ["compartmentId", "distributionChannelId", "mediaWorkflowId", "packagingConfigId"]
    private var seen: [String: String] = [:]

    /// `json` with its repeated top-level strings replaced by the shared instances (one new members array at most).
    mutating func shareStrings(_ json: JSONValue) -> JSONValue {
        guard let members = json.objectValue else { return json }
        let created = json["timeCreated"]?.stringValue
        var changed = false
        let shared = members.map { (key, value) -> (String, JSONValue) in
            guard case let .string(text) = value else { return (key, value) }
            if key == "timeUpdated", let created, created == text { changed = true; return (key, .string(created)) }
            guard Self.sharedFields.contains(key) else { return (key, value) }
            if let instance = seen[text] { changed = true; return (key, .string(instance)) }
            seen[text] = text
            return (key, value)
        }
        return changed ? .object(shared) : json
    }
}
