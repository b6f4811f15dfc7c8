import Foundation
import NimbusCore
import NimbusStore

/// Buckets, objects, multipart uploads and parts as rows; the bytes live in the blob store,
/// or inline in the SQL store for small objects (`S3Store+InlineBodies`), and a row names
/// them. A row is written only after its blob is committed (an inline body in the row's own
/// transaction), so a row never names a partial body.
struct S3Store: Sendable {
    let store: any SQLStore
    /// The account id notification records name as the bucket owner.
    let ownerID: String
    /// Object writes that arrive together share one transaction (group commit).
    let objectWrites: GroupCommit<PendingPut, Result<Change<String?>, AWSError>>

    /// An object row (and its notification records) waiting for the next group commit.
    struct PendingPut: Sendable {
        var record: ObjectRecord
        /// The body to insert with the row when `record` names an inline body.
        var inlineBytes: [UInt8]?
        var event: ObjectEvent?
    }

    init(store: any SQLStore, ownerID: String = "") {
        self.store = store
        self.ownerID = ownerID
        objectWrites = GroupCommit { puts in
            try await store.transaction { transaction in
                var outcomes: [Result<Change<String?>, AWSError>] = []
                for put in puts {
                    // An AWSError (the bucket is gone) is raised before the put writes anything,
                    // so the others in the group still commit; any other error fails them all.
                    do {
                        let change = try await Self.writeObject(
                            put.record,
                            inlineBytes: put.inlineBytes,
                            event: put.event,
                            ownerID: ownerID,
                            in: transaction
                        )
                        outcomes.append(.success(change))
                    } catch let error as AWSError {
                        outcomes.append(.failure(error))
                    }
                }
                return outcomes
            }
        }
    }

    struct BucketRow: Sendable, Hashable {
        var name: String
        var region: String
        var createdAt: Double
    }

    static let migrations: [Migration] = [
        Migration(id: "s3-0001-buckets-objects") { _ in
            [
                "CREATE TABLE s3_buckets (name TEXT PRIMARY KEY, region TEXT NOT NULL, created_at DOUBLE PRECISION NOT NULL)",
                """
                CREATE TABLE s3_objects (
                    bucket TEXT NOT NULL,
                    key TEXT NOT NULL,
                    record TEXT NOT NULL,
                    PRIMARY KEY (bucket, key)
                )
                """,
                """
                CREATE TABLE s3_uploads (
                    upload_id TEXT PRIMARY KEY,
                    bucket TEXT NOT NULL,
                    key TEXT NOT NULL,
                    initiated DOUBLE PRECISION NOT NULL,
                    headers TEXT NOT NULL
                )
                """,
                "CREATE INDEX s3_uploads_bucket ON s3_uploads (bucket, key)",
                """
                CREATE TABLE s3_parts (
                    upload_id TEXT NOT NULL,
                    part_number INTEGER NOT NULL,
                    record TEXT NOT NULL,
                    PRIMARY KEY (upload_id, part_number)
                )
                """,
            ]
        },
        notificationMigration,
        versionMigration,
        settingsMigration,
        inlineBodyMigration,
        versionListingMigration,
    ]

    static func encode<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try JSONEncoder().encode(value), as: UTF8.self)
    }

    static func decode<T: Decodable>(_ type: T.Type, _ text: String?) -> T? {
        text.flatMap { try? JSONDecoder().decode(T.self, from: Data($0.utf8)) }
    }

    // MARK: Buckets

    func bucket(_ name: String) async throws -> BucketRow? {
        try await store.query("SELECT name, region, created_at FROM s3_buckets WHERE name = \(name)").first.map(Self.bucketRow)
    }

    func buckets() async throws -> [BucketRow] {
        try await store.query("SELECT name, region, created_at FROM s3_buckets ORDER BY name").map(Self.bucketRow)
    }

    /// Inserts the bucket; `false` if it already exists.
    func createBucket(_ row: BucketRow) async throws -> Bool {
        try await store.transaction { transaction in
            if try await !transaction.query("SELECT name FROM s3_buckets WHERE name = \(row.name)").isEmpty { return false }
            try await transaction.execute(
                "INSERT INTO s3_buckets (name, region, created_at) VALUES (\(row.name), \(row.region), \(row.createdAt))"
            )
            return true
        }
    }

    enum BucketDeletion { case deleted, missing, notEmpty }

    func deleteBucket(_ name: String) async throws -> BucketDeletion {
        try await store.transaction { transaction in
            if try await transaction.query("SELECT name FROM s3_buckets WHERE name = \(name)").isEmpty { return .missing }
            if try await !transaction.query("SELECT key FROM s3_objects WHERE bucket = \(name) LIMIT 1").isEmpty { return .notEmpty }
            if try await !transaction.query("SELECT upload_id FROM s3_uploads WHERE bucket = \(name) LIMIT 1").isEmpty { return .notEmpty }
            try await transaction.execute("DELETE FROM s3_buckets WHERE name = \(name)")
            return .deleted
        }
    }

    private static func bucketRow(_ row: SQLRow) -> BucketRow {
        BucketRow(name: row.string("name") ?? "", region: row.string("region") ?? "", createdAt: row.double("created_at") ?? 0)
    }

    // MARK: Objects

    func object(_ bucket: String, _ key: String) async throws -> ObjectRecord? {
        let rows = try await store.query("SELECT record FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)")
        return ObjectRecord.stored(rows.first?.string("record"))
    }

    /// Up to `limit` objects of `bucket` whose keys start with `prefix` and sort after `after`.
    func objects(_ bucket: String, prefix: String, after: String, limit: Int) async throws -> [ObjectRecord] {
        let rows: [SQLRow]
        if prefix.isEmpty {
            rows = try await store.query(
                "SELECT record FROM s3_objects WHERE bucket = \(bucket) AND key > \(after) ORDER BY key LIMIT \(limit)"
            )
        } else {
            let start = max(after, prefix)
            rows = try await store.query(
                """
                SELECT record FROM s3_objects WHERE bucket = \(bucket) AND key > \(start == prefix ? "" : start)
                AND substr(key, 1, \(prefix.unicodeScalars.count)) = \(prefix) AND key >= \(prefix) ORDER BY key LIMIT \(limit)
                """
            )
        }
        return rows.compactMap { ObjectRecord.stored($0.string("record")) }
    }
}
