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

    public func loadAll() throws -> [StateRecord] {
        try queue.read { db in
            try Row.fetchAll(db, sql: "SELECT tableName, key, value FROM record ORDER BY tableName, key").map { row in
                let text: String = row["value"]
                return StateRecord(table: row["tableName"], key: row["key"], value: try JSONParser.parse(text))
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
