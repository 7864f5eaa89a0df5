// The seam between the emulator's state and where it is kept: records changed by each call, written through before the call is answered.
import Foundation
import MediaKit

/// One stored fact: a resource, a job's run, a retry token, a stream session, or a counter.
public struct StateRecord: Sendable, Equatable {
    /// Which kind of fact (`resource`, `job`, `retryToken`, `session`, `meta`).
    public let table: String
    public let key: String
    public let value: JSONValue

    public init(table: String, key: String, value: JSONValue) {
        self.table = table
        self.key = key
        self.value = value
    }
}

public enum StateChange: Sendable, Equatable {
    case put(StateRecord)
    case remove(table: String, key: String)
}

/// Where the emulator's state lives between runs. The emulator calls `apply` under its lock with the
/// changes of one call, before answering it, so an answered call survives a crash (kill -9).
public protocol StatePersistence: Sendable {
    /// Hands `body` the records of one scope's tables (nil: the unscoped ones, Media Services'), one at a time: a
    /// restart never holds every record (nor another scope's) in memory at once.
    func forEachRecord(scope: String?, _ body: (StateRecord) throws -> Void) throws
    func apply(_ changes: [StateChange]) throws
}

extension StatePersistence {
    /// This persistence's own (unscoped) records, collected: for small states (OpenTok's) and tests.
    public func loadAll() throws -> [StateRecord] {
        var records: [StateRecord] = []
        try forEachRecord(scope: nil) { records.append($0) }
        return records
    }

    /// Writes what `journal` noted since the last save, in one `apply`; call it under the owner's lock before answering.
    /// The journal is drained either way: a failed save is reported to that call, not retried by the next.
    public func save(_ journal: inout StateJournal) throws {
        let changes = journal.drain()
        if !changes.isEmpty { try apply(changes) }
    }
}

/// What a state noted as it changed (a record written, or removed), oldest first, until it is saved.
public struct StateJournal: Sendable {
    private var pending: [StateChange] = []

    public init() {}

    /// A record written, or (nil) removed.
    public mutating func note(_ table: String, _ key: String, _ value: JSONValue?) {
        pending.append(value.map { .put(StateRecord(table: table, key: key, value: $0)) } ?? .remove(table: table, key: key))
    }

    /// The changes since the last drain, oldest first.
    public mutating func drain() -> [StateChange] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }
}

/// One emulator's share of a persistence several write to (Media Services and OpenTok share one SQLite file):
/// its tables are kept as `scope/table`, so names cannot collide, and it loads only its own.
public struct ScopedPersistence: StatePersistence {
    public static let separator: Character = "/"
    public let base: any StatePersistence
    public let scope: String

    public init(_ base: any StatePersistence, scope: String) {
        self.base = base
        self.scope = scope
    }

    /// Whether a table belongs to some scope, so a reader of the unscoped tables leaves it to its owner.
    public static func isScoped(_ table: String) -> Bool { table.contains(separator) }

    /// Whether `table` is one of `scope`'s (nil: an unscoped table).
    public static func table(_ table: String, isIn scope: String?) -> Bool {
        guard let scope else { return !isScoped(table) }
        return table.hasPrefix(scope + String(separator))
    }

    public func forEachRecord(scope inner: String?, _ body: (StateRecord) throws -> Void) throws {
        let prefix = scope + String(Self.separator)
        try base.forEachRecord(scope: inner.map(scoped) ?? scope) { record in
            try body(StateRecord(table: String(record.table.dropFirst(prefix.count)), key: record.key, value: record.value))
        }
    }

    public func apply(_ changes: [StateChange]) throws {
        try base.apply(changes.map { change in
            switch change {
            case let .put(r): .put(StateRecord(table: scoped(r.table), key: r.key, value: r.value))
            case let .remove(table, key): .remove(table: scoped(table), key: key)
            }
        })
    }

    private func scoped(_ table: String) -> String { scope + String(Self.separator) + table }
}

/// The default: nothing survives the process (tests, and `serve` without `--state`).
public struct NoPersistence: StatePersistence {
    public init() {}
    public func forEachRecord(scope: String?, _ body: (StateRecord) throws -> Void) throws {}
    public func apply(_ changes: [StateChange]) throws {}
}

/// Keeps the records in memory: for tests of the seam itself (a "restart" is a new emulator on the same value).
public final class InMemoryPersistence: StatePersistence, @unchecked Sendable {
    // @unchecked: `records` is only touched under `lock`.
    private let lock = NSLock()
    private var records: [String: StateRecord] = [:]

    public init() {}

    public func forEachRecord(scope: String?, _ body: (StateRecord) throws -> Void) throws {
        let all = lock.withLock { records.values.sorted { ($0.table, $0.key) < ($1.table, $1.key) } }
        for record in all where ScopedPersistence.table(record.table, isIn: scope) { try body(record) }
    }

    public func apply(_ changes: [StateChange]) throws {
        lock.withLock {
            for change in changes {
                switch change {
                case let .put(record): records["\(record.table)\u{0}\(record.key)"] = record
                case let .remove(table, key): records["\(table)\u{0}\(key)"] = nil
                }
            }
        }
    }
}
