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
    func loadAll() throws -> [StateRecord]
    func apply(_ changes: [StateChange]) throws
}

/// The default: nothing survives the process (tests, and `serve` without `--state`).
public struct NoPersistence: StatePersistence {
    public init() {}
    public func loadAll() throws -> [StateRecord] { [] }
    public func apply(_ changes: [StateChange]) throws {}
}

/// Keeps the records in memory: for tests of the seam itself (a "restart" is a new emulator on the same value).
public final class InMemoryPersistence: StatePersistence, @unchecked Sendable {
    // @unchecked: `records` is only touched under `lock`.
    private let lock = NSLock()
    private var records: [String: StateRecord] = [:]

    public init() {}

    public func loadAll() throws -> [StateRecord] {
        lock.withLock { records.values.sorted { ($0.table, $0.key) < ($1.table, $1.key) } }
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
