import Foundation
import NimbusStore
import NimbusStoreSQLite
import NimbusTesting
import Testing

@Suite struct CheckpointerTests {
    /// A log past the checkpoint threshold reaches the database file while SQLite's own
    /// checkpoint in the writer (the backstop, at 50,000 pages) never runs.
    @Test func aGrownLogReachesTheDatabaseFileWithoutTheWriterCheckpointing() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/test.sqlite"
            let store = try SQLiteStore(path: path)
            try await store.execute("CREATE TABLE notes (body BLOB)")
            let before = try size(of: path)
            let body = [UInt8](repeating: 7, count: 64 * 1024)
            // 5 MiB is about 1,300 pages: past the threshold, far below the backstop.
            for _ in 0..<80 {
                try await store.transaction { transaction in try await transaction.execute("INSERT INTO notes (body) VALUES (\(body))") }
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while try size(of: path) < before + 4 * 1_048_576, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try size(of: path) >= before + 4 * 1_048_576)
            let rows = try await store.query("SELECT count(*) AS n FROM notes")
            #expect(rows.first?.int("n") == 80)
            try await store.close()
        }
    }

    /// A pause does not fold a small log: the next commit appends to it instead of restarting it
    /// (which would flush the new log header inside that commit).
    @Test func aSmallLogStaysAppendableAcrossAPause() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/test.sqlite"
            let store = try SQLiteStore(path: path)
            try await store.execute("CREATE TABLE notes (body BLOB)")
            let before = try size(of: path)
            let body = [UInt8](repeating: 7, count: 64 * 1024)
            for _ in 0..<16 {
                try await store.transaction { transaction in try await transaction.execute("INSERT INTO notes (body) VALUES (\(body))") }
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(try size(of: path) == before, "the log was checkpointed during the pause")
            #expect(try size(of: path + "-wal") >= 1_048_576)
            let rows = try await store.query("SELECT count(*) AS n FROM notes")
            #expect(rows.first?.int("n") == 16)
            try await store.close()
        }
    }

    private func size(of path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
