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
        return try DatabaseQueue(path: path, configuration: configuration)
    }
}
