import Foundation
import GRDB
import GRDBSQLite
import Synchronization

/// Copies the write-ahead log into the database on a connection and thread of its own, so the
/// writer never stops to do it.
///
/// SQLite checkpoints by default inside the commit that takes the log past 1,000 pages: that
/// commit copies the pages and flushes the log and the database before it returns, and every
/// write behind it waits (the S3 and SQS benchmarks saw 17–145 ms p99 from it). Here the writer's
/// WAL hook reports the log's size after each commit, and once it reaches `thresholdPages` a
/// passive checkpoint (which never blocks readers or writers) runs on this thread.
///
/// The log is folded by size only, never because commits paused: a checkpoint that copies the
/// whole log makes the next commit restart it from the beginning, and SQLite flushes the new log
/// header to the disk inside that commit. Checkpointing after every pause put that flush on the
/// first write after it (an SQS send after an idle moment); by size, it comes once per thousand
/// pages. The hook keeps SQLite's own checkpoint as a backstop, at `backstopPages`, for a log
/// that grows faster than this thread folds it.
///
/// After each checkpoint this thread also keeps the start of the log, which the next commits
/// overwrite, in memory (`WALResidency`).
final class Checkpointer: Sendable {
    /// Log pages at which the background checkpoint runs (SQLite's own default threshold).
    static let thresholdPages = 1_000
    /// Log pages at which the writer checkpoints inside its commit, as SQLite's `wal_autocheckpoint` would.
    static let backstopPages = 50_000
    /// Bytes of the log kept in memory: twice its size at the threshold (frames of 4 KiB pages).
    static let residentBytes = 2 * thresholdPages * (4_096 + 24)

    private let connection: DatabaseQueue
    private let walPath: String
    private let interval: TimeInterval
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    private struct State {
        var pending = false
        var stopped = false
    }

    /// - Parameter path: the database file (in WAL mode, opened by the store's pool).
    /// - Parameter interval: how long a checkpoint waits after it is asked for, so that the commits
    ///   of a burst gather into one copy.
    init(path: String, interval: TimeInterval = 0.05) throws {
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(1)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        walPath = path + "-wal"
        self.interval = interval
        let thread = Thread { [self] in run() }
        thread.name = "nimbus-sqlite-checkpoint"
        thread.start()
    }

    /// Installs the WAL hook on the store's writer connection (replacing `wal_autocheckpoint`).
    /// The writer must not outlive this checkpointer.
    func watch(_ writer: GRDB.Database) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        sqlite3_wal_hook(
            writer.sqliteConnection,
            { context, connection, schema, pages in
                guard let context else { return SQLITE_OK }
                let checkpointer = Unmanaged<Checkpointer>.fromOpaque(context).takeUnretainedValue()
                if Int(pages) >= Checkpointer.backstopPages {
                    // What SQLite's own hook does: a passive checkpoint inside the commit.
                    _ = sqlite3_wal_checkpoint(connection, schema)
                } else if Int(pages) >= Checkpointer.thresholdPages {
                    checkpointer.request()
                }
                return SQLITE_OK
            },
            context
        )
    }

    /// Ends the thread after a last checkpoint.
    func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
    }

    /// Asks for a checkpoint; the requests made before it starts share it.
    private func request() {
        let first = state.withLock { state in
            defer { state.pending = true }
            return !state.pending
        }
        if first { wake.signal() }
    }

    private func run() {
        var residency = WALResidency(path: walPath, limit: Self.residentBytes)
        residency.refresh()
        while true {
            wake.wait()
            let stopping = state.withLock { $0.stopped }
            // Let a burst of commits gather, so one checkpoint copies them all.
            if !stopping { Thread.sleep(forTimeInterval: interval) }
            let stopped = state.withLock { state in
                state.pending = false
                return state.stopped
            }
            // Busy (another checkpoint running) or an I/O error: the next commit asks again,
            // and the writer's backstop still bounds the log.
            _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            if stopped { return }
            residency.refresh()
        }
    }
}
