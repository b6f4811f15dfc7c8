import Foundation
import NimbusStore
import NimbusStoreSQLite
import NimbusTesting
import Testing

@Suite struct CheckpointerTests {
    /// A log past the checkpoint threshold reaches the database file while SQLite's own
    /// checkpoint in the writer (the backstop, at 50,000 pages) never runs.
    @Test func aGrownLogReachesTheDatabaseFileWithoutTheWriterCheckpointing() async throws {
        try await withNotes { store, path in
            let before = try size(of: path)
            // 5 MiB is about 1,300 pages: past the threshold, far below the backstop.
            try await insert(80, into: store)
            let deadline = ContinuousClock.now + .seconds(10)
            while try size(of: path) < before + 4 * 1_048_576, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try size(of: path) >= before + 4 * 1_048_576)
            #expect(try await store.query("SELECT count(*) AS n FROM notes").first?.int("n") == 80)
        }
    }

    /// A pause does not fold a small log: the next commit appends to it instead of restarting it
    /// (which would flush the new log header inside that commit).
    @Test func aSmallLogStaysAppendableAcrossAPause() async throws {
        try await withNotes { store, path in
            let before = try size(of: path)
            try await insert(16, into: store)
            try await Task.sleep(for: .milliseconds(300))
            #expect(try size(of: path) == before, "the log was checkpointed during the pause")
            #expect(try size(of: path + "-wal") >= 1_048_576)
            #expect(try await store.query("SELECT count(*) AS n FROM notes").first?.int("n") == 16)
        }
    }

    /// A store at `path` with an empty `notes` table, closed afterwards.
    private func withNotes(_ body: (SQLiteStore, String) async throws -> Void) async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/test.sqlite"
            let store = try SQLiteStore(path: path)
            try await store.execute("CREATE TABLE notes (body BLOB)")
            try await body(store, path)
            try await store.close()
        }
    }

    /// Commits `count` rows of 64 KiB, one transaction each.
    private func insert(_ count: Int, into store: SQLiteStore) async throws {
        let body = [UInt8](repeating: 7, count: 64 * 1024)
        for _ in 0..<count {
            try await store.transaction { transaction in try await transaction.execute("INSERT INTO notes (body) VALUES (\(body))") }
        }
    }

    private func size(of path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
