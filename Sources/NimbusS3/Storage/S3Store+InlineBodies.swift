import NimbusStore

/// Small objects' bytes kept in the SQL store, next to their rows, instead of in blob files.
///
/// A body of at most `ObjectBody.inlineLimit` bytes is inserted in the same transaction as
/// the object's row, so the puts of one group commit cost one log append and, after
/// `SQLStore.syncCommitted()`, one flush for the whole group, where a blob costs two flushes
/// (its file and its folder) per object. A record names an inline body like a blob
/// (`ObjectBody.isInline` tells them apart); the body's row is deleted in the transaction that
/// drops the last row naming it, so an inline body is never orphaned and never sent to the
/// blob store.
extension S3Store {
    static let inlineBodyMigration = Migration(id: "s3-0005-inline-bodies") { dialect in
        [
            "CREATE TABLE s3_inline_bodies (name TEXT PRIMARY KEY, bytes \(raw: dialect == .postgres ? "BYTEA" : "BLOB") NOT NULL)"
        ]
    }

    /// The bytes of the inline body `name`, or `nil` when it is gone (deleted meanwhile).
    func inlineBody(_ name: String) async throws -> [UInt8]? {
        try await store.query("SELECT bytes FROM s3_inline_bodies WHERE name = \(name)").first?.bytes("bytes")
    }

    /// The current object of `key` with its inline body, read by one query (GetObject's hot
    /// path); the body is `nil` when the object is in a blob. `nil` when there is no object.
    func objectWithInlineBody(_ bucket: String, _ key: String) async throws -> (record: ObjectRecord, inline: [UInt8]?)? {
        // The body's name is inside the record's JSON; the join reads it there.
        let name = store.dialect == .postgres ? "(o.record::jsonb ->> 'blob')" : "json_extract(o.record, '$.blob')"
        let rows = try await store.query(
            """
            SELECT o.record, b.bytes FROM s3_objects o LEFT JOIN s3_inline_bodies b ON b.name = \(raw: name)
            WHERE o.bucket = \(bucket) AND o.key = \(key)
            """
        )
        guard let row = rows.first, let record = ObjectRecord.stored(row.string("record")) else { return nil }
        return (record, row.bytes("bytes"))
    }

    static func insertInlineBody(_ name: String, _ bytes: [UInt8], in transaction: any SQLTransaction) async throws {
        try await transaction.execute("INSERT INTO s3_inline_bodies (name, bytes) VALUES (\(name), \(bytes))")
    }

    /// Lets go of a body no row names any more: an inline body is deleted here, in the
    /// caller's transaction; a blob is returned for the caller to delete after the commit.
    static func release(_ body: String?, in transaction: any SQLTransaction) async throws -> String? {
        guard let body, !body.isEmpty else { return nil }
        guard ObjectBody.isInline(body) else { return body }
        try await transaction.execute("DELETE FROM s3_inline_bodies WHERE name = \(body)")
        return nil
    }
}
