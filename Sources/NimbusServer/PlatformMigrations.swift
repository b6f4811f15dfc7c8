import NimbusCore
import NimbusStore

/// The platform's own tables: metadata about this data directory.
enum PlatformMigrations {
    static let all: [Migration] = [
        Migration(id: "platform-0001-meta") { _ in
            ["CREATE TABLE nimbus_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)"]
        }
    ]

    /// Records when the data directory was created (once) and last started, and the account it serves.
    static func recordStart(on store: some SQLStore, account: AccountContext, now: Double) async throws {
        let timestamp = String(now)
        let accountID = account.accountID
        try await store.transaction { transaction in
            try await transaction.execute("INSERT INTO nimbus_meta (key, value) VALUES ('created_at', \(timestamp)) ON CONFLICT (key) DO NOTHING")
            try await transaction.execute(
                "INSERT INTO nimbus_meta (key, value) VALUES ('last_started_at', \(timestamp)) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
            try await transaction.execute(
                "INSERT INTO nimbus_meta (key, value) VALUES ('account_id', \(accountID)) ON CONFLICT (key) DO UPDATE SET value = excluded.value"
            )
        }
    }
}
