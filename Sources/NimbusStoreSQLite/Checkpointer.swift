import Foundation
import GRDB
import Synchronization

/// Copies the write-ahead log into the database on a connection and thread of its own, so the
/// writer never stops to do it.
///
/// SQLite checkpoints by default inside the commit that takes the log past 1,000 pages: that
/// commit copies the pages and flushes the log and the database before it returns, and every
/// write behind it waits (the S3 and SQS benchmarks saw 17–145 ms p99 from it). Here a passive
/// checkpoint (which never blocks readers or writers) runs on its own connection at most every
/// `interval` seconds while commits keep coming, and once after they stop. The writer keeps SQLite's
/// own checkpoint as a backstop, at `backstopPages`, for a log that grows faster than this
/// thread folds it.
final class Checkpointer: Sendable {
    /// SQLite's `wal_autocheckpoint` for the writer: far above what the checkpointer lets accumulate.
    static let backstopPages = 50_000

    private let connection: DatabaseQueue
    private let interval: TimeInterval
    private let state = Mutex(State())
    private let wake = DispatchSemaphore(value: 0)

    private struct State {
        var pending = false
        var stopped = false
    }

    /// - Parameter path: the database file (in WAL mode, opened by the store's pool).
    init(path: String, interval: TimeInterval = 0.05) throws {
        var configuration = GRDB.Configuration()
        configuration.busyMode = .timeout(1)
        connection = try DatabaseQueue(path: path, configuration: configuration)
        self.interval = interval
        let thread = Thread { [self] in run() }
        thread.name = "nimbus-sqlite-checkpoint"
        thread.start()
    }

    /// Records that a transaction committed; the next checkpoint will fold it in.
    func committed() {
        let first = state.withLock { state in
            defer { state.pending = true }
            return !state.pending
        }
        if first { wake.signal() }
    }

    /// Ends the thread after a last checkpoint.
    func stop() {
        state.withLock { $0.stopped = true }
        wake.signal()
    }

    private func run() {
        while true {
            wake.wait()
            // Let a burst of commits gather, so one checkpoint copies them all.
            Thread.sleep(forTimeInterval: interval)
            let stopped = state.withLock { state in
                state.pending = false
                return state.stopped
            }
            // Busy (another checkpoint running) or an I/O error: the next commit triggers another try,
            // and the writer's backstop still bounds the log.
            _ = try? connection.writeWithoutTransaction { db in try db.checkpoint(.passive) }
            if stopped { return }
        }
    }
}
