import Foundation
import NimbusCore
import NimbusStore

/// Object versions. A bucket whose versioning was never set keeps only `s3_objects`; once it
/// is set, `s3_versions` holds every version of every key (objects and delete markers, the
/// objects there before becoming the `null` version), ordered per key by `seq`, and
/// `s3_objects` keeps the current version when it is not a delete marker, so reads and
/// listings of current objects stay one indexed lookup.
extension S3Store {
    static let versionMigration = Migration(id: "s3-0003-versions-tags") { _ in
        [
            "ALTER TABLE s3_buckets ADD COLUMN versioning TEXT",
            "ALTER TABLE s3_buckets ADD COLUMN tags TEXT",
            """
            CREATE TABLE s3_versions (
                bucket TEXT NOT NULL,
                key TEXT NOT NULL,
                version_id TEXT NOT NULL,
                seq BIGINT NOT NULL,
                record TEXT NOT NULL,
                PRIMARY KEY (bucket, key, version_id)
            )
            """,
            "CREATE INDEX s3_versions_order ON s3_versions (bucket, key, seq)",
        ]
    }

    /// A new version id: 32 URL-safe characters, like S3's.
    static func newVersionID() -> String {
        let bytes = (0..<24).map { _ in UInt8.random(in: 0...255) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
    }

    /// The bucket's versioning status: `nil` (never set), `Enabled` or `Suspended`.
    /// - Throws: `NoSuchBucket`.
    func versioning(_ bucket: String) async throws -> String? {
        guard let row = try await store.query("SELECT versioning FROM s3_buckets WHERE name = \(bucket)").first else {
            throw S3Errors.noSuchBucket(bucket)
        }
        return row.string("versioning")
    }

    /// Sets the status; the first time, the bucket's objects become their keys' `null` versions.
    func setVersioning(_ status: String, bucket: String) async throws {
        try await store.transaction { transaction in
            guard let row = try await transaction.query("SELECT versioning FROM s3_buckets WHERE name = \(bucket)").first else {
                throw S3Errors.noSuchBucket(bucket)
            }
            if row.string("versioning") == nil {
                for objectRow in try await transaction.query("SELECT record FROM s3_objects WHERE bucket = \(bucket)") {
                    guard var record = ObjectRecord.stored(objectRow.string("record")) else { continue }
                    record.versionID = "null"
                    let text = record.storedJSON
                    try await transaction.execute("UPDATE s3_objects SET record = \(text) WHERE bucket = \(bucket) AND key = \(record.key)")
                    try await Self.insertVersion(record, in: transaction)
                }
            }
            try await transaction.execute("UPDATE s3_buckets SET versioning = \(status) WHERE name = \(bucket)")
        }
    }

    /// Appends `record` as its key's newest version.
    static func insertVersion(_ record: ObjectRecord, in transaction: any SQLTransaction) async throws {
        let rows = try await transaction.query(
            "SELECT MAX(seq) AS last FROM s3_versions WHERE bucket = \(record.bucket) AND key = \(record.key)"
        )
        let seq = (rows.first?.int("last") ?? 0) + 1
        let text = record.storedJSON
        try await transaction.execute(
            """
            INSERT INTO s3_versions (bucket, key, version_id, seq, record)
            VALUES (\(record.bucket), \(record.key), \(record.versionID ?? "null"), \(seq), \(text))
            """
        )
    }

    /// Removes one version; returns it.
    static func removeVersion(
        _ bucket: String,
        _ key: String,
        _ versionID: String,
        in transaction: any SQLTransaction
    ) async throws
        -> ObjectRecord?
    {
        let rows = try await transaction.query(
            "SELECT record FROM s3_versions WHERE bucket = \(bucket) AND key = \(key) AND version_id = \(versionID)"
        )
        guard let record = ObjectRecord.stored(rows.first?.string("record")) else { return nil }
        try await transaction.execute("DELETE FROM s3_versions WHERE bucket = \(bucket) AND key = \(key) AND version_id = \(versionID)")
        return record
    }

    /// Makes `s3_objects` show the key's newest version (nothing when it is a delete marker or there is none).
    static func refreshCurrent(_ bucket: String, _ key: String, in transaction: any SQLTransaction) async throws {
        let rows = try await transaction.query(
            "SELECT record FROM s3_versions WHERE bucket = \(bucket) AND key = \(key) ORDER BY seq DESC LIMIT 1"
        )
        if let text = rows.first?.string("record"), let record = ObjectRecord.stored(text), record.deleteMarker != true {
            try await transaction.execute(
                """
                INSERT INTO s3_objects (bucket, key, record) VALUES (\(bucket), \(key), \(text))
                ON CONFLICT (bucket, key) DO UPDATE SET record = excluded.record
                """
            )
        } else {
            try await transaction.execute("DELETE FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)")
        }
    }

    /// One version of a key (a delete marker too), or `nil`.
    func version(_ bucket: String, _ key: String, _ versionID: String) async throws -> ObjectRecord? {
        let rows = try await store.query(
            "SELECT record FROM s3_versions WHERE bucket = \(bucket) AND key = \(key) AND version_id = \(versionID)"
        )
        return ObjectRecord.stored(rows.first?.string("record"))
    }

    /// The key's newest version (a delete marker too), or `nil` when it has none.
    func latestVersion(_ bucket: String, _ key: String) async throws -> ObjectRecord? {
        let rows = try await store.query(
            "SELECT record FROM s3_versions WHERE bucket = \(bucket) AND key = \(key) ORDER BY seq DESC LIMIT 1"
        )
        return ObjectRecord.stored(rows.first?.string("record"))
    }

    /// Up to `limit` versions of the bucket's keys starting with `prefix`, after `position`,
    /// in listing order: keys ascending, each key's versions newest first. One range scan of
    /// `s3_versions_listing`, so a page costs its length, not the bucket's size.
    func versions(_ bucket: String, prefix: String, after position: VersionListing.Position, limit: Int) async throws -> [VersionListing.Row] {
        var conditions: [SQL] = ["bucket = \(bucket)"]
        // Compared as the store does: by UTF-8 bytes.
        if position.key.utf8.lexicographicallyPrecedes(prefix.utf8) {
            conditions.append("key >= \(prefix)")
        } else if let seq = position.olderThan {
            conditions.append("key >= \(position.key) AND (key > \(position.key) OR seq < \(seq))")
        } else {
            conditions.append("key > \(position.key)")
        }
        if !prefix.isEmpty { conditions.append(.hasPrefix("key", prefix)) }
        // An upper bound too, so a prefix's scan stops where its keys end.
        if let end = Self.prefixEnd(prefix) { conditions.append("key < \(end)") }
        let rows = try await store.query(
            "SELECT record, seq FROM s3_versions WHERE \(sql: .all(conditions)) ORDER BY key, seq DESC LIMIT \(limit)"
        )
        return rows.compactMap { row in
            ObjectRecord.stored(row.string("record")).map { VersionListing.Row(record: $0, seq: Int(row.int("seq") ?? 0)) }
        }
    }

    /// The first string after every string that starts with `prefix` (its last scalar
    /// incremented; UTF-8 byte order is scalar order), or `nil` for an empty prefix or one
    /// ending in U+10FFFF.
    static func prefixEnd(_ prefix: String) -> String? {
        var scalars = Array(prefix.unicodeScalars)
        guard let last = scalars.popLast(), last.value < 0x10FFFF else { return nil }
        // The next scalar value, stepping over the surrogates (which are no scalars).
        let next = last.value == 0xD7FF ? 0xE000 : last.value + 1
        guard let scalar = Unicode.Scalar(next) else { return nil }
        scalars.append(scalar)
        var text = String.UnicodeScalarView()
        text.append(contentsOf: scalars)
        return String(text)
    }

    /// The place of one version among its key's versions, or `nil` when there is no such version.
    func versionSeq(_ bucket: String, _ key: String, _ versionID: String) async throws -> Int? {
        try await store.query(
            "SELECT seq FROM s3_versions WHERE bucket = \(bucket) AND key = \(key) AND version_id = \(versionID)"
        ).first?.int("seq").map { Int($0) }
    }

    /// Lets ListObjectVersions read keys ascending with each key's versions newest first
    /// straight from the index.
    static let versionListingMigration = Migration(id: "s3-0006-version-listing") { _ in
        ["CREATE INDEX s3_versions_listing ON s3_versions (bucket, key, seq DESC)"]
    }
}
