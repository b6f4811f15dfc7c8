package import NimbusStore

/// The behaviour every `SQLStore` backend must show. A backend's tests call each check
/// with a closure that opens a fresh store (and one that reopens the same store, for
/// persistence), so SQLite and PostgreSQL pass the very same suite.
package enum StoreConformance {
    /// A failed expectation of the suite, naming the check and what differed.
    package struct Failure: Error, CustomStringConvertible {
        package let description: String
    }

    static func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw Failure(description: message()) }
    }

    static let schema = Migration(id: "conformance-0001") { _ in
        ["CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, size DOUBLE PRECISION, data BLOB)"]
    }

    /// Every check, in order.
    package static let checks: [(name: String, run: @Sendable (any SQLStore) async throws -> Void)] = [
        ("bindsEveryValueType", bindsEveryValueType),
        ("interpolationNeverInjects", interpolationNeverInjects),
        ("transactionsCommitOrRollBack", transactionsCommitOrRollBack),
        ("migrationsApplyOnce", migrationsApplyOnce),
    ]

    static func bindsEveryValueType(_ store: any SQLStore) async throws {
        try await store.migrate([schema])
        let bytes: [UInt8] = [0, 1, 2, 255]
        let missing: String? = nil
        try await store.execute("INSERT INTO items (id, name, size, data) VALUES (\(1), \("one"), \(1.5), \(bytes))")
        try await store.execute("INSERT INTO items (id, name, size, data) VALUES (\(2), \("two"), \(missing), \(missing))")
        let rows = try await store.query("SELECT id, name, size, data FROM items ORDER BY id")
        try expect(rows.count == 2, "expected 2 rows, got \(rows.count)")
        try expect(rows[0].int("id") == 1 && rows[0].string("name") == "one", "row 1 is \(rows[0])")
        try expect(rows[0].double("size") == 1.5 && rows[0].bytes("data") == bytes, "row 1 values are \(rows[0])")
        try expect(rows[1]["size"] == .null && rows[1]["data"] == .null, "NULL binds read back as \(rows[1])")
    }

    static func interpolationNeverInjects(_ store: any SQLStore) async throws {
        try await store.migrate([schema])
        let hostile = "x'); DROP TABLE items; --"
        try await store.execute("INSERT INTO items (id, name) VALUES (\(1), \(hostile))")
        let rows = try await store.query("SELECT name FROM items WHERE name = \(hostile)")
        try expect(rows.first?.string("name") == hostile, "a quoted value was not stored verbatim")
    }

    static func transactionsCommitOrRollBack(_ store: any SQLStore) async throws {
        try await store.migrate([schema])
        struct Abort: Error {}
        do {
            try await store.transaction { transaction in
                try await transaction.execute("INSERT INTO items (id, name) VALUES (\(1), \("rolled back"))")
                let inside = try await transaction.query("SELECT COUNT(*) AS n FROM items")
                try expect(inside.first?.int("n") == 1, "a transaction does not see its own write")
                throw Abort()
            }
        } catch is Abort {}
        let afterRollback = try await store.query("SELECT COUNT(*) AS n FROM items")
        try expect(afterRollback.first?.int("n") == 0, "a thrown transaction was not rolled back")
        let result = try await store.transaction { transaction in
            try await transaction.execute("INSERT INTO items (id, name) VALUES (\(2), \("kept"))")
            return 42
        }
        try expect(result == 42, "the transaction's result was lost")
        let afterCommit = try await store.query("SELECT name FROM items")
        try expect(afterCommit.map { $0.string("name") } == ["kept"], "a returned transaction was not committed")
    }

    static func migrationsApplyOnce(_ store: any SQLStore) async throws {
        let first = try await store.migrate([schema])
        let second = try await store.migrate([schema])
        try expect(first == ["conformance-0001"] && second.isEmpty, "migrations applied \(first) then \(second)")
    }

    /// Writes through one store, closes it, reopens with `reopen` and reads the data back.
    package static func survivesReopen(open: @Sendable () async throws -> any SQLStore) async throws {
        let first = try await open()
        try await first.migrate([schema])
        try await first.execute("INSERT INTO items (id, name) VALUES (\(7), \("durable"))")
        try await first.close()
        let second = try await open()
        let applied = try await second.migrate([schema])
        try expect(applied.isEmpty, "a reopened store re-applied \(applied)")
        let rows = try await second.query("SELECT name FROM items WHERE id = \(7)")
        try expect(rows.first?.string("name") == "durable", "a committed row did not survive reopening")
        try await second.close()
    }

    /// Blob stores: put, overwrite, read, delete, missing keys.
    package static func blobRoundTrip(_ blobs: any BlobStore) async throws {
        try expect(try await blobs.get("nothing") == nil, "a missing blob was found")
        try await blobs.put("code/fn/1.zip", [1, 2, 3])
        try await blobs.put("code/fn/1.zip", [4, 5])
        try expect(try await blobs.get("code/fn/1.zip") == [4, 5], "an overwritten blob reads back wrong")
        try await blobs.put("empty", [])
        try expect(try await blobs.get("empty") == [], "an empty blob reads back wrong")
        try await blobs.delete("code/fn/1.zip")
        try await blobs.delete("code/fn/1.zip")
        try expect(try await blobs.get("code/fn/1.zip") == nil, "a deleted blob is still there")
    }

    /// Blob stores: `removeUnreferenced` removes exactly the namespace's unreferenced blobs,
    /// reports their count and bytes, and refuses a name that is no namespace.
    package static func blobSweep(_ blobs: any BlobStore) async throws {
        try await blobs.put("s3/kept", [1, 2, 3])
        try await blobs.put("s3/orphan", [1, 2, 3, 4, 5])
        try await blobs.put("lambda/other", [6])
        try await blobs.put("flat-key", [7])
        let sweep = try await blobs.removeUnreferenced(namespace: "s3", referenced: ["s3/kept", "lambda/x"])
        try expect(sweep == BlobSweep(count: 1, bytes: 5), "the sweep reported \(sweep), not one blob of 5 bytes")
        try expect(try await blobs.get("s3/kept") == [1, 2, 3], "a referenced blob was removed")
        try expect(try await blobs.get("s3/orphan") == nil, "an unreferenced blob was kept")
        try expect(try await blobs.get("lambda/other") == [6], "another namespace's blob was removed")
        try expect(try await blobs.get("flat-key") == [7], "a key without a namespace was removed")
        var refused = false
        do { _ = try await blobs.removeUnreferenced(namespace: "../x", referenced: []) } catch { refused = true }
        try expect(refused, "a sweep of a name that is no namespace was accepted")
    }
}
