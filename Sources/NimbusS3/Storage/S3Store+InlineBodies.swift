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
