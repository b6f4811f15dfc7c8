import GRDB
import Synchronization

/// Read-only connections for queries, each used by one thread at a time and run on the
/// calling thread.
///
/// A query takes an idle connection (opening one when every connection is busy) and puts it
/// back. GRDB's reader pool does the same behind a semaphore, a barrier queue and a
/// read-write lock, which the event loops contended on for every S3 GET; here the hand-over
/// is one uncontended `Mutex`. There are never more connections than threads that queried at
/// the same time.
final class ReaderConnections: Sendable {
    private let path: String
    private let idle = Mutex<[DatabaseQueue]>([])

    /// - Parameter path: a database in WAL mode whose writer is already open.
    init(path: String) {
        self.path = path
    }

    /// Runs `body` on an idle connection, outside a transaction: a single statement reads one
    /// snapshot of the database by itself.
    func read<T>(_ body: (GRDB.Database) throws -> T) throws -> T {
        let connection = try idle.withLock { $0.popLast() } ?? open()
        defer { idle.withLock { $0.append(connection) } }
        return try connection.inDatabase(body)
    }

    /// Closes the idle connections.
    func close() {
        let connections = idle.withLock { idle in
            defer { idle = [] }
            return idle
        }
        for connection in connections { try? connection.close() }
    }

    private func open() throws -> DatabaseQueue {
        var configuration = GRDB.Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(10)
        configuration.label = "nimbus-reader"
        // Up to 16 MiB of pages each instead of SQLite's 2 MiB: reads that find their pages here
        // make no `pread` (1.4 per S3 GET of 1,000 objects of 4 KiB before). A write by another
        // connection empties the cache at the next read (WAL mode), so only pages read since
        // the last write are kept. Memory-mapped reads (`mmap_size`) also avoid the `pread`, but
        // 4 KiB PUTs were slower with them in three alternated runs (each reader maps the file
        // again as writes grow it).
        configuration.prepareDatabase { db in try db.execute(sql: "PRAGMA cache_size = -16384") }
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}
