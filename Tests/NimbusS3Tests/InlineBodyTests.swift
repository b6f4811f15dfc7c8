import Crypto
import Foundation
import NimbusCore
import NimbusStore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Synchronization
import Testing

@testable import NimbusS3

/// An SQLite store that records commits and flushes in order, and fails flushes on demand.
final class RecordingSQLStore: SQLStore {
    let base: SQLiteStore
    let events = Mutex<[String]>([])
    let failSync = Mutex(false)

    init(_ base: SQLiteStore) { self.base = base }

    var dialect: SQLDialect { base.dialect }
    var location: String { base.location }

    func execute(_ statement: SQL) async throws {
        try await base.execute(statement)
        events.withLock { $0.append("commit") }
    }

    func query(_ statement: SQL) async throws -> [SQLRow] { try await base.query(statement) }

    func transaction<T: Sendable>(_ body: @Sendable (any SQLTransaction) async throws -> T) async throws -> T {
        let result = try await base.transaction(body)
        events.withLock { $0.append("commit") }
        return result
    }

    func syncCommitted() async throws {
        events.withLock { $0.append("sync") }
        if failSync.withLock({ $0 }) { throw StoreError(.io, "flush failed") }
        try await base.syncCommitted()
        events.withLock { $0.append("synced") }
    }

    func migrate(_ migrations: [Migration]) async throws -> [String] { try await MigrationRunner.run(migrations, on: self) }
    func close() async throws { try await base.close() }
}

/// A blob store that records the keys it is asked to delete.
final class RecordingBlobStore: BlobStore {
    let base: FileBlobStore
    let deleted = Mutex<[String]>([])

    init(_ base: FileBlobStore) { self.base = base }

    func put(_ key: String, _ bytes: [UInt8]) async throws { try await base.put(key, bytes) }
    func get(_ key: String) async throws -> [UInt8]? { try await base.get(key) }
    func delete(_ key: String) async throws {
        deleted.withLock { $0.append(key) }
        try await base.delete(key)
    }
    func makeWriter(_ key: String) async throws -> any BlobWriter { try await base.makeWriter(key) }
    func openReader(_ key: String) async throws -> (any BlobReader)? { try await base.openReader(key) }
    func removeUnreferenced(namespace: String, referenced: Set<String>) async throws -> BlobSweep {
        try await base.removeUnreferenced(namespace: namespace, referenced: referenced)
    }
}

@Suite struct InlineBodyTests {
    struct Harness {
        var service: S3Service
        var sql: RecordingSQLStore
        var blobs: RecordingBlobStore
        var blobRoot: String

        func put(_ key: String, _ bytes: [UInt8], bucket: String = "bkt") async throws -> S3Shapes.PutObjectOutput {
            try await service.putObject(S3Shapes.PutObjectRequest(bucket: bucket, key: key), context: s3Context(bytes))
        }

        func get(_ key: String, range: String? = nil, versionID: String? = nil) async throws -> [UInt8] {
            let answer = try await service.getObject(
                S3Shapes.GetObjectRequest(bucket: "bkt", key: key, range: range, versionId: versionID),
                context: s3Context()
            )
            return try await answer.body?.collect(upTo: 1 << 24) ?? []
        }

        func inlineRows() async throws -> Int64 {
            try await sql.query("SELECT COUNT(*) AS n FROM s3_inline_bodies").first?.int("n") ?? -1
        }

        /// Committed blob files (temporary files excluded).
        func blobFiles() -> Int {
            let names = FileManager.default.enumerator(atPath: blobRoot)?.compactMap { $0 as? String } ?? []
            return names.filter { name in
                var isFolder: ObjCBool = false
                FileManager.default.fileExists(atPath: blobRoot + "/" + name, isDirectory: &isFolder)
                return !isFolder.boolValue && !name.contains(".tmp-")
            }.count
        }
    }

    /// An S3 service on the store and blobs under `root` (reopened when they exist), with bucket `bkt`.
    private func harness(root: String) async throws -> Harness {
        let sql = RecordingSQLStore(try SQLiteStore(path: root + "/db.sqlite"))
        let blobs = RecordingBlobStore(try FileBlobStore(root: root + "/blobs"))
        let service = try await S3Service(store: sql, blobs: blobs, dispatcher: RecordingDispatcher())
        if try await service.store.bucket("bkt") == nil {
            _ = try await service.createBucket(S3Shapes.CreateBucketRequest(bucket: "bkt"), context: s3Context())
        }
        return Harness(service: service, sql: sql, blobs: blobs, blobRoot: root + "/blobs")
    }

    private func withInline(_ body: (Harness) async throws -> Void) async throws {
        try await TemporaryDirectory.with { directory in
            let h = try await harness(root: directory.path)
            try await body(h)
            try await h.sql.close()
        }
    }

    private static let small = Array("small inline body".utf8)
    private static let large = (0..<(ObjectBody.inlineLimit + 1)).map { UInt8(truncatingIfNeeded: $0 &* 31) }

    @Test func aSmallPutIsStoredInlineAndAcknowledgedOnlyAfterItsCommitIsFlushed() async throws {
        try await withInline { h in
            h.sql.events.withLock { $0 = [] }
            let output = try await h.put("k", Self.small)
            #expect(h.sql.events.withLock { $0 } == ["commit", "sync", "synced"], "the row commits, then the log is flushed, then the PUT returns")
            #expect(output.eTag == ETag.quoted(Insecure.MD5.hash(data: Self.small)))
            #expect(try await h.inlineRows() == 1)
            #expect(h.blobFiles() == 0)
            #expect(try await h.get("k") == Self.small)
            #expect(try await h.get("k", range: "bytes=6-11") == Array("inline".utf8))
            let record = try #require(try await h.service.store.object("bkt", "k"))
            #expect(ObjectBody.isInline(record.blob))
        }
    }

