import NimbusCore
import NimbusStore
import Synchronization

extension LogStore {
    /// Why an append without `create` found nowhere to write.
    enum AppendFailure: Error, Hashable {
        case noGroup
        case noStream
    }

    /// Events for one stream of one group.
    struct Batch: Sendable {
        var events: [LogEvent]
        var key: StreamKey
    }

    /// Rows per `INSERT`: keeps a statement's parameters (6 per row) well under every backend's limit.
    static let rowsPerInsert = 500
    /// How many stream ids `append` remembers before it starts over.
    static let cachedStreamLimit = 10_000

    /// Appends `events` to `stream` of `group` in one transaction and returns the ingestion
    /// sequence of the last one (the events get consecutive sequences ending there).
    /// - Parameter create: create the group and the stream when they do not exist (the
    ///   `LogSink` contract); otherwise fail with `AppendFailure`.
    @discardableResult
    func append(_ events: [LogEvent], group: String, stream: String, now: Int64, create: Bool) async throws -> Int64 {
        try await append([Batch(events: events, key: StreamKey(group: group, stream: stream))], now: now, create: create)[0]
    }

    /// Appends several batches in one transaction and returns, for each, the ingestion
    /// sequence of its last event (0 for an empty batch). Each batch's events get consecutive
    /// sequences, in the order of `batches`.
    ///
    /// The statements do not grow with the number of batches: one update of the streams'
    /// metadata (first and last event timestamps, last ingestion time, stored bytes), one
    /// sequence bump per group, and multi-row inserts of the events. Negative timestamps are
    /// stored as 0.
    func append(_ batches: [Batch], now: Int64, create: Bool) async throws -> [Int64] {
        guard batches.contains(where: { !$0.events.isEmpty }) else { return batches.map { _ in 0 } }
        let keys = Array(Set(batches.filter { !$0.events.isEmpty }.map(\.key)))
        let cached = streamIDs.withLock { cache in keys.compactMap { key in cache[key].map { (key, $0) } } }
        let (ids, lastSequences) = try await store.transaction { transaction -> ([StreamKey: StreamIDs], [Int64]) in
            var ids = Dictionary(uniqueKeysWithValues: cached)
            let missing = keys.filter { ids[$0] == nil }
            for key in missing { ids[key] = try await Self.resolve(key, create: create, now: now, in: transaction) }
            let updated = try await Self.updateStreams(batches, ids: ids, now: now, in: transaction)
            // A cached id whose stream has been deleted since: resolve again, and update that stream.
            let stale = keys.filter { key in ids[key].map { !updated.contains($0.stream) } ?? false }
            if !stale.isEmpty {
                for key in stale { ids[key] = try await Self.resolve(key, create: create, now: now, in: transaction) }
                _ = try await Self.updateStreams(batches.filter { stale.contains($0.key) }, ids: ids, now: now, in: transaction)
            }
            return (ids, try await Self.insert(batches, ids: ids, now: now, in: transaction))
        }
        streamIDs.withLock { cache in
            if cache.count + ids.count > Self.cachedStreamLimit { cache.removeAll() }
            cache.merge(ids) { _, new in new }
        }
        return lastSequences
    }

    /// Updates the metadata of the batches' streams in one statement; returns the ids it found.
    private static func updateStreams(
        _ batches: [Batch],
        ids: [StreamKey: StreamIDs],
        now: Int64,
        in transaction: any SQLTransaction
    ) async throws
        -> Set<Int64>
    {
        var summaries: [Int64: (earliest: Int64, latest: Int64, bytes: Int64)] = [:]
        for batch in batches {
            guard let id = ids[batch.key]?.stream else { continue }
            for event in batch.events {
                let timestamp = max(event.timestamp, 0)
                var summary = summaries[id] ?? (timestamp, timestamp, 0)
                summary.earliest = min(summary.earliest, timestamp)
                summary.latest = max(summary.latest, timestamp)
                summary.bytes += Int64(event.message.utf8.count)
                summaries[id] = summary
            }
        }
        guard !summaries.isEmpty else { return [] }
        let values = summaries.sorted { $0.key < $1.key }.map { id, summary -> SQL in
            "(\(id), \(summary.earliest), \(summary.latest), \(summary.bytes))"
        }
        let rows = try await transaction.query(
            """
            UPDATE logs_streams SET
                first_event_at = CASE WHEN first_event_at IS NULL OR first_event_at > v.column2 THEN v.column2 ELSE first_event_at END,
                last_event_at = CASE WHEN last_event_at IS NULL OR last_event_at < v.column3 THEN v.column3 ELSE last_event_at END,
                last_ingestion_at = \(now),
                stored_bytes = stored_bytes + v.column4
            FROM (VALUES \(sql: .joined(values, separator: ", "))) AS v
            WHERE logs_streams.id = v.column1
            RETURNING id
            """
        )
        return Set(rows.compactMap { $0.int("id") })
    }

    /// Numbers the events (one bump of each group's `last_sequence`) and inserts them; returns
    /// each batch's last sequence.
    private static func insert(
        _ batches: [Batch],
        ids: [StreamKey: StreamIDs],
        now: Int64,
        in transaction: any SQLTransaction
    ) async throws
        -> [Int64]
    {
        var counts: [Int64: Int] = [:]
        for batch in batches { if let group = ids[batch.key]?.group { counts[group, default: 0] += batch.events.count } }
        var next: [Int64: Int64] = [:]
        for (group, count) in counts.sorted(by: { $0.key < $1.key }) where count > 0 {
            let bumped = try await transaction.query(
                "UPDATE logs_groups SET last_sequence = last_sequence + \(count) WHERE id = \(group) RETURNING last_sequence"
            )
            guard let last = bumped.first?.int("last_sequence") else { throw AppendFailure.noGroup }
            next[group] = last - Int64(count) + 1
        }
        var rows: [SQL] = []
        var lastSequences: [Int64] = []
        for batch in batches {
            guard let batchIDs = ids[batch.key], !batch.events.isEmpty, var sequence = next[batchIDs.group] else {
                lastSequences.append(0)
                continue
            }
            for event in batch.events {
                rows.append("(\(batchIDs.group), \(sequence), \(batchIDs.stream), \(max(event.timestamp, 0)), \(now), \(event.message))")
                sequence += 1
            }
            next[batchIDs.group] = sequence
            lastSequences.append(sequence - 1)
        }
        var start = 0
        while start < rows.count {
            let chunk = rows[start..<min(start + rowsPerInsert, rows.count)]
            try await transaction.execute(
                "INSERT INTO logs_events (group_id, sequence, stream_id, timestamp, ingested_at, message) VALUES \(sql: .joined(Array(chunk), separator: ", "))"
            )
            start += chunk.count
        }
        return lastSequences
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
