import Foundation
import NimbusCore
import NimbusStore

/// Buckets, objects, multipart uploads and parts as rows; the bytes live in the blob store
/// and a row names its blob. A row is written only after its blob is committed, so a row
/// never names a partial blob.
struct S3Store: Sendable {
    let store: any SQLStore
    /// The account id notification records name as the bucket owner.
    let ownerID: String
    /// Object writes that arrive together share one transaction (group commit).
    let objectWrites: GroupCommit<PendingPut, Result<Change<String?>, AWSError>>

    /// An object row (and its notification records) waiting for the next group commit.
    struct PendingPut: Sendable {
        var record: ObjectRecord
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
                        outcomes.append(.success(try await Self.writeObject(put.record, event: put.event, ownerID: ownerID, in: transaction)))
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
        return Self.decode(ObjectRecord.self, rows.first?.string("record"))
    }

    /// What writing or removing an object did.
    struct Change<Value: Sendable>: Sendable {
        var value: Value
        /// Whether notification records were written with the change (the worker should look).
        var notified: Bool
        /// The version the change created or removed, in a bucket whose versioning was ever set.
        var versionID: String? = nil
    }

    /// Stores `record` over any earlier object of its key, if the bucket still exists, with
    /// the notification records `event` produces, in one transaction. With versioning
    /// enabled the record becomes a new version (the earlier one stays); suspended, it
    /// replaces the `null` version.
    /// - Returns: the blob no row names any more (to delete), or `nil`.
    /// - Throws: `NoSuchBucket` when the bucket is gone.
    func putObject(_ record: ObjectRecord, event: ObjectEvent? = nil) async throws -> Change<String?> {
        try await objectWrites.submit(PendingPut(record: record, event: event)).get()
    }

    private static func writeObject(
        _ record: ObjectRecord,
        event: ObjectEvent?,
        ownerID: String,
        in transaction: any SQLTransaction
    ) async throws -> Change<String?> {
        let buckets = try await transaction.query(
            "SELECT name, region, notification, versioning FROM s3_buckets WHERE name = \(record.bucket)"
        )
        guard let bucketRow = buckets.first else { throw S3Errors.noSuchBucket(record.bucket) }
        var record = record
        let replaced: String?
        switch bucketRow.string("versioning") {
        case nil:
            record.versionID = nil
            let old = try await transaction.query("SELECT record FROM s3_objects WHERE bucket = \(record.bucket) AND key = \(record.key)")
            replaced = Self.decode(ObjectRecord.self, old.first?.string("record"))?.blob
        case "Enabled":
            record.versionID = Self.newVersionID()
            replaced = nil
            try await Self.insertVersion(record, in: transaction)
        default:
            record.versionID = "null"
            let old = try await Self.removeVersion(record.bucket, record.key, "null", in: transaction)
            replaced = old?.deleteMarker == true ? nil : old?.blob
            try await Self.insertVersion(record, in: transaction)
        }
        let text = try Self.encode(record)
        try await transaction.execute(
            """
            INSERT INTO s3_objects (bucket, key, record) VALUES (\(record.bucket), \(record.key), \(text))
            ON CONFLICT (bucket, key) DO UPDATE SET record = excluded.record
            """
        )
        var notified = false
        if var event {
            event.versionID = record.versionID
            notified = try await Self.enqueueNotifications(event, bucketRow: bucketRow, ownerID: ownerID, now: event.time, in: transaction)
        }
        return Change(value: replaced, notified: notified, versionID: record.versionID)
    }

    /// What a delete did.
    struct Deletion: Sendable {
        /// Blobs no row names any more.
        var orphanedBlobs: [String] = []
        /// The delete created a delete marker, or removed one.
        var deleteMarker = false
    }

