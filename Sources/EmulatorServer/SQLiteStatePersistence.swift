// The emulator's state in SQLite (GRDB): one row per record, each call's changes in one transaction, so a restart (or kill -9) loses nothing answered.
import EmulatorCore
import Foundation
import GRDB
import MediaKit

public final class SQLiteStatePersistence: StatePersistence {
    private let queue: DatabaseQueue

    public init(path: String) throws {
        var configuration = Configuration()
        // WAL with synchronous=NORMAL survives a killed process (not a power cut), at a fraction of FULL's cost.
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
        }
        queue = try DatabaseQueue(path: path, configuration: configuration)
        try queue.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA journal_mode = WAL") }
        try queue.write { db in
            try db.execute(sql: """
                CREATE TABLE IF NOT EXISTS record (
                    tableName TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value TEXT NOT NULL,
                    PRIMARY KEY (tableName, key)
                )
                """)
        }
    }

    /// Rows are read through a cursor and handed over one at a time: a restart of a large state never holds all
    /// rows, or all their text, at once (it did: the whole table, parsed, for each of the three emulators restoring).
    public func forEachRecord(scope: String?, _ body: (StateRecord) throws -> Void) throws {
        try queue.read { db in
            let rows: RowCursor
            if let scope {
                // A range on the primary key: `scope/` up to the next character after the separator.
                let low = scope + String(ScopedPersistence.separator)
                let high = scope + String(Character(UnicodeScalar((ScopedPersistence.separator.asciiValue ?? 0x2F) + 1)))
                rows = try Row.fetchCursor(db, sql: "SELECT tableName, key, value FROM record WHERE tableName >= ? AND tableName < ? "
                                           + "ORDER BY tableName, key", arguments: [low, high])
            } else {
                rows = try Row.fetchCursor(db, sql: "SELECT tableName, key, value FROM record WHERE instr(tableName, ?) = 0 "
                                           + "ORDER BY tableName, key", arguments: [String(ScopedPersistence.separator)])
            }
            while let row = try rows.next() {
                let table: String = row[0], key: String = row[1]
                // Parsed straight from SQLite's buffer: no String and Data copies of every record's text on the way.
                let value = try row.withUnsafeData(atIndex: 2) { data in try JSONParser.parse(data ?? Data()) }
                try body(StateRecord(table: table, key: key, value: value))
            }
        }
    }

    public func apply(_ changes: [StateChange]) throws {
        guard !changes.isEmpty else { return }
        try queue.write { db in
            for change in changes {
                switch change {
                case let .put(record):
                    try db.execute(sql: "INSERT OR REPLACE INTO record (tableName, key, value) VALUES (?, ?, ?)",
                                   arguments: [record.table, record.key, record.value.compactText])
                case let .remove(table, key):
                    try db.execute(sql: "DELETE FROM record WHERE tableName = ? AND key = ?", arguments: [table, key])
                }
            }
        }
    }
}
