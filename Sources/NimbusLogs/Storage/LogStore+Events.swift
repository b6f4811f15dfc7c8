import NimbusStore

extension LogStore {
    /// A place between events in time order: after every event that sorts before
    /// `(timestamp, sequence)` and before every event that sorts after it.
    struct EventPosition: Sendable, Hashable, Comparable {
        /// Before every event.
        static let start = EventPosition(timestamp: 0, sequence: 0)

        var timestamp: Int64
        var sequence: Int64

        static func < (lhs: EventPosition, rhs: EventPosition) -> Bool {
            (lhs.timestamp, lhs.sequence) < (rhs.timestamp, rhs.sequence)
        }
    }

    /// Which way `streamEvents` reads from a position.
    enum Direction: Sendable, Hashable {
        /// The earliest events after the position (from the start when `nil`).
        case forward(after: EventPosition?)
        /// The latest events before the position (from the end when `nil`).
        case backward(before: EventPosition?)
    }

    /// Which events of a group `groupEvents` returns.
    struct EventFilter: Sendable, Hashable {
        /// Only these streams; `nil` for all.
        var streamIDs: [Int64]?
        /// Inclusive bounds on the event timestamp.
        var startTime: Int64?
        var endTime: Int64?
        var pattern = FilterPattern.all
    }

    /// At most `limit` events of one stream, ascending by (timestamp, sequence), with
    /// `startTime <= timestamp < endTime`.
    func streamEvents(
        streamID: Int64,
        streamName: String,
        direction: Direction,
        startTime: Int64?,
        endTime: Int64?,
        limit: Int
    ) async throws
        -> [Event]
    {
        var conditions: [SQL] = ["stream_id = \(streamID)"]
        if let startTime { conditions.append("timestamp >= \(startTime)") }
        if let endTime { conditions.append("timestamp < \(endTime)") }
        let descending: Bool
        switch direction {
        case .forward(let after):
            descending = false
            if let after { conditions.append("(timestamp, sequence) > (\(after.timestamp), \(after.sequence))") }
        case .backward(let before):
            descending = true
            if let before { conditions.append("(timestamp, sequence) < (\(before.timestamp), \(before.sequence))") }
        }
        let order = descending ? "timestamp DESC, sequence DESC" : "timestamp, sequence"
        let rows = try await store.query(
            """
            SELECT sequence, timestamp, ingested_at, message FROM logs_events
            WHERE \(sql: .all(conditions)) ORDER BY \(raw: order) LIMIT \(limit)
            """
        )
        let events = rows.map { Self.event($0, streamName: streamName) }
        return descending ? events.reversed() : events
    }

    /// At most `limit` events of a group matching `filter`, after `position`, in time order
    /// (timestamp, then ingestion sequence).
    func groupEvents(groupID: Int64, filter: EventFilter, after position: EventPosition?, limit: Int) async throws -> [Event] {
        guard var conditions = conditions(groupID: groupID, filter: filter) else { return [] }
        if let position { conditions.append("(e.timestamp, e.sequence) > (\(position.timestamp), \(position.sequence))") }
        return try await events(where: conditions, orderBy: "e.timestamp, e.sequence", limit: limit)
    }

    /// At most `limit` events of a group matching `filter` with an ingestion sequence above
    /// `sequence`, in ingestion order: what a follower has not seen yet.
    func groupEvents(groupID: Int64, filter: EventFilter, afterSequence sequence: Int64, limit: Int) async throws -> [Event] {
        guard var conditions = conditions(groupID: groupID, filter: filter) else { return [] }
        conditions.append("e.sequence > \(sequence)")
        return try await events(where: conditions, orderBy: "e.sequence", limit: limit)
    }

    /// The ingestion sequence of the group's latest event (0 before the first).
    func lastSequence(groupID: Int64) async throws -> Int64 {
        try await store.query("SELECT last_sequence FROM logs_groups WHERE id = \(groupID)").first?.int("last_sequence") ?? 0
    }

    private func conditions(groupID: Int64, filter: EventFilter) -> [SQL]? {
        var conditions: [SQL] = ["e.group_id = \(groupID)"]
        if let ids = filter.streamIDs {
            guard !ids.isEmpty else { return nil }
            conditions.append("e.stream_id IN (\(sql: .joined(ids.map { id -> SQL in "\(id)" }, separator: ", ")))")
        }
        if let start = filter.startTime { conditions.append("e.timestamp >= \(start)") }
        if let end = filter.endTime { conditions.append("e.timestamp <= \(end)") }
        for term in filter.pattern.required {
            conditions.append(.contains("e.message", term, dialect: store.dialect))
        }
        if !filter.pattern.anyOf.isEmpty {
            let options = filter.pattern.anyOf.map { SQL.contains("e.message", $0, dialect: store.dialect) }
            conditions.append("(\(sql: .joined(options, separator: " OR ")))")
        }
        for term in filter.pattern.excluded {
            conditions.append("NOT (\(sql: .contains("e.message", term, dialect: store.dialect)))")
        }
        return conditions
    }

    private func events(where conditions: [SQL], orderBy: String, limit: Int) async throws -> [Event] {
        try await store.query(
            """
            SELECT e.sequence, e.timestamp, e.ingested_at, e.message, s.name AS stream_name
            FROM logs_events e JOIN logs_streams s ON s.id = e.stream_id
            WHERE \(sql: .all(conditions)) ORDER BY \(raw: orderBy) LIMIT \(limit)
            """
        ).map { Self.event($0, streamName: $0.string("stream_name") ?? "") }
    }

    private static func event(_ row: SQLRow, streamName: String) -> Event {
        Event(
            sequence: row.int("sequence") ?? 0,
            streamName: streamName,
            timestamp: row.int("timestamp") ?? 0,
            ingestionTime: row.int("ingested_at") ?? 0,
            message: row.string("message") ?? ""
        )
    }
}
