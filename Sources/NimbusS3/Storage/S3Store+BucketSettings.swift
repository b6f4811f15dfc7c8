import NimbusStore

/// Bucket configurations kept as one JSON document each on the bucket's row: CORS rules, the
/// policy, the website configuration and the lifecycle rules.
extension S3Store {
    /// A configuration column of `s3_buckets`.
    enum BucketSetting: String, Sendable {
        case cors, policy, website, lifecycle
    }

    static let settingsMigration = Migration(id: "s3-0004-bucket-settings") { _ in
        [
            "ALTER TABLE s3_buckets ADD COLUMN cors TEXT",
            "ALTER TABLE s3_buckets ADD COLUMN policy TEXT",
            "ALTER TABLE s3_buckets ADD COLUMN website TEXT",
            "ALTER TABLE s3_buckets ADD COLUMN lifecycle TEXT",
        ]
    }

    /// The stored document, `nil` when none is set.
    /// - Throws: `NoSuchBucket`.
    func bucketSetting(_ setting: BucketSetting, bucket: String) async throws -> String? {
        guard let row = try await store.query("SELECT \(raw: setting.rawValue) AS value FROM s3_buckets WHERE name = \(bucket)").first else {
            throw S3Errors.noSuchBucket(bucket)
        }
        return row.string("value")
    }

    /// Stores (or with `nil` removes) the document.
    /// - Throws: `NoSuchBucket`.
    func setBucketSetting(_ setting: BucketSetting, bucket: String, value: String?) async throws {
        try await store.transaction { transaction in
            if try await transaction.query("SELECT name FROM s3_buckets WHERE name = \(bucket)").isEmpty { throw S3Errors.noSuchBucket(bucket) }
            try await transaction.execute("UPDATE s3_buckets SET \(raw: setting.rawValue) = \(value) WHERE name = \(bucket)")
        }
    }

    /// The buckets that have `setting`, with its document.
    func bucketsWithSetting(_ setting: BucketSetting) async throws -> [(bucket: String, value: String)] {
        try await store.query("SELECT name, \(raw: setting.rawValue) AS value FROM s3_buckets WHERE \(raw: setting.rawValue) IS NOT NULL")
            .compactMap { row in row.string("value").map { (row.string("name") ?? "", $0) } }
    }
}
