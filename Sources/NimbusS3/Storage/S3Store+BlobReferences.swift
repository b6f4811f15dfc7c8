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
        try await walk(from: (bucket: "", key: ""), into: &names) { object in
            """
            SELECT bucket, key, \(raw: blob) AS blob FROM s3_objects WHERE (bucket, key) > (\(object.bucket), \(object.key))
            ORDER BY bucket, key LIMIT \(Self.referencePage)
            """
        } next: { row in
            (row.string("bucket") ?? "", row.string("key") ?? "")
        }
        try await walk(from: (bucket: "", key: "", id: ""), into: &names) { version in
            """
            SELECT bucket, key, version_id, \(raw: blob) AS blob FROM s3_versions
            WHERE (bucket, key, version_id) > (\(version.bucket), \(version.key), \(version.id))
            ORDER BY bucket, key, version_id LIMIT \(Self.referencePage)
            """
        } next: { row in
            (row.string("bucket") ?? "", row.string("key") ?? "", row.string("version_id") ?? "")
        }
        try await walk(from: (upload: "", number: Int64(0)), into: &names) { part in
            """
            SELECT upload_id, part_number, \(raw: blob) AS blob FROM s3_parts WHERE (upload_id, part_number) > (\(part.upload), \(part.number))
            ORDER BY upload_id, part_number LIMIT \(Self.referencePage)
            """
        } next: { row in
            (row.string("upload_id") ?? "", row.int("part_number") ?? 0)
        }
        return names
    }

    /// Reads a table a page at a time in key order (`page` selects the rows after a key, `next`
    /// gives a row's key) and keeps the blob names the rows hold.
    private func walk<Key>(
        from first: Key,
        into names: inout Set<String>,
        page: (Key) -> SQL,
        next: (SQLRow) -> Key
    ) async throws {
        var after = first
        while true {
            let rows = try await store.query(page(after))
            for row in rows {
                guard let name = row.string("blob"), !name.isEmpty, !ObjectBody.isInline(name) else { continue }
                names.insert(name)
            }
            guard rows.count == Self.referencePage, let last = rows.last else { return }
            after = next(last)
        }
    }
}
