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
        },
        Migration(id: "lambda-0002-versions-and-aliases") { _ in
            [
                """
                CREATE TABLE lambda_versions (
                    name TEXT NOT NULL,
                    version INTEGER NOT NULL,
                    configuration TEXT NOT NULL,
                    code_digest TEXT NOT NULL,
                    created_at DOUBLE PRECISION NOT NULL,
                    PRIMARY KEY (name, version)
                )
                """,
                """
                CREATE TABLE lambda_aliases (
                    name TEXT NOT NULL,
                    alias TEXT NOT NULL,
                    configuration TEXT NOT NULL,
                    PRIMARY KEY (name, alias)
                )
                """,
                // The last version number handed out (numbers are never reused while the function
                // exists) and the `$LATEST` revision it was published from.
                "ALTER TABLE lambda_functions ADD COLUMN last_version INTEGER NOT NULL DEFAULT 0",
                "ALTER TABLE lambda_functions ADD COLUMN published_revision TEXT",
            ]
        },
        Migration(id: "lambda-0003-policies-and-concurrency") { _ in
            [
                // A resource policy's statements per qualifier ('' for the unqualified function).
                """
                CREATE TABLE lambda_policies (
                    name TEXT NOT NULL,
                    qualifier TEXT NOT NULL,
                    statements TEXT NOT NULL,
                    revision_id TEXT NOT NULL,
                    PRIMARY KEY (name, qualifier)
                )
                """,
                "CREATE TABLE lambda_concurrency (name TEXT PRIMARY KEY, reserved INTEGER NOT NULL)",
            ]
        },
        Migration(id: "lambda-0005-provisioned-concurrency") { _ in
            [
                """
                CREATE TABLE lambda_provisioned (
                    name TEXT NOT NULL,
                    qualifier TEXT NOT NULL,
                    requested INTEGER NOT NULL,
                    last_modified TEXT NOT NULL,
                    PRIMARY KEY (name, qualifier)
                )
                """
            ]
        },
        Migration(id: "lambda-0006-event-source-mappings") { _ in
            [
                """
                CREATE TABLE lambda_event_source_mappings (
                    uuid TEXT PRIMARY KEY,
                    function_name TEXT NOT NULL,
                    configuration TEXT NOT NULL
                )
                """
            ]
        },
    ]

    let store: any SQLStore
    let clock: any WallClock
    let cache = TimedCache<Record>()
    let aliasCache = TimedCache<LambdaShapes.AliasConfiguration>()

    static let cacheLifetime = 1.0

    init(store: any SQLStore, clock: any WallClock) {
        self.store = store
        self.clock = clock
    }

    func record(named name: String) async throws -> Record? {
        let now = clock.now()
        if let cached = cache.value(for: name, at: now) { return cached }
        let record = try await store.query("SELECT configuration, code_digest, tags FROM lambda_functions WHERE name = \(name)").first
            .map(Self.record)
        if let record { cache.keep(record, for: name, until: now + Self.cacheLifetime) }
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

    /// Saves a changed `$LATEST`; returns the code digest it replaced when nothing refers to that any more.
    @discardableResult
    func update(_ record: Record) async throws -> [String] {
        let (name, configuration, tags, digest) = Self.columns(record)
        cache.forget(name)
        defer { cache.forget(name) }
        return try await store.transaction { transaction in
            let previous = try await transaction.query("SELECT code_digest FROM lambda_functions WHERE name = \(name)").first?.string("code_digest")
            try await transaction.execute(
                "UPDATE lambda_functions SET configuration = \(configuration), code_digest = \(digest), tags = \(tags) WHERE name = \(name)"
            )
            guard let previous, previous != digest else { return [] }
            return try await Self.unused([previous], in: transaction)
        }
    }

    /// Every code digest a function or version refers to.
    func referencedDigests() async throws -> Set<String> {
        let rows = try await store.query("SELECT code_digest FROM lambda_functions UNION SELECT code_digest FROM lambda_versions")
        return Set(rows.compactMap { $0.string("code_digest") })
    }

    /// Deletes the function with its versions and aliases; returns the code digests that
    /// nothing uses any more (their blobs and folders can go).
    func delete(named name: String) async throws -> [String] {
        cache.forgetAll(of: name)
        aliasCache.forgetAll(of: name)
        defer {
            cache.forgetAll(of: name)
            aliasCache.forgetAll(of: name)
        }
        return try await store.transaction { transaction in
            var digests = Set(
                try await transaction.query("SELECT code_digest FROM lambda_functions WHERE name = \(name)").compactMap { $0.string("code_digest") }
            )
            digests.formUnion(
                try await transaction.query("SELECT code_digest FROM lambda_versions WHERE name = \(name)").compactMap { $0.string("code_digest") }
            )
            try await transaction.execute("DELETE FROM lambda_functions WHERE name = \(name)")
            try await transaction.execute("DELETE FROM lambda_versions WHERE name = \(name)")
            try await transaction.execute("DELETE FROM lambda_aliases WHERE name = \(name)")
            try await transaction.execute("DELETE FROM lambda_policies WHERE name = \(name)")
            try await transaction.execute("DELETE FROM lambda_concurrency WHERE name = \(name)")
            try await transaction.execute("DELETE FROM lambda_provisioned WHERE name = \(name)")
            return try await Self.unused(digests, in: transaction)
        }
    }

    /// Which of `digests` no function or version refers to.
    static func unused(_ digests: Set<String>, in transaction: any SQLTransaction) async throws -> [String] {
        var unused: [String] = []
        for digest in digests.sorted() {
            let inFunctions = try await transaction.query("SELECT 1 AS used FROM lambda_functions WHERE code_digest = \(digest) LIMIT 1")
            let inVersions = try await transaction.query("SELECT 1 AS used FROM lambda_versions WHERE code_digest = \(digest) LIMIT 1")
            if inFunctions.isEmpty && inVersions.isEmpty { unused.append(digest) }
        }
        return unused
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

    static func record(_ row: SQLRow) throws -> Record {
        Record(
            configuration: try LambdaShapes.FunctionConfiguration(wire: WireValue(storedJSON: row.bytes("configuration") ?? []), path: ""),
            codeDigest: row.string("code_digest") ?? "",
            tags: try [String: String](wire: WireValue(storedJSON: row.bytes("tags") ?? []), path: "")
        )
    }
}

/// Recently read rows, by key (`name` for `$LATEST`, `name:3` for a version, `name:alias`).
final class TimedCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (value: Value, expires: Double)]>([:])

    func value(for key: String, at now: Double) -> Value? {
        entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.value
        }
    }

    func keep(_ value: Value, for key: String, until expires: Double) {
        entries.withLock { $0[key] = (value, expires) }
    }

    func forget(_ key: String) {
        _ = entries.withLock { $0.removeValue(forKey: key) }
    }

    /// Forgets `name` and every `name:…` key.
    func forgetAll(of name: String) {
        entries.withLock { entries in
            entries = entries.filter { key, _ in key != name && !key.hasPrefix(name + ":") }
        }
    }
}
