import NimbusCore

/// Applies migrations through any `SQLStore`, recording each in `nimbus_migrations`.
package enum MigrationRunner {
    package static func run(_ migrations: [Migration], on store: some SQLStore) async throws -> [String] {
        try await store.execute("CREATE TABLE IF NOT EXISTS nimbus_migrations (id TEXT PRIMARY KEY, applied_at DOUBLE PRECISION NOT NULL)")
        let applied = Set(try await store.query("SELECT id FROM nimbus_migrations").compactMap { $0.string("id") })
        var newlyApplied: [String] = []
        for migration in migrations where !applied.contains(migration.id) {
            let statements = migration.statements(store.dialect)
            let id = migration.id
            let now = SystemWallClock().now()
            try await store.transaction { transaction in
                for statement in statements { try await transaction.execute(statement) }
                try await transaction.execute("INSERT INTO nimbus_migrations (id, applied_at) VALUES (\(id), \(now))")
            }
            newlyApplied.append(migration.id)
        }
        return newlyApplied
    }
}
