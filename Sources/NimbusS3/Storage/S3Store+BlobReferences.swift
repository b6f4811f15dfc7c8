import NimbusStore

/// The blobs S3's rows name, for the startup sweep of orphan blobs (`S3Service.removeOrphanBlobs`).
extension S3Store {
    /// Rows read per query: the tables are walked in primary-key order, a page at a time.
    private static let referencePage = 5000

    /// Every blob key a row names: current objects, every version (delete markers have no
    /// body) and every part of an open multipart upload. Inline bodies are rows, not blobs,
    /// and are left out.
    func referencedBlobs() async throws -> Set<String> {
        // The body's name is inside the record's JSON; read only that.
        let blob = store.dialect == .postgres ? "(record::jsonb ->> 'blob')" : "json_extract(record, '$.blob')"
        var names = Set<String>()
        func keep(_ rows: [SQLRow]) {
            for row in rows {
                guard let name = row.string("blob"), !name.isEmpty, !ObjectBody.isInline(name) else { continue }
                names.insert(name)
            }
        }
        var object = (bucket: "", key: "")
        while true {
            let rows = try await store.query(
                """
                SELECT bucket, key, \(raw: blob) AS blob FROM s3_objects WHERE (bucket, key) > (\(object.bucket), \(object.key))
                ORDER BY bucket, key LIMIT \(Self.referencePage)
                """
            )
            keep(rows)
            guard rows.count == Self.referencePage, let last = rows.last else { break }
            object = (last.string("bucket") ?? "", last.string("key") ?? "")
        }
        var version = (bucket: "", key: "", id: "")
        while true {
            let rows = try await store.query(
                """
                SELECT bucket, key, version_id, \(raw: blob) AS blob FROM s3_versions
                WHERE (bucket, key, version_id) > (\(version.bucket), \(version.key), \(version.id))
                ORDER BY bucket, key, version_id LIMIT \(Self.referencePage)
                """
            )
            keep(rows)
            guard rows.count == Self.referencePage, let last = rows.last else { break }
            version = (last.string("bucket") ?? "", last.string("key") ?? "", last.string("version_id") ?? "")
        }
        var part = (upload: "", number: Int64(0))
        while true {
            let rows = try await store.query(
                """
                SELECT upload_id, part_number, \(raw: blob) AS blob FROM s3_parts WHERE (upload_id, part_number) > (\(part.upload), \(part.number))
                ORDER BY upload_id, part_number LIMIT \(Self.referencePage)
                """
            )
            keep(rows)
            guard rows.count == Self.referencePage, let last = rows.last else { break }
            part = (last.string("upload_id") ?? "", last.int("part_number") ?? 0)
        }
        return names
    }
}
