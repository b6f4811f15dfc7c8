import Foundation
import NimbusStore

#if canImport(Glibc)
import Glibc
#endif

/// Flushes the database's write-ahead log to the disk for callers that need their committed
/// transactions to survive a power loss, sharing one flush among the callers that ask together.
///
/// The store runs with `synchronous=NORMAL`: a commit appends its frames to the `-wal` file
/// without a flush, which survives a crash of the process but not of the machine (SQLite
/// flushes the log only before a checkpoint copies it into the database, and the database
/// after). Flushing the `-wal` file after the commit gives the transaction what
/// `synchronous=FULL` would, without holding the writer while the disk flushes: other
/// transactions commit meanwhile, and the next flush covers them all.
///
/// A caller arriving while a flush runs waits for the next one (the running one may have
/// started before its commit); a flush covers every commit that returned before it started.
/// A checkpoint that already moved the frames into the database flushed them itself, and a
/// missing `-wal` file means every frame was checkpointed (SQLite deletes it only then).
final class WALSync: Sendable {
    private let flushes: GroupCommit<Void, Void>

    /// - Parameter databasePath: the database file; its log is `<path>-wal`.
    convenience init(databasePath: String) {
        let walPath = databasePath + "-wal"
        self.init { try Self.flush(walPath) }
    }

    /// Runs `flush` (blocking; on `BlockingIO`'s threads) for each group of callers.
    init(flush: @escaping @Sendable () throws -> Void) {
        flushes = GroupCommit { requests in
            // The flush waits on the disk for milliseconds: off the cooperative pool.
            try await BlockingIO.shared.run { try flush() }
            return requests.map { _ in () }
        }
    }

    /// Returns once every transaction committed before the call is on the disk.
    /// - Throws: `StoreError(.io)` when the log cannot be flushed.
    func sync() async throws {
        try await flushes.submit(())
    }

    private static func flush(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return }
            throw StoreError(.io, "open \(path): errno \(errno)")
        }
        defer { close(descriptor) }
        // fdatasync also writes the metadata needed to read the data back (the grown size).
        guard fdatasync(descriptor) == 0 else { throw StoreError(.io, "fdatasync \(path): errno \(errno)") }
    }
}
