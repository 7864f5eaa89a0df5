// Flags every Media Services resource verb shares: concurrency (--if-match), locks (--lock-override), lifecycle
// states (--state, --wait-for-state: checked in any case against the kind's states), and tags (JSON or @file).
import FoundationEssentials
import MediaKit

enum ResourceFlags {
    static let ifMatch = Flag.text("if-match", meta: "ETAG", help: "act only if the resource's etag is still ETAG (else 412, exit 6)")
        .notFromDefaultsFile()
    static let lockOverride = Switch("lock-override", help: "act on a locked resource (isLockOverride=true)")
    static let maxWaitSeconds = Flag.number("max-wait-seconds", 1...86_400, help: "give up --wait-for-state after this long (exit 8)")
        .defaulting(to: 1200)

    /// The kind's lifecycle states, as the SDK lists them.
    static func states(_ kind: ResourceKind) -> [String] { LifecycleState.allKnown(for: kind).map(\.rawValue) }

    /// The states `--wait-for-state` takes: the kind's, and DELETED for every kind (a resource the service no longer finds).
    static func waitStates(_ kind: ResourceKind) -> [String] {
        let known = states(kind)
        return known.contains("DELETED") ? known : known + ["DELETED"]
    }

    /// `--state` of a list: one of the kind's states, in any case; completed by the shell.
    static func state(_ kind: ResourceKind) -> Flag<String> {
        Flag.text("state", meta: "STATE", help: "only \(kind.noun)s in this lifecycle state: \(states(kind).joined(separator: ", "))")
            .completing(states(kind))
    }

    /// `--wait-for-state` (repeatable): after the request, poll until the resource is in one of these states.
    static func waitForState(_ kind: ResourceKind) -> Flag<String> {
        Flag.text("wait-for-state", meta: "STATE",
                  help: "then wait until the \(kind.noun) is in this state (exit 9 if it fails)")
            .completing(waitStates(kind)).repeatable().notFromDefaultsFile()
    }
}

extension Invocation {
    /// A state flag's value checked against `allowed` in any case: the state as the API spells it.
    func lifecycleState(_ flag: Flag<String>, allowed: [String]) throws(MediaError) -> String? {
        guard let text = try value(flag) else { return nil }
        if auditing { return allowed.first }
        return try Self.lifecycleState(text, flag: flag, allowed: allowed)
    }

    func lifecycleStates(_ flag: Flag<String>, allowed: [String]) throws(MediaError) -> [LifecycleState] {
        if auditing { _ = try values(flag); return [] }
        var out: [LifecycleState] = []
        for text in try values(flag) { out.append(LifecycleState(rawValue: try Self.lifecycleState(text, flag: flag, allowed: allowed))) }
        return out
    }

    static func lifecycleState(_ text: String, flag: Flag<String>, allowed: [String]) throws(MediaError) -> String {
        if let known = allowed.first(where: { $0.uppercased() == text.uppercased() }) { return known }
        throw .usage("--\(flag.spec.name): '\(text.prefix(80))' is not a lifecycle state here; expected one of \(allowed.joined(separator: ", "))")
    }

    /// `--wait-for-state` of a kind, checked in any case against the states it can wait for.
    func waitStates(_ kind: ResourceKind) throws(MediaError) -> [LifecycleState] {
        try lifecycleStates(ResourceFlags.waitForState(kind), allowed: ResourceFlags.waitStates(kind))
    }

    /// `--wait-for-state` and `--max-wait-seconds` of a kind.
    func stateWait(_ kind: ResourceKind) throws(MediaError) -> StateWait {
        let states = try waitStates(kind)
        let seconds = try value(ResourceFlags.maxWaitSeconds)
        if !states.isEmpty || auditing { return StateWait(states: states, timeout: seconds) }
        if isGiven(ResourceFlags.maxWaitSeconds) { throw .usage("--max-wait-seconds: only with --wait-for-state") }
        return StateWait(states: [], timeout: seconds)
    }
}

/// What `--wait-for-state` asked for: nothing (no wait) or states and a deadline.
struct StateWait: Sendable {
    var states: [LifecycleState]
    var timeout: Double
}

// MARK: tags

/// `--freeform-tags` and `--defined-tags`: JSON text or `@FILE`, checked for the API's shapes.
enum TagFlags {
    static let freeform = Flag.text("freeform-tags", meta: "JSON|@FILE", help: "freeform tags, e.g. '{\"team\": \"media\"}' (or @file)")
        .notFromDefaultsFile()
    static let defined = Flag.text("defined-tags", meta: "JSON|@FILE",
                                   help: "defined tags, e.g. '{\"Operations\": {\"CostCenter\": \"42\"}}' (or @file)")
        .notFromDefaultsFile()
    static let both: [any FlagDeclaration] = [freeform, defined]
}

