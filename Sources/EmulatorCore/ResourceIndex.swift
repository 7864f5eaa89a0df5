// The list index: each kind's resources in creation order, per list scope and per indexed filter value, kept as resources change, so a page is a binary search and a short walk instead of a scan and a sort of the whole store.
import MediaKit

/// Sequences (creation order) of the resources in each posting, ascending. Not thread-safe: part of ResourceStore.
struct ResourceIndex {
    /// A posting: the resources of `kind` whose `scope` field is `scope` and whose `field` is `value`;
    /// `field` empty: every resource in the scope.
    struct Key: Hashable {
        let kind: EmulatedKind
        let scope: String
        let field: String
        let value: String
    }

    private(set) var postings: [Key: [Int]] = [:]
    /// Sequence → id, for turning a walk over a posting into resources.
    private(set) var ids: [Int: String] = [:]

    /// The postings a resource belongs to (nil when it has no scope value, so no list can find it).
    static func keys(_ kind: EmulatedKind, _ json: JSONValue) -> [Key] {
        let spec = kind.spec
        // Every resource of a kind is in its kind-wide posting: the list of a kind whose scope is optional, given none.
        var keys = [Key(kind: kind, scope: everyScope, field: "", value: "")]
        guard let scope = json[spec.listScope]?.stringValue else { return keys }
        keys.append(Key(kind: kind, scope: scope, field: "", value: ""))
        for filter in spec.listFilters where filter.indexed {
            if let value = json[filter.field]?.stringValue { keys.append(Key(kind: kind, scope: scope, field: filter.field, value: value)) }
        }
        return keys
    }

    /// The scope of the kind-wide postings (no OCID contains a NUL).
    static let everyScope = "\u{0}every"

    /// Moves a resource from its old postings to its new ones (either may be nil: created, removed).
    mutating func update(id: String, old: ResourceStore.Stored?, new: ResourceStore.Stored?) {
        let oldKeys = old.map { Self.keys($0.kind, $0.json) } ?? []
        let newKeys = new.map { Self.keys($0.kind, $0.json) } ?? []
        if let old, old.sequence != new?.sequence {
            for key in oldKeys { remove(old.sequence, from: key) }
            ids[old.sequence] = nil
        } else if let old {
            for key in oldKeys where !newKeys.contains(key) { remove(old.sequence, from: key) }
        }
        guard let new else { return }
        ids[new.sequence] = id
        for key in newKeys where old?.sequence != new.sequence || !oldKeys.contains(key) { insert(new.sequence, into: key) }
    }

    /// Builds the index of a whole store at once (after a restore: appending in sequence order keeps it linear).
    mutating func rebuild(_ resources: [String: ResourceStore.Stored]) {
        postings.removeAll()
        ids.removeAll(keepingCapacity: true)
        ids.reserveCapacity(resources.count)
        for (id, stored) in resources.sorted(by: { $0.value.sequence < $1.value.sequence }) {
            ids[stored.sequence] = id
            for key in Self.keys(stored.kind, stored.json) { postings[key, default: []].append(stored.sequence) }
        }
    }

    func posting(_ key: Key) -> [Int] { postings[key] ?? [] }

    private mutating func insert(_ sequence: Int, into key: Key) {
        // New resources have the highest sequence: the common case is an append.
        postings[key, default: []].insertSorted(sequence)
    }

    private mutating func remove(_ sequence: Int, from key: Key) {
        guard var list = postings.removeValue(forKey: key) else { return }
        let i = list.lowerBound(sequence)
        if i < list.count && list[i] == sequence { list.remove(at: i) }
        if !list.isEmpty { postings[key] = list }
    }
}

extension Array where Element == Int {
    /// The first index whose element is not below `value` (self ascending).
    func lowerBound(_ value: Int) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if self[mid] < value { low = mid + 1 } else { high = mid }
        }
        return low
    }

    /// Inserts keeping the array ascending (and free of duplicates).
    mutating func insertSorted(_ value: Int) {
        if let last, last < value { append(value); return }
        let i = lowerBound(value)
        if i < count && self[i] == value { return }
        insert(value, at: i)
    }
}
