import NimbusCore
import NimbusStore
import NimbusWire
import Synchronization

/// Functions as rows of `lambda_functions`: the `$LATEST` configuration as stored JSON, the
/// code's digest (its zip is the blob `lambda/code/<digest>`) and the function's tags.
///
/// Reads are served from a short-lived cache (every invoke reads its function): this node's
/// writes clear it at once, and an entry lives at most `cacheLifetime`, so a write made by
/// another node of a cluster is seen within that time.
struct FunctionStore {
    struct Record {
        var configuration: LambdaShapes.FunctionConfiguration
        var codeDigest: String
        var tags: [String: String]
    }

    static let migrations: [Migration] = [
        Migration(id: "lambda-0001-functions") { _ in
            [
                """
                CREATE TABLE lambda_functions (
                    name TEXT PRIMARY KEY,
                    configuration TEXT NOT NULL,
                    code_digest TEXT NOT NULL,
                    tags TEXT NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL
                )
                """
            ]
        }
    ]

    let store: any SQLStore
    let clock: any WallClock
    private let cache = RecordCache()

    static let cacheLifetime = 1.0

    init(store: any SQLStore, clock: any WallClock) {
        self.store = store
        self.clock = clock
    }

    func record(named name: String) async throws -> Record? {
        let now = clock.now()
        if let cached = cache.record(named: name, at: now) { return cached }
        let record = try await store.query("SELECT configuration, code_digest, tags FROM lambda_functions WHERE name = \(name)").first
            .map(Self.record)
        if let record { cache.keep(record, named: name, until: now + Self.cacheLifetime) }
        return record
    }

    /// Inserts a new function; `false` when one of that name exists already.
    func insert(_ record: Record, now: Double) async throws -> Bool {
        let (name, configuration, tags, digest) = Self.columns(record)
        return try await store.transaction { transaction in
            let existing = try await transaction.query("SELECT 1 AS found FROM lambda_functions WHERE name = \(name)")
            guard existing.isEmpty else { return false }
            try await transaction.execute(
                """
                INSERT INTO lambda_functions (name, configuration, code_digest, tags, created_at)
                VALUES (\(name), \(configuration), \(digest), \(tags), \(now))
                """
            )
            return true
        }
    }

    func update(_ record: Record) async throws {
        let (name, configuration, tags, digest) = Self.columns(record)
        cache.forget(name)
        defer { cache.forget(name) }
        try await store.execute(
            "UPDATE lambda_functions SET configuration = \(configuration), code_digest = \(digest), tags = \(tags) WHERE name = \(name)"
        )
    }

    /// Deletes the function; returns whether another function still uses its code digest.
    func delete(named name: String, digest: String) async throws -> Bool {
        cache.forget(name)
        defer { cache.forget(name) }
        return try await store.transaction { transaction in
            try await transaction.execute("DELETE FROM lambda_functions WHERE name = \(name)")
            return try await !transaction.query("SELECT 1 AS used FROM lambda_functions WHERE code_digest = \(digest)").isEmpty
        }
    }

    /// Functions in name order, after `marker` (exclusive), at most `limit`.
    func list(after marker: String?, limit: Int) async throws -> [Record] {
        let rows =
            if let marker {
                try await store.query(
                    "SELECT configuration, code_digest, tags FROM lambda_functions WHERE name > \(marker) ORDER BY name LIMIT \(limit)"
                )
            } else {
                try await store.query("SELECT configuration, code_digest, tags FROM lambda_functions ORDER BY name LIMIT \(limit)")
            }
        return try rows.map(Self.record)
    }

    /// How many functions there are and the total size of their code.
    func usage() async throws -> (count: Int64, codeSize: Int64) {
        let rows = try await store.query("SELECT configuration FROM lambda_functions")
        var size: Int64 = 0
        for row in rows {
            let configuration = try LambdaShapes.FunctionConfiguration(wire: WireValue(storedJSON: row.bytes("configuration") ?? []), path: "")
            size += configuration.codeSize ?? 0
        }
        return (Int64(rows.count), size)
    }

    /// A record's column values: name, configuration JSON, tags JSON, code digest.
    private static func columns(_ record: Record) -> (String, String, String, String) {
        (
            record.configuration.functionName ?? "",
            String(decoding: record.configuration.wire.storedJSON, as: UTF8.self),
            String(decoding: record.tags.wire.storedJSON, as: UTF8.self),
            record.codeDigest
        )
    }

    private static func record(_ row: SQLRow) throws -> Record {
        Record(
            configuration: try LambdaShapes.FunctionConfiguration(wire: WireValue(storedJSON: row.bytes("configuration") ?? []), path: ""),
            codeDigest: row.string("code_digest") ?? "",
            tags: try [String: String](wire: WireValue(storedJSON: row.bytes("tags") ?? []), path: "")
        )
    }
}

/// Recently read functions, by name.
private final class RecordCache: Sendable {
    private let entries = Mutex<[String: (record: FunctionStore.Record, expires: Double)]>([:])

    func record(named name: String, at now: Double) -> FunctionStore.Record? {
        entries.withLock { entries in
            guard let entry = entries[name] else { return nil }
            guard entry.expires > now else {
                entries[name] = nil
                return nil
            }
            return entry.record
        }
    }

    func keep(_ record: FunctionStore.Record, named name: String, until expires: Double) {
        entries.withLock { $0[name] = (record, expires) }
    }

    func forget(_ name: String) {
        _ = entries.withLock { $0.removeValue(forKey: name) }
    }
}
