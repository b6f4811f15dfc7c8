import Foundation
import NimbusStore
import NimbusTesting
import Synchronization
import Testing

@testable import NimbusStoreSQLite

/// A flush counter shared by the test and its flush closure.
private final class FlushCount: Sendable {
    let value = Mutex(0)
}

@Suite struct WALSyncTests {
    /// A caller that arrives while a flush runs is answered by a flush that started after it
    /// arrived (the running one may not cover its commit), and callers waiting together share one.
    @Test func aCallerIsCoveredOnlyByAFlushThatStartedAfterItAndWaitersShareOne() async throws {
        let flushes = FlushCount()
        let firstStarted = DispatchSemaphore(value: 0)
        let releaseFirst = DispatchSemaphore(value: 0)
        let sync = WALSync {
            let number = flushes.value.withLock { count in
                count += 1
                return count
            }
            if number == 1 {
                firstStarted.signal()
                releaseFirst.wait()
            }
        }
        let first = Task { try await sync.sync() }
        await withCheckedContinuation { continuation in
            DispatchQueue.global().async {
                firstStarted.wait()
                continuation.resume()
            }
        }
        // Ten callers arrive while the first flush is still running.
        let late = Task {
            try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<10 {
                    group.addTask {
                        try await sync.sync()
                        return flushes.value.withLock { $0 }
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
        }
        try await Task.sleep(for: .milliseconds(50))
        #expect(flushes.value.withLock { $0 } == 1, "nobody flushes while the first flush runs")
        releaseFirst.signal()
        try await first.value
        let seen = try await late.value
        #expect(seen.allSatisfy { $0 >= 2 }, "every late caller returned after a flush that started after it")
        #expect(flushes.value.withLock { $0 } <= 3, "the late callers shared their flushes")
    }

    @Test func aFailedFlushFailsItsCallers() async throws {
        struct DiskGone: Error {}
        let sync = WALSync { throw DiskGone() }
        await #expect(throws: DiskGone.self) { try await sync.sync() }
    }

    /// On a real database: the flush finds the log (or its absence) and committed data stays.
    @Test func syncCommittedFlushesTheLogOfARealDatabase() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/test.sqlite"
            let store = try SQLiteStore(path: path)
            try await store.syncCommitted()
            try await store.execute("CREATE TABLE t (v INTEGER)")
            try await store.execute("INSERT INTO t (v) VALUES (7)")
            #expect(FileManager.default.fileExists(atPath: path + "-wal"))
            try await store.syncCommitted()
            try await store.close()
            let reopened = try SQLiteStore(path: path)
            #expect(try await reopened.query("SELECT v FROM t").first?.int("v") == 7)
            try await reopened.close()
        }
    }
}
