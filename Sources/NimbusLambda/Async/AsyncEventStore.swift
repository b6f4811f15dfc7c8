import NimbusCore
import NimbusStore

/// The durable queue of asynchronous invocations (`InvocationType: Event`): one row per
/// event in `lambda_async_events` until it succeeds or ends at a dead-letter target or
/// failure destination. An event is in the table before `Invoke` answers 202, so it survives
/// a crash of the server; one that was running then runs again after the restart.
struct AsyncEventStore {
    static let migrations: [Migration] = [
        Migration(id: "lambda-0004-async-events") { dialect in
            let blob =
                switch dialect {
                case .sqlite: "BLOB"
                case .postgres: "BYTEA"
                }
            return [
                """
                CREATE TABLE lambda_async_events (
                    id TEXT PRIMARY KEY,
                    name TEXT NOT NULL,
                    qualifier TEXT NOT NULL,
                    payload \(raw: blob) NOT NULL,
                    received_at DOUBLE PRECISION NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    due_at DOUBLE PRECISION NOT NULL
                )
                """,
                "CREATE INDEX lambda_async_events_due ON lambda_async_events (due_at)",
                """
                CREATE TABLE lambda_event_invoke_configs (
                    name TEXT NOT NULL,
                    qualifier TEXT NOT NULL,
                    configuration TEXT NOT NULL,
                    PRIMARY KEY (name, qualifier)
                )
                """,
            ]
        }
    ]

    /// One queued event.
    struct Event: Sendable, Hashable {
        /// The request id of the `Invoke` that queued it; every attempt runs under it.
        var id: String
        var functionName: String
        /// `$LATEST`, a version or an alias, as the caller named it.
        var qualifier: String
        var payload: [UInt8]
        /// When `Invoke` accepted it (seconds since the epoch).
        var receivedAt: Double
        /// Attempts that ended in a function error so far.
        var attempts: Int
        var dueAt: Double
    }

    let store: any SQLStore
    /// Events queued together are written in one transaction.
    private let writer: GroupCommit<Event, Void>

    init(store: any SQLStore) {
        self.store = store
        writer = GroupCommit { events in
            try await store.transaction { transaction in
                for event in events {
                    try await transaction.execute(
                        """
                        INSERT INTO lambda_async_events (id, name, qualifier, payload, received_at, attempts, due_at)
                        VALUES (\(event.id), \(event.functionName), \(event.qualifier), \(event.payload), \(event.receivedAt), 0, \(event.dueAt))
                        """
                    )
                }
            }
            return events.map { _ in () }
        }
    }

    /// Stores `event`; it is durable when this returns.
    func enqueue(_ event: Event) async throws {
        try await writer.submit(event)
    }

    /// Events due by `now`, oldest first, at most `limit`, skipping `excluded` (running ones).
    func due(by now: Double, excluding excluded: Set<String>, limit: Int) async throws -> [Event] {
        let rows = try await store.query(
            """
            SELECT id, name, qualifier, payload, received_at, attempts, due_at FROM lambda_async_events
            WHERE due_at <= \(now) ORDER BY due_at LIMIT \(limit + excluded.count)
            """
        )
        return rows.compactMap(Self.event).filter { !excluded.contains($0.id) }.prefix(limit).map { $0 }
    }

    /// When the next event not in `excluded` falls due, if any is queued.
    func nextDue(excluding excluded: Set<String>) async throws -> Double? {
        let rows = try await store.query("SELECT id, due_at FROM lambda_async_events ORDER BY due_at LIMIT \(excluded.count + 1)")
        return rows.first { !excluded.contains($0.string("id") ?? "") }?.double("due_at")
    }

    /// Records a failed attempt and when to try again.
    func retry(_ id: String, attempts: Int, dueAt: Double) async throws {
        try await store.execute("UPDATE lambda_async_events SET attempts = \(attempts), due_at = \(dueAt) WHERE id = \(id)")
    }

    /// Puts the event off without counting an attempt (the function was throttled).
    func postpone(_ id: String, dueAt: Double) async throws {
        try await store.execute("UPDATE lambda_async_events SET due_at = \(dueAt) WHERE id = \(id)")
    }

    func remove(_ id: String) async throws {
        try await store.execute("DELETE FROM lambda_async_events WHERE id = \(id)")
    }

    /// Events still queued.
    func count() async throws -> Int {
        Int(try await store.query("SELECT COUNT(*) AS queued FROM lambda_async_events").first?.int("queued") ?? 0)
    }

    private static func event(_ row: SQLRow) -> Event? {
        guard let id = row.string("id"), let name = row.string("name") else { return nil }
        return Event(
            id: id,
            functionName: name,
            qualifier: row.string("qualifier") ?? "$LATEST",
            payload: row.bytes("payload") ?? [],
            receivedAt: row.double("received_at") ?? 0,
            attempts: Int(row.int("attempts") ?? 0),
            dueAt: row.double("due_at") ?? 0
        )
    }
}
