import Foundation
import NimbusStore
import NimbusStoreSQLite
import NimbusTesting
import Testing

@Suite struct SQLiteStoreTests {
    @Test(arguments: StoreConformance.checks.map(\.name))
    func conformance(_ name: String) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path + "/test.sqlite")
            let check = try #require(StoreConformance.checks.first { $0.name == name })
            try await check.run(store)
            try await store.close()
        }
    }

    @Test func survivesReopen() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/test.sqlite"
            try await StoreConformance.survivesReopen { try SQLiteStore(path: path) }
        }
    }

    @Test func usesWriteAheadLogging() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path + "/test.sqlite")
            let mode = try await store.query("PRAGMA journal_mode")
            #expect(mode.first?.string("journal_mode") == "wal")
            try await store.close()
        }
    }

    @Test func fileBlobStore() async throws {
        try await TemporaryDirectory.with { directory in
            let blobs = try FileBlobStore(root: directory.path + "/blobs")
            try await StoreConformance.blobRoundTrip(blobs)
            // No temporary files are left behind by completed writes.
            let leftovers = FileManager.default.enumerator(atPath: directory.path)?.compactMap { $0 as? String }.filter { $0.contains(".tmp-") }
            #expect(leftovers?.isEmpty ?? true)
        }
    }

    @Test func fileBlobStoreSweep() async throws {
        try await TemporaryDirectory.with { directory in
            try await StoreConformance.blobSweep(try FileBlobStore(root: directory.path + "/blobs"))
        }
    }

    @Test func namespacedBlobsWrittenBeforeNamespaceFoldersStillReadAndDelete() async throws {
        try await TemporaryDirectory.with { directory in
            let root = directory.path + "/blobs"
            let blobs = try FileBlobStore(root: root)
            try await blobs.put("s3/old", [1, 2, 3])
            // Move the file where the flat layout kept it: <root>/<2 hex>/<2 hex>/<digest>.
            let relative = try #require(FileManager.default.enumerator(atPath: root + "/ns/s3")?.compactMap { $0 as? String }.first { $0.count > 6 })
            try FileManager.default.createDirectory(atPath: root + "/" + relative.prefix(5), withIntermediateDirectories: true)
            try FileManager.default.moveItem(atPath: root + "/ns/s3/" + relative, toPath: root + "/" + relative)
            #expect(try await blobs.get("s3/old") == [1, 2, 3])
            #expect(try await blobs.openReader("s3/old")?.size == 3)
            // A sweep walks only the namespace folder: the flat file is left alone.
            #expect(try await blobs.removeUnreferenced(namespace: "s3", referenced: []) == BlobSweep())
            try await blobs.delete("s3/old")
            #expect(try await blobs.get("s3/old") == nil)
            #expect(!FileManager.default.fileExists(atPath: root + "/" + relative))
        }
    }

    @Test func concurrentTransactionsAreSerialised() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path + "/test.sqlite")
            try await store.execute("CREATE TABLE counter (n INTEGER NOT NULL)")
            try await store.execute("INSERT INTO counter (n) VALUES (0)")
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 {
                    group.addTask {
                        try await store.transaction { transaction in
                            let current = try await transaction.query("SELECT n FROM counter").first?.int("n") ?? 0
                            try await transaction.execute("UPDATE counter SET n = \(current + 1)")
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await store.query("SELECT n FROM counter").first?.int("n") == 20)
            try await store.close()
        }
    }
}
