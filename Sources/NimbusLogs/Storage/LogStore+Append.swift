import NimbusCore
import NimbusStore
import Synchronization

extension LogStore {
    /// Why an append without `create` found nowhere to write.
    enum AppendFailure: Error, Hashable {
        case noGroup
        case noStream
    }

    /// Rows per `INSERT`: keeps a statement's parameters (6 per row) well under every backend's limit.
    static let rowsPerInsert = 500
    /// How many stream ids `append` remembers before it starts over.
    static let cachedStreamLimit = 10_000

    /// Appends `events` to `stream` of `group` in one transaction and returns the ingestion
    /// sequence of the last one (the events get consecutive sequences ending there).
    ///
    /// Keeps the stream's first and last event timestamps, last ingestion time and stored bytes
    /// current. Negative timestamps are stored as 0.
    /// - Parameter create: create the group and the stream when they do not exist (the
    ///   `LogSink` contract); otherwise fail with `AppendFailure`.
    @discardableResult
    func append(_ events: [LogEvent], group: String, stream: String, now: Int64, create: Bool) async throws -> Int64 {
        guard let first = events.first else { return 0 }
        let key = StreamKey(group: group, stream: stream)
        let cached = streamIDs.withLock { $0[key] }
        var earliest = max(first.timestamp, 0)
        var latest = earliest
        var bytes: Int64 = 0
        for event in events {
            earliest = min(earliest, max(event.timestamp, 0))
            latest = max(latest, event.timestamp)
            bytes += Int64(event.message.utf8.count)
        }
        let update: SQL = """
            UPDATE logs_streams SET
                first_event_at = CASE WHEN first_event_at IS NULL OR first_event_at > \(earliest) THEN \(earliest) ELSE first_event_at END,
                last_event_at = CASE WHEN last_event_at IS NULL OR last_event_at < \(latest) THEN \(latest) ELSE last_event_at END,
                last_ingestion_at = \(now),
                stored_bytes = stored_bytes + \(bytes)
            """
        let (ids, lastSequence) = try await store.transaction { transaction -> (StreamIDs, Int64) in
            var ids: StreamIDs
            // A cached id is used only if its stream still exists (the update finds it).
            if let cached, try await !transaction.query("\(sql: update) WHERE id = \(cached.stream) RETURNING id").isEmpty {
                ids = cached
            } else {
                ids = try await Self.resolve(key, create: create, now: now, in: transaction)
                try await transaction.execute("\(sql: update) WHERE id = \(ids.stream)")
            }
            let bumped = try await transaction.query(
                "UPDATE logs_groups SET last_sequence = last_sequence + \(events.count) WHERE id = \(ids.group) RETURNING last_sequence"
            )
            guard let last = bumped.first?.int("last_sequence") else { throw AppendFailure.noGroup }
            var sequence = last - Int64(events.count)
            var start = 0
            while start < events.count {
                let chunk = events[start..<min(start + Self.rowsPerInsert, events.count)]
                let rows = chunk.map { event -> SQL in
                    sequence += 1
                    return "(\(ids.group), \(sequence), \(ids.stream), \(max(event.timestamp, 0)), \(now), \(event.message))"
                }
                try await transaction.execute(
                    "INSERT INTO logs_events (group_id, sequence, stream_id, timestamp, ingested_at, message) VALUES \(sql: .joined(rows, separator: ", "))"
                )
                start += chunk.count
            }
            return (ids, last)
        }
        if cached != ids {
            streamIDs.withLock { cache in
                if cache.count >= Self.cachedStreamLimit { cache.removeAll() }
                cache[key] = ids
            }
        }
        return lastSequence
    }

    /// The ids of `key`'s group and stream, creating them when `create` says so.
    private static func resolve(_ key: StreamKey, create: Bool, now: Int64, in transaction: any SQLTransaction) async throws -> StreamIDs {
        var groupID = try await transaction.query("SELECT id FROM logs_groups WHERE name = \(key.group)").first?.int("id")
        if groupID == nil {
            guard create else { throw AppendFailure.noGroup }
            groupID = try await transaction.query(
                """
                INSERT INTO logs_groups (name, created_at, log_group_class, tags) VALUES (\(key.group), \(now), 'STANDARD', '{}')
                RETURNING id
                """
            ).first?.int("id")
        }
        guard let groupID else { throw AppendFailure.noGroup }
        var streamID = try await transaction.query("SELECT id FROM logs_streams WHERE group_id = \(groupID) AND name = \(key.stream)").first?
            .int("id")
        if streamID == nil {
            guard create else { throw AppendFailure.noStream }
            streamID = try await transaction.query(
                "INSERT INTO logs_streams (group_id, name, created_at) VALUES (\(groupID), \(key.stream), \(now)) RETURNING id"
            ).first?.int("id")
        }
        guard let streamID else { throw AppendFailure.noStream }
        return StreamIDs(group: groupID, stream: streamID)
    }
}
