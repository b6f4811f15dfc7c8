import NimbusStore

extension SNSStore {
    private static let subscriptionColumns = """
        arn, topic_arn, protocol, endpoint, owner, confirmed, token, token_expires_at, authenticated, attributes, created_at
        """

    private static func subscription(_ row: SQLRow) -> Subscription {
        Subscription(
            arn: row.string("arn") ?? "",
            topicARN: row.string("topic_arn") ?? "",
            protocol: row.string("protocol") ?? "",
            endpoint: row.string("endpoint") ?? "",
            owner: row.string("owner") ?? "",
            confirmed: (row.int("confirmed") ?? 0) != 0,
            token: row.string("token"),
            tokenExpiresAt: row.double("token_expires_at"),
            authenticated: (row.int("authenticated") ?? 0) != 0,
            attributes: decode(row.string("attributes")),
            createdAt: row.double("created_at") ?? 0
        )
    }

    enum SubscribeOutcome: Sendable {
        case created(Subscription)
        case existing(Subscription)
        case noTopic
    }

    /// Stores `subscription` unless the topic already has one with the same protocol and endpoint
    /// (then returns that one); with `confirmation`, the confirmation message and its delivery are
    /// written in the same transaction.
    func subscribe(_ subscription: Subscription, confirmation: StoredMessage?, now: Double) async throws -> SubscribeOutcome {
        try await store.transaction { transaction in
            guard try await !transaction.query("SELECT arn FROM sns_topics WHERE arn = \(subscription.topicARN)").isEmpty else {
                return .noTopic
            }
            let existing = try await transaction.query(
                """
                SELECT \(raw: Self.subscriptionColumns) FROM sns_subscriptions
                WHERE topic_arn = \(subscription.topicARN) AND protocol = \(subscription.protocol) AND endpoint = \(subscription.endpoint)
                """
            )
            if let row = existing.first {
                let found = Self.subscription(row)
                // A pending HTTP/S subscription subscribed again gets its confirmation again, as on AWS.
                if !found.confirmed, var confirmation, let token = found.token {
                    confirmation.token = token
                    try await transaction.execute(
                        "UPDATE sns_subscriptions SET token_expires_at = \(subscription.tokenExpiresAt) WHERE arn = \(found.arn)"
                    )
                    try await Self.insert(confirmation, deliveries: [(found.arn, nil)], now: now, in: transaction)
                }
                return .existing(found)
            }
            try await transaction.execute(
                """
                INSERT INTO sns_subscriptions (arn, topic_arn, protocol, endpoint, owner, confirmed, token, token_expires_at, attributes, created_at)
                VALUES (\(subscription.arn), \(subscription.topicARN), \(subscription.protocol), \(subscription.endpoint), \(subscription.owner),
                        \(subscription.confirmed), \(subscription.token), \(subscription.tokenExpiresAt), \(Self.encode(subscription.attributes)),
                        \(subscription.createdAt))
                """
            )
            if let confirmation {
                try await Self.insert(confirmation, deliveries: [(subscription.arn, nil)], now: now, in: transaction)
            }
            return .created(subscription)
        }
    }

    func subscription(arn: String) async throws -> Subscription? {
        try await store.query("SELECT \(raw: Self.subscriptionColumns) FROM sns_subscriptions WHERE arn = \(arn)").first.map(Self.subscription)
    }

    /// A topic's subscriptions, confirmed or not, in ARN order.
    func subscriptions(topicARN: String) async throws -> [Subscription] {
        try await store.query(
            "SELECT \(raw: Self.subscriptionColumns) FROM sns_subscriptions WHERE topic_arn = \(topicARN) ORDER BY arn"
        ).map(Self.subscription)
    }

    /// Subscriptions in ARN order after `marker` (optionally of one topic), at most `limit`.
    func subscriptions(topicARN: String?, after marker: String?, limit: Int) async throws -> [Subscription] {
        if let topicARN {
            return try await store.query(
                """
                SELECT \(raw: Self.subscriptionColumns) FROM sns_subscriptions
                WHERE topic_arn = \(topicARN) AND arn > \(marker ?? "") ORDER BY arn LIMIT \(limit)
                """
            ).map(Self.subscription)
        }
        return try await store.query(
            "SELECT \(raw: Self.subscriptionColumns) FROM sns_subscriptions WHERE arn > \(marker ?? "") ORDER BY arn LIMIT \(limit)"
        ).map(Self.subscription)
    }

    /// The pending subscription of `topicARN` with confirmation `token`.
    func subscription(topicARN: String, token: String) async throws -> Subscription? {
        try await store.query(
            "SELECT \(raw: Self.subscriptionColumns) FROM sns_subscriptions WHERE token = \(token) AND topic_arn = \(topicARN)"
        ).first.map(Self.subscription)
    }

    /// Marks a subscription confirmed.
    func confirm(arn: String, authenticated: Bool) async throws {
        try await store.execute("UPDATE sns_subscriptions SET confirmed = 1, authenticated = \(authenticated) WHERE arn = \(arn)")
    }

    func updateSubscription(arn: String, attributes: [String: String]) async throws -> Bool {
        try await store.transaction { transaction in
            guard try await !transaction.query("SELECT arn FROM sns_subscriptions WHERE arn = \(arn)").isEmpty else { return false }
            try await transaction.execute("UPDATE sns_subscriptions SET attributes = \(Self.encode(attributes)) WHERE arn = \(arn)")
            return true
        }
    }

    /// Deletes a subscription and its pending deliveries; `false` when there was none.
    func unsubscribe(arn: String) async throws -> Bool {
        try await store.transaction { transaction in
            guard let row = try await transaction.query("SELECT topic_arn FROM sns_subscriptions WHERE arn = \(arn)").first,
                let topic = row.string("topic_arn")
            else { return false }
            try await transaction.execute("DELETE FROM sns_deliveries WHERE subscription_arn = \(arn)")
            try await transaction.execute("DELETE FROM sns_subscriptions WHERE arn = \(arn)")
            try await transaction.execute(
                "UPDATE sns_topics SET subscriptions_deleted = subscriptions_deleted + 1 WHERE arn = \(topic)"
            )
            return true
        }
    }
}
