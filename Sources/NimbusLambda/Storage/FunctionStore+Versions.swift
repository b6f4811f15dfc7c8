import NimbusCore
import NimbusStore
import NimbusWire

/// Published versions: rows of `lambda_versions`, each a frozen copy of `$LATEST`'s
/// configuration and code digest.
extension FunctionStore {
    /// What `publish` did.
    enum Publication {
        /// A new version, numbered one past the last.
        case published(Record)
        /// `$LATEST` has not changed since `Record` was published: AWS answers with it.
        case unchanged(Record)
        /// `$LATEST` changed while publishing; its revision is not the one read.
        case stale
    }

    /// Publishes `latest` (as read, with its `RevisionId`) as the next version, whose
    /// configuration `configure` makes from the version number.
    func publish(
        _ latest: Record,
        now: Double,
        configure: @escaping @Sendable (Int) -> LambdaShapes.FunctionConfiguration
    ) async throws -> Publication {
        let name = latest.configuration.functionName ?? ""
        let revision = latest.configuration.revisionId ?? ""
        let publication = try await store.transaction { transaction -> Publication in
            let rows = try await transaction.query(
                "SELECT configuration, code_digest, tags, last_version, published_revision FROM lambda_functions WHERE name = \(name)"
            )
            guard let row = rows.first, let current = try? Self.record(row), current.configuration.revisionId == revision else { return .stale }
            let last = Int(row.int("last_version") ?? 0)
            if last > 0, row.string("published_revision") == revision,
                let existing = try await transaction.query(
                    "SELECT configuration, code_digest, '{}' AS tags FROM lambda_versions WHERE name = \(name) AND version = \(last)"
                ).first
            {
                return .unchanged(try Self.record(existing))
            }
            let number = last + 1
            let version = Record(configuration: configure(number), codeDigest: latest.codeDigest, tags: [:])
            let configuration = String(decoding: version.configuration.wire.storedJSON, as: UTF8.self)
            try await transaction.execute(
                """
                INSERT INTO lambda_versions (name, version, configuration, code_digest, created_at)
                VALUES (\(name), \(number), \(configuration), \(latest.codeDigest), \(now))
                """
            )
            try await transaction.execute(
                "UPDATE lambda_functions SET last_version = \(number), published_revision = \(revision) WHERE name = \(name)"
            )
            return .published(version)
        }
        cache.forget(name)
        return publication
    }

    /// Version `number` of function `name`, or `nil`.
    func version(_ number: Int, of name: String) async throws -> Record? {
        let key = "\(name):\(number)"
        if let cached = cache.value(for: key, at: clock.now()) { return cached }
        let record = try await store.query(
            "SELECT configuration, code_digest, '{}' AS tags FROM lambda_versions WHERE name = \(name) AND version = \(number)"
        ).first.map(Self.record)
        if let record { cache.keep(record, for: key, until: clock.now() + Self.cacheLifetime) }
        return record
    }

    /// Versions of `name` in order, after version `marker` (exclusive), at most `limit`.
    func versions(of name: String, after marker: Int, limit: Int) async throws -> [Record] {
        try await store.query(
            """
            SELECT configuration, code_digest, '{}' AS tags FROM lambda_versions
            WHERE name = \(name) AND version > \(marker) ORDER BY version LIMIT \(limit)
            """
        ).map(Self.record)
    }

    /// Deletes version `number`; returns its code digest when nothing else uses it any more.
    func deleteVersion(_ number: Int, of name: String) async throws -> [String] {
        cache.forget("\(name):\(number)")
        return try await store.transaction { transaction in
            let digests = try await transaction.query(
                "SELECT code_digest FROM lambda_versions WHERE name = \(name) AND version = \(number)"
            ).compactMap { $0.string("code_digest") }
            try await transaction.execute("DELETE FROM lambda_versions WHERE name = \(name) AND version = \(number)")
            try await transaction.execute("DELETE FROM lambda_policies WHERE name = \(name) AND qualifier = \(String(number))")
            return try await Self.unused(Set(digests), in: transaction)
        }
    }
}
