import NimbusStore

/// Multipart uploads and their parts.
extension S3Store {
    struct UploadRow: Sendable, Hashable {
        var uploadID: String
        var bucket: String
        var key: String
        var initiated: Double
        var headers: ObjectHeaders
    }

    struct PartRecord: Sendable, Codable, Hashable {
        var number: Int
        var blob: String
        var size: Int
        var eTag: String
        var lastModified: Double
    }

    func createUpload(_ row: UploadRow) async throws {
        let headers = row.headers.storedJSON
        try await store.execute(
            """
            INSERT INTO s3_uploads (upload_id, bucket, key, initiated, headers)
            VALUES (\(row.uploadID), \(row.bucket), \(row.key), \(row.initiated), \(headers))
            """
        )
    }

    func upload(_ uploadID: String) async throws -> UploadRow? {
        try await store.query("SELECT upload_id, bucket, key, initiated, headers FROM s3_uploads WHERE upload_id = \(uploadID)")
            .first.map(Self.uploadRow)
    }

    /// Uploads of `bucket` in key then initiation order, keys starting with `prefix` after `after`.
    func uploads(_ bucket: String, prefix: String, after: String, limit: Int) async throws -> [UploadRow] {
        try await store.query(
            """
            SELECT upload_id, bucket, key, initiated, headers FROM s3_uploads
            WHERE bucket = \(bucket) AND key > \(after) AND substr(key, 1, \(prefix.unicodeScalars.count)) = \(prefix)
            ORDER BY key, initiated LIMIT \(limit)
            """
        ).map(Self.uploadRow)
    }

    /// Records a part, replacing an earlier one of the same number.
    /// - Returns: the replaced part's blob (to delete), or `nil`.
    /// - Throws: `NoSuchUpload` when the upload was completed or aborted meanwhile.
    func putPart(_ uploadID: String, _ part: PartRecord) async throws -> String? {
        let text = try Self.encode(part)
        return try await store.transaction { transaction in
            if try await transaction.query("SELECT upload_id FROM s3_uploads WHERE upload_id = \(uploadID)").isEmpty {
                throw S3Errors.noSuchUpload(uploadID)
            }
            let old = try await transaction.query(
                "SELECT record FROM s3_parts WHERE upload_id = \(uploadID) AND part_number = \(part.number)"
            )
            try await transaction.execute(
                """
                INSERT INTO s3_parts (upload_id, part_number, record) VALUES (\(uploadID), \(part.number), \(text))
                ON CONFLICT (upload_id, part_number) DO UPDATE SET record = excluded.record
                """
            )
            return Self.decode(PartRecord.self, old.first?.string("record"))?.blob
        }
    }

    func parts(_ uploadID: String) async throws -> [PartRecord] {
        try await store.query("SELECT record FROM s3_parts WHERE upload_id = \(uploadID) ORDER BY part_number")
            .compactMap { Self.decode(PartRecord.self, $0.string("record")) }
    }

    /// Removes an upload and its part rows; returns the parts' blobs (to delete), or `nil`
    /// when there was no such upload.
    func removeUpload(_ uploadID: String) async throws -> [String]? {
        try await store.transaction { transaction in
            if try await transaction.query("SELECT upload_id FROM s3_uploads WHERE upload_id = \(uploadID)").isEmpty { return nil }
            let parts = try await transaction.query("SELECT record FROM s3_parts WHERE upload_id = \(uploadID)")
            try await transaction.execute("DELETE FROM s3_parts WHERE upload_id = \(uploadID)")
            try await transaction.execute("DELETE FROM s3_uploads WHERE upload_id = \(uploadID)")
            return parts.compactMap { Self.decode(PartRecord.self, $0.string("record"))?.blob }
        }
    }

    private static func uploadRow(_ row: SQLRow) -> UploadRow {
        UploadRow(
            uploadID: row.string("upload_id") ?? "",
            bucket: row.string("bucket") ?? "",
            key: row.string("key") ?? "",
            initiated: row.double("initiated") ?? 0,
            headers: ObjectHeaders.stored(row.string("headers")) ?? ObjectHeaders()
        )
    }
}