    @Test func aPutWhoseFlushFailsIsNotAcknowledged() async throws {
        try await withInline { h in
            h.sql.failSync.withLock { $0 = true }
            await #expect(throws: StoreError.self) { try await h.put("k", Self.small) }
            await #expect(throws: StoreError.self) { try await h.put("big", Self.large) }
        }
    }

    @Test func concurrentSmallPutsShareCommitsAndFlushes() async throws {
        try await withInline { h in
            h.sql.events.withLock { $0 = [] }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for n in 0..<40 {
                    group.addTask { _ = try await h.put("k\(n)", Array("body \(n)".utf8)) }
                }
                try await group.waitForAll()
            }
            let events = h.sql.events.withLock { $0 }
            #expect(events.filter { $0 == "sync" }.count == 40, "every PUT asks for a flush")
            #expect(try await h.inlineRows() == 40)
            for n in [0, 17, 39] { #expect(try await h.get("k\(n)") == Array("body \(n)".utf8)) }
        }
    }

    @Test func deletingAnInlineObjectRemovesItsBodyWithoutTouchingTheBlobStore() async throws {
        try await withInline { h in
            _ = try await h.put("k", Self.small)
            _ = try await h.service.deleteObject(S3Shapes.DeleteObjectRequest(bucket: "bkt", key: "k"), context: s3Context())
            #expect(try await h.inlineRows() == 0)
            #expect(h.blobs.deleted.withLock { $0 }.isEmpty)
            await #expect(throws: AWSError.self) { try await h.get("k") }
        }
    }

    @Test func overwritingBetweenInlineAndBlobSizesLeavesNoOrphans() async throws {
        try await withInline { h in
            _ = try await h.put("k", Self.small)
            _ = try await h.put("k", Self.large)
            #expect(try await h.get("k") == Self.large)
            #expect(try await h.inlineRows() == 0, "the replaced inline body went with the row")
            #expect(h.blobFiles() == 1)
            _ = try await h.put("k", Array("again small".utf8))
            #expect(try await h.get("k") == Array("again small".utf8))
            #expect(try await h.inlineRows() == 1)
            #expect(h.blobFiles() == 0, "the replaced blob was deleted")
            _ = try await h.put("k", Array("and again".utf8))
            #expect(try await h.inlineRows() == 1)
            #expect(try await h.get("k", range: "bytes=-5") == Array("again".utf8))
        }
    }

    @Test func copiesMoveBytesBetweenInlineAndBlobBodies() async throws {
        try await withInline { h in
            _ = try await h.put("small", Self.small)
            _ = try await h.put("large", Self.large)
            for (source, target) in [("small", "small-copy"), ("large", "large-copy")] {
                _ = try await h.service.copyObject(
                    S3Shapes.CopyObjectRequest(bucket: "bkt", copySource: "bkt/\(source)", key: target),
                    context: s3Context()
                )
            }
            #expect(try await h.get("small-copy") == Self.small)
            #expect(try await h.get("large-copy") == Self.large)
            #expect(try await h.inlineRows() == 2)
            #expect(h.blobFiles() == 2)
            // A large object copied over a small one, and back.
            _ = try await h.service.copyObject(
                S3Shapes.CopyObjectRequest(bucket: "bkt", copySource: "bkt/large", key: "small-copy"),
                context: s3Context()
            )
            _ = try await h.service.copyObject(
                S3Shapes.CopyObjectRequest(bucket: "bkt", copySource: "bkt/small", key: "large-copy"),
                context: s3Context()
            )
            #expect(try await h.get("small-copy") == Self.large)
            #expect(try await h.get("large-copy") == Self.small)
            #expect(try await h.inlineRows() == 2)
            #expect(h.blobFiles() == 2)
        }
    }

    @Test func versionsKeepTheirInlineBodiesUntilDeleted() async throws {
        try await withInline { h in
            try await h.service.putBucketVersioning(
                S3Shapes.PutBucketVersioningRequest(bucket: "bkt", versioningConfiguration: S3Shapes.VersioningConfiguration(status: "Enabled")),
                context: s3Context()
            )
            let first = try #require(try await h.put("k", Array("one".utf8)).versionId)
            _ = try await h.put("k", Array("two".utf8))
            #expect(try await h.get("k") == Array("two".utf8))
            #expect(try await h.get("k", versionID: first) == Array("one".utf8))
            #expect(try await h.inlineRows() == 2)
            _ = try await h.service.deleteObject(S3Shapes.DeleteObjectRequest(bucket: "bkt", key: "k", versionId: first), context: s3Context())
            #expect(try await h.inlineRows() == 1)
            #expect(try await h.get("k") == Array("two".utf8))
            #expect(h.blobs.deleted.withLock { $0 }.isEmpty)
        }
    }

    @Test func inlineObjectsAreReadBackAfterARestart() async throws {
        try await TemporaryDirectory.with { directory in
            let before = try await harness(root: directory.path)
            _ = try await before.put("k", Self.small)
            try await before.sql.close()
            let after = try await harness(root: directory.path)
            #expect(try await after.get("k") == Self.small)
            let reader: any ObjectReader = after.service
            #expect(try await reader.objectBytes(bucket: "bkt", key: "k", versionID: nil, limit: 1024) == Self.small)
            try await after.sql.close()
        }
    }
}
