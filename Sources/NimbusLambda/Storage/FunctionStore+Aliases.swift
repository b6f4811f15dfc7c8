import NimbusCore
import NimbusStore
import NimbusWire

/// Aliases: rows of `lambda_aliases`, each AWS's `AliasConfiguration` as stored JSON.
/// Invocations through an alias read it, so reads are cached like functions'.
extension FunctionStore {
    /// Alias `alias` of function `name`, or `nil`.
    func alias(_ alias: String, of name: String) async throws -> LambdaShapes.AliasConfiguration? {
        let now = clock.now()
        if let cached = aliasCache.value(for: "\(name):\(alias)", at: now) { return cached }
        let found = try await store.query("SELECT configuration FROM lambda_aliases WHERE name = \(name) AND alias = \(alias)")
            .first.map(Self.alias)
        if let found { aliasCache.keep(found, for: "\(name):\(alias)", until: now + Self.cacheLifetime) }
        return found
    }

    /// Inserts a new alias; `false` when one of that name exists already.
    func insertAlias(_ configuration: LambdaShapes.AliasConfiguration, of name: String) async throws -> Bool {
        let alias = configuration.name ?? ""
        let json = String(decoding: configuration.wire.storedJSON, as: UTF8.self)
        return try await store.transaction { transaction in
            guard try await transaction.query("SELECT 1 AS found FROM lambda_aliases WHERE name = \(name) AND alias = \(alias)").isEmpty else {
                return false
            }
            try await transaction.execute("INSERT INTO lambda_aliases (name, alias, configuration) VALUES (\(name), \(alias), \(json))")
            return true
        }
    }

    /// Replaces the alias if its stored `RevisionId` is still `expectedRevision`; `false` otherwise.
    func updateAlias(_ configuration: LambdaShapes.AliasConfiguration, of name: String, expectedRevision: String) async throws -> Bool {
        let alias = configuration.name ?? ""
        let json = String(decoding: configuration.wire.storedJSON, as: UTF8.self)
        aliasCache.forget("\(name):\(alias)")
        defer { aliasCache.forget("\(name):\(alias)") }
        return try await store.transaction { transaction in
            guard
                let current = try await transaction.query("SELECT configuration FROM lambda_aliases WHERE name = \(name) AND alias = \(alias)").first,
                try Self.alias(current).revisionId == expectedRevision
            else { return false }
            try await transaction.execute("UPDATE lambda_aliases SET configuration = \(json) WHERE name = \(name) AND alias = \(alias)")
            return true
        }
    }

    func deleteAlias(_ alias: String, of name: String) async throws {
        aliasCache.forget("\(name):\(alias)")
        defer { aliasCache.forget("\(name):\(alias)") }
        try await store.execute("DELETE FROM lambda_aliases WHERE name = \(name) AND alias = \(alias)")
    }

    /// Aliases of `name` in name order, after `marker` (exclusive), at most `limit`.
    func aliases(of name: String, after marker: String, limit: Int) async throws -> [LambdaShapes.AliasConfiguration] {
        try await store.query(
            "SELECT configuration FROM lambda_aliases WHERE name = \(name) AND alias > \(marker) ORDER BY alias LIMIT \(limit)"
        ).map(Self.alias)
    }

    /// The aliases of `name` that route to `version` (as their version or an additional one).
    func aliases(of name: String, routingTo version: String) async throws -> [String] {
        try await store.query("SELECT configuration FROM lambda_aliases WHERE name = \(name) ORDER BY alias").map(Self.alias)
            .filter { $0.functionVersion == version || $0.routingConfig?.additionalVersionWeights?[version] != nil }
            .compactMap(\.name)
    }

    private static func alias(_ row: SQLRow) throws -> LambdaShapes.AliasConfiguration {
        try LambdaShapes.AliasConfiguration(wire: WireValue(storedJSON: row.bytes("configuration") ?? []), path: "")
    }
}
