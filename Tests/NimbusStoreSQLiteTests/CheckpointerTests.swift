import Foundation
import NimbusStore
import NimbusStoreSQLite
import NimbusTesting
import Testing

@Suite struct CheckpointerTests {
    /// Commits far below the writer's own checkpoint threshold still reach the database file:
    /// the background checkpoint copied them out of the log.
    @Test func committedPagesReachTheDatabaseFileWithoutTheWriterCheckpointing() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/test.sqlite"
            let store = try SQLiteStore(path: path)
            try await store.execute("CREATE TABLE notes (body BLOB)")
            let before = try size(of: path)
            let body = [UInt8](repeating: 7, count: 64 * 1024)
            for _ in 0..<16 {
                try await store.transaction { transaction in try await transaction.execute("INSERT INTO notes (body) VALUES (\(body))") }
            }
            // 1 MiB is about 260 pages: SQLite's own checkpoint (at 1,000, here 50,000) never ran.
            let deadline = ContinuousClock.now + .seconds(10)
            while try size(of: path) < before + 1_048_576, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try size(of: path) >= before + 1_048_576)
            let rows = try await store.query("SELECT count(*) AS n FROM notes")
            #expect(rows.first?.int("n") == 16)
            try await store.close()
        }
    }

    private func size(of path: String) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
    }
}
