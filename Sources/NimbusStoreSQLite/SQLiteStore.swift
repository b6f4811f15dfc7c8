import CSQLiteOptions
import Foundation
import GRDB
package import NimbusStore

/// The embedded store: one SQLite database in WAL mode, through GRDB.
///
/// Writes go through GRDB's single writer connection; queries read committed data from
/// read-only connections (`ReaderConnections`) on the calling thread, concurrently with writes. `synchronous=NORMAL` in WAL mode makes a
/// committed transaction survive a crash of the process (not of the machine), which is
/// the durability DESIGN.md promises for the embedded store; `syncCommitted()` flushes the
/// log for writes that must also survive a power loss. The log is folded into the database by
/// `Checkpointer`, off the writer.
package final class SQLiteStore: SQLStore {
    package let dialect = SQLDialect.sqlite
    package let location: String
    private let pool: DatabasePool
    /// The connections queries read from.
    private let readers: ReaderConnections
    /// Serialises transactions whose bodies suspend between statements.
    private let transactionGate = AsyncGate()
    /// Flushes the write-ahead log for `syncCommitted()`.
    private let walSync: WALSync
    /// Folds the write-ahead log into the database off the writer.
    private let checkpointer: Checkpointer

    /// SQLite's memory statistics, off before the first connection opens: with them, every
    /// allocation took a process-wide mutex, which the two event loops' queries contended for
    /// (a `futex` call per GET, a quarter of them from SQLite's allocator).
    private static let memoryStatisticsOff = nimbus_sqlite_disable_memory_statistics() == 0

    /// Opens (creating if needed) the database at `path`.
    /// - Throws: `StoreError(.cannotOpen)` with SQLite's reason.
    package init(path: String) throws {
        _ = Self.memoryStatisticsOff
        var configuration = GRDB.Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            try db.execute(sql: "PRAGMA foreign_keys = ON")
        }
        configuration.busyMode = .timeout(10)
        // `transaction` spans several writer accesses (its body is async); the gate keeps them exclusive.
        configuration.allowsUnsafeTransactions = true
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            let checkpointer = try Checkpointer(path: path)
            try Self.onWriter(pool) { db in checkpointer.watch(db) }
            self.pool = pool
            self.checkpointer = checkpointer
        } catch {
            throw StoreError(.cannotOpen, "cannot open SQLite database at \(path): \(error)")
        }
        location = path
        readers = ReaderConnections(path: path)
        walSync = WALSync(databasePath: path)
    }

    package func execute(_ statement: NimbusStore.SQL) async throws {
        try await transactionGate.withLock {
            try await pool.write { db in try Self.run(statement, in: db) }
        }
    }

    /// Reads on the calling thread, like a transaction's statements: a lookup takes microseconds,
    /// less than the two thread switches of a hop to a reader's queue and back.
    package func query(_ statement: NimbusStore.SQL) async throws -> [SQLRow] {
        try readers.read { db in try Self.rows(statement, in: db) }
    }

    /// Statements of a transaction run on the calling thread (GRDB's synchronous writer access):
    /// SQLite answers in microseconds, and a hop to the writer's queue and back for every
    /// statement cost more than the statement. The gate keeps transactions exclusive, so the
    /// writer is never busy with another of ours when a statement waits for it.
    package func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        try await transactionGate.withLock {
            try Self.onWriter(pool) { db in try db.execute(sql: "BEGIN IMMEDIATE") }
            do {
                let result = try await body(SQLiteTransaction(pool: pool))
                try Self.onWriter(pool) { db in try db.execute(sql: "COMMIT") }
                return result
            } catch {
                try? Self.onWriter(pool) { db in try db.execute(sql: "ROLLBACK") }
                throw error
            }
        }
    }

    /// Flushes the `-wal` file (see `WALSync`): a commit under `synchronous=NORMAL` is not flushed.
    package func syncCommitted() async throws {
        try await walSync.sync()
    }

    @discardableResult
    package func migrate(_ migrations: [Migration]) async throws -> [String] {
        try await MigrationRunner.run(migrations, on: self)
    }

    deinit {
        checkpointer.stop()
    }

    package func close() async throws {
        checkpointer.stop()
        readers.close()
        try pool.close()
    }

    /// The writer connection, synchronously on the calling thread (a synchronous function, so
    /// that GRDB's blocking overload is the one chosen).
    static func onWriter<T>(_ pool: DatabasePool, _ body: (GRDB.Database) throws -> T) throws -> T {
        try pool.writeWithoutTransaction(body)
    }

    /// Runs a statement. A single statement is prepared once per connection and reused
    /// (`cachedStatement`): parsing and GRDB's authorizer cost more than running a lookup.
    /// Text with a `;` (several statements, e.g. a migration's) is prepared each time. The texts
    /// come from code with values bound as parameters, so the cache stays small (an `IN` list
    /// adds one entry per length).
    static func run(_ statement: NimbusStore.SQL, in db: GRDB.Database) throws {
        let text = statement.text { _ in "?" }
        if text.utf8.contains(UInt8(ascii: ";")) {
            try db.execute(sql: text, arguments: arguments(statement))
        } else {
            try db.cachedStatement(sql: text).execute(arguments: arguments(statement))
        }
    }

    /// Runs a query through the connection's cache of prepared statements.
    static func rows(_ statement: NimbusStore.SQL, in db: GRDB.Database) throws -> [SQLRow] {
        let prepared = try db.cachedStatement(sql: statement.text { _ in "?" })
        return try GRDB.Row.fetchAll(prepared, arguments: arguments(statement)).map { row in
            var columns: [String: SQLValue] = [:]
            for (name, value) in row {
                columns[name] = sqlValue(value)
            }
            return SQLRow(columns: columns)
        }
    }

    private static func arguments(_ statement: NimbusStore.SQL) -> StatementArguments {
        StatementArguments(
            statement.binds.map { bind -> (any DatabaseValueConvertible)? in
                switch bind {
                case .null: nil
                case .integer(let value): value
                case .double(let value): value
                case .text(let value): value
                case .blob(let value): Data(value)
                }
            }
        )
    }

    private static func sqlValue(_ value: DatabaseValue) -> SQLValue {
        switch value.storage {
        case .null: .null
        case .int64(let number): .integer(number)
        case .double(let number): .double(number)
        case .string(let text): .text(text)
        case .blob(let data): .blob([UInt8](data))
        }
    }
}

/// Statements of an open transaction, on the writer connection.
private struct SQLiteTransaction: SQLTransaction {
    let pool: DatabasePool

    func execute(_ statement: NimbusStore.SQL) async throws {
        try SQLiteStore.onWriter(pool) { db in try SQLiteStore.run(statement, in: db) }
    }

    func query(_ statement: NimbusStore.SQL) async throws -> [SQLRow] {
        try SQLiteStore.onWriter(pool) { db in try SQLiteStore.rows(statement, in: db) }
    }
}