    /// Deletes as S3 does, with the notification records `event` produces (S3 notifies a
    /// delete even when the key did not exist): without `versionID`, the current object (or,
    /// in a versioned bucket, a new delete marker hides it); with one, that version for good.
    /// - Throws: `InvalidArgument` for a version id other than `null` in a bucket never versioned.
    func deleteObject(
        _ bucket: String,
        _ key: String,
        versionID: String? = nil,
        event: ObjectEvent? = nil,
        now: Double = 0
    ) async throws
        -> Change<Deletion>
    {
        try await store.transaction { transaction in
            let bucketRow = try await transaction.query("SELECT region, notification, versioning FROM s3_buckets WHERE name = \(bucket)").first
            var event = event
            var deletion = Deletion()
            var version: String?
            switch (bucketRow?.string("versioning"), versionID) {
            case (nil, let versionID):
                if let versionID, versionID != "null" {
                    throw S3Errors.invalidArgument("Invalid version id specified", name: "versionId", value: versionID)
                }
                let old = try await transaction.query("SELECT record FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)")
                if let record = Self.decode(ObjectRecord.self, old.first?.string("record")) {
                    try await transaction.execute("DELETE FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)")
                    deletion.orphanedBlobs = [record.blob]
                }
                version = versionID
            case (_, let versionID?):
                guard let removed = try await Self.removeVersion(bucket, key, versionID, in: transaction) else {
                    return Change(value: deletion, notified: false, versionID: versionID)
                }
                if removed.deleteMarker != true { deletion.orphanedBlobs = [removed.blob] }
                deletion.deleteMarker = removed.deleteMarker == true
                try await Self.refreshCurrent(bucket, key, in: transaction)
                version = versionID
            case (let status?, nil):
                let markerID = status == "Enabled" ? Self.newVersionID() : "null"
                if markerID == "null", let old = try await Self.removeVersion(bucket, key, "null", in: transaction), old.deleteMarker != true {
                    deletion.orphanedBlobs = [old.blob]
                }
                let marker = ObjectRecord(
                    bucket: bucket,
                    key: key,
                    blob: "",
                    size: 0,
                    eTag: "",
                    lastModified: now,
                    headers: ObjectHeaders(),
                    versionID: markerID,
                    deleteMarker: true
                )
                try await Self.insertVersion(marker, in: transaction)
                try await transaction.execute("DELETE FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)")
                deletion.deleteMarker = true
                // ObjectRemoved:Delete → ObjectRemoved:DeleteMarkerCreated (LifecycleExpiration alike).
                if let name = event?.name, name.hasSuffix(":Delete") { event?.name = name + "MarkerCreated" }
                version = markerID
            }
            var notified = false
            if var event, let bucketRow {
                event.versionID = version
                notified = try await Self.enqueueNotifications(event, bucketRow: bucketRow, ownerID: ownerID, now: event.time, in: transaction)
            }
            return Change(value: deletion, notified: notified, versionID: version)
        }
    }

    /// Changes one object or version in place (its tags), with the notification records
    /// `event` produces; returns the changed record.
    /// - Throws: `NoSuchKey`, `NoSuchVersion`, or `MethodNotAllowed` for a delete marker.
    func updateObject(
        _ bucket: String,
        _ key: String,
        versionID: String?,
        event: ObjectEvent?,
        _ change: @escaping @Sendable (inout ObjectRecord) -> Void
    ) async throws -> Change<ObjectRecord> {
        try await store.transaction { transaction in
            guard let bucketRow = try await transaction.query("SELECT region, notification, versioning FROM s3_buckets WHERE name = \(bucket)").first
            else { throw S3Errors.noSuchBucket(bucket) }
            let versioned = bucketRow.string("versioning") != nil
            let current = Self.decode(
                ObjectRecord.self,
                try await transaction.query("SELECT record FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)").first?.string("record")
            )
            var record: ObjectRecord
            if let versionID, versioned {
                let rows = try await transaction.query(
                    "SELECT record FROM s3_versions WHERE bucket = \(bucket) AND key = \(key) AND version_id = \(versionID)"
                )
                guard let found = Self.decode(ObjectRecord.self, rows.first?.string("record")) else { throw S3Errors.noSuchVersion(key, versionID) }
                guard found.deleteMarker != true else { throw S3Errors.methodNotAllowed }
                record = found
            } else {
                if let versionID, versionID != "null" {
                    throw S3Errors.invalidArgument("Invalid version id specified", name: "versionId", value: versionID)
                }
                guard let found = current else { throw S3Errors.noSuchKey(key) }
                record = found
            }
            change(&record)
            let text = try Self.encode(record)
            if versioned {
                try await transaction.execute(
                    """
                    UPDATE s3_versions SET record = \(text)
                    WHERE bucket = \(bucket) AND key = \(key) AND version_id = \(record.versionID ?? "null")
                    """
                )
            }
            if current?.versionID == record.versionID {
                try await transaction.execute("UPDATE s3_objects SET record = \(text) WHERE bucket = \(bucket) AND key = \(key)")
            }
            var notified = false
            if var event {
                event.versionID = record.versionID
                event.size = record.size
                event.eTag = record.eTag.replacingOccurrences(of: "\"", with: "")
                notified = try await Self.enqueueNotifications(event, bucketRow: bucketRow, ownerID: ownerID, now: event.time, in: transaction)
            }
            return Change(value: record, notified: notified, versionID: record.versionID)
        }
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
        return rows.compactMap { Self.decode(ObjectRecord.self, $0.string("record")) }
    }
}