extension Invocation {
    /// The tags given (neither flag: empty `Tags`, which sends nothing).
    func tags() throws(MediaError) -> Tags {
        var tags = Tags()
        if let text = try value(TagFlags.freeform), !auditing {
            let doc = try jsonFlagValue(text, flag: TagFlags.freeform.spec.name)
            guard let entries = doc.objectValue else { throw .usage("--freeform-tags: expected a JSON object of strings, got \(doc.typeName)") }
            for (key, value) in entries where value.stringValue == nil {
                throw .usage("--freeform-tags: the value of \"\(key.prefix(80))\" must be a string, got \(value.typeName)")
            }
            tags.freeform = doc
        }
        if let text = try value(TagFlags.defined), !auditing {
            let doc = try jsonFlagValue(text, flag: TagFlags.defined.spec.name)
            guard let namespaces = doc.objectValue else {
                throw .usage("--defined-tags: expected a JSON object of tag namespaces, got \(doc.typeName)")
            }
            for (namespace, value) in namespaces where !value.isObject {
                throw .usage("--defined-tags: the namespace \"\(namespace.prefix(80))\" must be an object of tags, got \(value.typeName)")
            }
            tags.defined = doc
        }
        return tags
    }

    /// A flag's JSON value, given inline or as `@FILE` (as the OCI CLI takes complex values).
    func jsonFlagValue(_ text: String, flag name: String) throws(MediaError) -> JSONValue {
        var data = Data(text.utf8)
        var source = ""
        if text.hasPrefix("@") {
            let path = String(text.dropFirst())
            guard !path.isEmpty else { throw .usage("--\(name): expected @FILE with a path after the @") }
            do throws(FileError) { data = try LocalFiles(maxBytes: Self.maxDocumentBytes).read(expand(path)) } catch {
                throw .usage("--\(name) \(text.prefix(200)): \(error.reason)")
            }
            source = " \(text.prefix(200))"
        }
        do { return try JSONParser.parse(data) } catch {
            let (line, column) = Self.position(of: error.offset, in: data)
            throw .usage("--\(name)\(source): not valid JSON: \(error.message) (line \(line), column \(column))")
        }
    }
}

// MARK: waiting

extension CommandContext {
    /// `--wait-for-state`: polls the resource with the job waiter's backoff (a spinner on a terminal, a line per new
    /// state otherwise) until it is in one of the states; a resource gone counts as DELETED. Nil when it is gone.
    func waitForState(_ client: MediaServicesClient, kind: ResourceKind, id: String, _ wait: StateWait) throws(MediaError) -> Resource? {
        let label = "\(kind.noun) \(id)"
        let progress = WaitProgress(io: io, first: "\(label): waiting for \(wait.states.map(\.rawValue).joined(separator: " or "))")
        defer { progress.stop() }
        return try JobWaiter(clock: clock).wait(for: wait.states, timeout: wait.timeout, label: label, kind: kind, id: id,
                                               poll: { () throws(MediaError) -> Resource? in
            do throws(MediaError) { return try client.get(kind, id: id) } catch {
                if case .notFound = error { return nil }
                throw error
            }
        }, onPoll: { resource in
            let state = resource?.lifecycleState ?? "gone"
            progress.update(live: "\(label): \(state)", line: "\(label): \(state)", key: state)
        })
    }

    /// Prints the resource an update or action returned, or, after `--wait-for-state`, the one read at the end.
    func finish(_ client: MediaServicesClient, kind: ResourceKind, _ resource: Resource, _ wait: StateWait) throws(MediaError) {
        guard !wait.states.isEmpty else { render(resource, kind: kind); return }
        if let last = try waitForState(client, kind: kind, id: resource.id, wait) {
            if kind == .job { recordMasterPlaylist(of: last) }   // `ingest`'s default playlist
            render(last, kind: kind)
        } else {
            emit(json: .object([("id", .string(resource.id)), ("lifecycleState", "DELETED")]), ids: [resource.id]) {
                io.progress("\(kind.noun) \(resource.id) is gone")
            }
        }
    }
}

/// A create that takes the tag flags and `--wait-for-state`/`--max-wait-seconds` (the config creates).
protocol TaggedCreate {
    var tags: Tags { get set }
    var wait: StateWait { get set }
}

enum TaggedCreateFlags {
    /// The tag and wait flags such a create declares, for `kind`'s states.
    static func flags(_ kind: ResourceKind) -> [any FlagDeclaration] {
        TagFlags.both + [ResourceFlags.waitForState(kind), ResourceFlags.maxWaitSeconds]
    }
}

extension Invocation {
    /// A create's own fields, then its tags and wait.
    func taggedCreate<O: TaggedCreate>(_ kind: ResourceKind, _ fields: (Invocation) throws(MediaError) -> O) throws(MediaError) -> O {
        var options = try fields(self)
        options.tags = try tags()
        options.wait = try stateWait(kind)
        return options
    }
}
