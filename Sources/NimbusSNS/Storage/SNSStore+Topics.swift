import NimbusStore

extension SNSStore {
    private static let topicColumns = "arn, name, fifo, attributes, tags, created_at, subscriptions_deleted"

    private static func topic(_ row: SQLRow) -> Topic {
        Topic(
            arn: row.string("arn") ?? "",
            name: row.string("name") ?? "",
            fifo: (row.int("fifo") ?? 0) != 0,
            attributes: decode(row.string("attributes")),
            tags: decode(row.string("tags")),
            createdAt: row.double("created_at") ?? 0,
            subscriptionsDeleted: row.int("subscriptions_deleted") ?? 0
        )
    }

    /// Creates `topic` unless one with its ARN exists; returns the stored topic either way.
    func createTopic(_ topic: Topic) async throws -> (topic: Topic, created: Bool) {
        try await store.transaction { transaction in
            if let row = try await transaction.query("SELECT \(raw: Self.topicColumns) FROM sns_topics WHERE arn = \(topic.arn)").first {
                return (Self.topic(row), false)
            }
            try await transaction.execute(
                """
                INSERT INTO sns_topics (arn, name, fifo, attributes, tags, created_at)
                VALUES (\(topic.arn), \(topic.name), \(topic.fifo), \(Self.encode(topic.attributes)), \(Self.encode(topic.tags)), \(topic.createdAt))
                """
            )
            return (topic, true)
        }
    }

    func topic(arn: String) async throws -> Topic? {
        try await store.query("SELECT \(raw: Self.topicColumns) FROM sns_topics WHERE arn = \(arn)").first.map(Self.topic)
    }

    /// Topics in ARN order after `marker`, at most `limit`.
    func topics(after marker: String?, limit: Int) async throws -> [Topic] {
        try await store.query(
            "SELECT \(raw: Self.topicColumns) FROM sns_topics WHERE arn > \(marker ?? "") ORDER BY arn LIMIT \(limit)"
        ).map(Self.topic)
    }

    /// Deletes a topic, its subscriptions and its pending deliveries. Deleting a missing topic succeeds.
    func deleteTopic(arn: String) async throws {
        try await store.transaction { transaction in
            try await transaction.execute(
                """
                DELETE FROM sns_deliveries WHERE subscription_arn IN (SELECT arn FROM sns_subscriptions WHERE topic_arn = \(arn))
                """
            )
            try await transaction.execute("DELETE FROM sns_messages WHERE topic_arn = \(arn)")
            try await transaction.execute("DELETE FROM sns_subscriptions WHERE topic_arn = \(arn)")
            try await transaction.execute("DELETE FROM sns_deduplication WHERE topic_arn = \(arn)")
            try await transaction.execute("DELETE FROM sns_topics WHERE arn = \(arn)")
        }
    }

    /// Replaces a topic's set attributes; `false` when the topic is gone.
    func updateTopic(arn: String, attributes: [String: String]? = nil, tags: [String: String]? = nil) async throws -> Bool {
        try await store.transaction { transaction in
            guard try await !transaction.query("SELECT arn FROM sns_topics WHERE arn = \(arn)").isEmpty else { return false }
            if let attributes {
                try await transaction.execute("UPDATE sns_topics SET attributes = \(Self.encode(attributes)) WHERE arn = \(arn)")
            }
            if let tags {
                try await transaction.execute("UPDATE sns_topics SET tags = \(Self.encode(tags)) WHERE arn = \(arn)")
            }
            return true
        }
    }

    /// Confirmed and pending subscription counts of a topic.
    func subscriptionCounts(topicARN: String) async throws -> (confirmed: Int64, pending: Int64) {
        let rows = try await store.query(
            "SELECT confirmed, COUNT(*) AS n FROM sns_subscriptions WHERE topic_arn = \(topicARN) GROUP BY confirmed"
        )
        var counts: (confirmed: Int64, pending: Int64) = (0, 0)
        for row in rows {
            if (row.int("confirmed") ?? 0) != 0 { counts.confirmed = row.int("n") ?? 0 } else { counts.pending = row.int("n") ?? 0 }
        }
        return counts
    }
}
