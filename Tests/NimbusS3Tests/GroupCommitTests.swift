import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Testing

@testable import NimbusS3

@Suite struct ObjectGroupCommitTests {
    @Test func concurrentPutsCommitTogetherAndAMissingBucketFailsOnlyItsOwn() async throws {
        try await TemporaryDirectory.with { directory in
            let sql = try SQLiteStore(path: directory.path + "/db.sqlite")
            try await sql.migrate(S3Store.migrations)
            let store = S3Store(store: sql, ownerID: "1")
            #expect(try await store.createBucket(S3Store.BucketRow(name: "here", region: "us-east-1", createdAt: 0)))
            func record(_ bucket: String, _ key: String) -> ObjectRecord {
                ObjectRecord(bucket: bucket, key: key, blob: "blob-\(key)", size: 1, eTag: "\"e\"", lastModified: 0, headers: ObjectHeaders())
            }
            let outcomes = await withTaskGroup(of: (String, String?).self) { group in
                for n in 0..<40 {
                    let bucket = n % 10 == 3 ? "gone" : "here"
                    group.addTask {
                        do {
                            _ = try await store.putObject(record(bucket, "k\(n)"))
                            return ("k\(n)", nil)
                        } catch let error as AWSError {
                            return ("k\(n)", error.code)
                        } catch {
                            return ("k\(n)", "\(error)")
                        }
                    }
                }
                var all: [String: String?] = [:]
                for await (key, code) in group { all[key] = code }
                return all
            }
            #expect(outcomes.count == 40)
            #expect(outcomes.filter { $0.value == "NoSuchBucket" }.count == 4)
            #expect(outcomes.filter { $0.value == nil }.count == 36)
            #expect(try await store.objects("here", prefix: "", after: "", limit: 100).count == 36)
            try await sql.close()
        }
    }
}
