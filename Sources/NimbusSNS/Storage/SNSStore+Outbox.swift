import NimbusStore

/// The outbox: published messages and one pending delivery per matching subscription, written in
/// the Publish call's transaction and deleted once delivered (or given up), so a message whose
/// deliveries are pending survives a crash and is delivered after restart.
extension SNSStore {
    /// One Publish to write.
    struct Publication: Sendable {
        var message: StoredMessage
        /// The subscriptions the message goes to, with the key that orders FIFO deliveries.
        var deliveries: [(subscriptionARN: String, orderKey: String?)]
        var fifo: Bool
        /// FIFO: the id (given or the content hash) that deduplicates within the window.
        var deduplicationID: String?
        var deduplicationWindow: Double = 300
    }

    /// What writing a Publication did.
    struct Published: Sendable, Hashable {
        var messageID: String
        var sequenceNumber: String?
        /// A FIFO duplicate within the window: nothing was written, the first message's ids are returned.
        var duplicate: Bool
    }

    /// A delivery that is due.
    struct PendingDelivery: Sendable, Hashable {
        var id: Int64
        var messageID: String
        var subscriptionARN: String
        var orderKey: String?
        var attempts: Int
    }

    /// Writes publications in one transaction (group commit); one outcome each, in order.
    func publish(_ publications: [Publication], now: Double) async throws -> [Published] {
        try await store.transaction { transaction in
            var outcomes: [Published] = []
            for publication in publications {
                outcomes.append(try await Self.publish(publication, now: now, in: transaction))
            }
            return outcomes
        }
    }

    private static func publish(_ publication: Publication, now: Double, in transaction: any SQLTransaction) async throws -> Published {
        var message = publication.message
        let topic = message.topicARN
        if publication.fifo, let deduplicationID = publication.deduplicationID {
            try await transaction.execute("DELETE FROM sns_deduplication WHERE topic_arn = \(topic) AND expires_at <= \(now)")
            let seen = try await transaction.query(
                "SELECT message_id, sequence_number FROM sns_deduplication WHERE topic_arn = \(topic) AND deduplication_id = \(deduplicationID)"
            )
            if let row = seen.first {
                return Published(messageID: row.string("message_id") ?? "", sequenceNumber: row.string("sequence_number"), duplicate: true)
            }
            let rows = try await transaction.query("SELECT last_sequence FROM sns_topics WHERE arn = \(topic)")
            let next = (rows.first?.int("last_sequence") ?? 0) + 1
            try await transaction.execute("UPDATE sns_topics SET last_sequence = \(next) WHERE arn = \(topic)")
            let digits = String(next)
            let sequence = "1" + String(repeating: "0", count: max(0, 19 - digits.count)) + digits
            message.sequenceNumber = sequence
            try await transaction.execute(
                """
                INSERT INTO sns_deduplication (topic_arn, deduplication_id, message_id, sequence_number, expires_at)
                VALUES (\(topic), \(deduplicationID), \(message.id), \(sequence), \(now + publication.deduplicationWindow))
                """
            )
        }
        if !publication.deliveries.isEmpty {
            try await insert(message, deliveries: publication.deliveries, now: now, in: transaction)
        }
        return Published(messageID: message.id, sequenceNumber: message.sequenceNumber, duplicate: false)
    }

    /// Inserts a message and its deliveries, due at once.
    static func insert(
        _ message: StoredMessage,
        deliveries: [(subscriptionARN: String, orderKey: String?)],
        now: Double,
        in transaction: any SQLTransaction
    ) async throws {
        try await transaction.execute(
            "INSERT INTO sns_messages (id, topic_arn, record) VALUES (\(message.id), \(message.topicARN), \(message.encoded))"
        )
        for delivery in deliveries {
            try await transaction.execute(
                """
                INSERT INTO sns_deliveries (message_id, subscription_arn, order_key, attempts, next_at)
                VALUES (\(message.id), \(delivery.subscriptionARN), \(delivery.orderKey), 0, \(now))
                """
            )
        }
    }

    /// Deliveries due at `now`, oldest first, at most `limit`.
    func dueDeliveries(now: Double, limit: Int) async throws -> [PendingDelivery] {
        try await store.query(
            """
            SELECT id, message_id, subscription_arn, order_key, attempts FROM sns_deliveries
            WHERE next_at <= \(now) ORDER BY id LIMIT \(limit)
            """
        ).map { row in
            PendingDelivery(
                id: row.int("id") ?? 0,
                messageID: row.string("message_id") ?? "",
                subscriptionARN: row.string("subscription_arn") ?? "",
                orderKey: row.string("order_key"),
                attempts: Int(row.int("attempts") ?? 0)
            )
        }
    }

    /// Ids of the pending deliveries sharing `orderKey` that come before `id` (FIFO order).
    func hasEarlierDelivery(orderKey: String, before id: Int64) async throws -> Bool {
        try await !store.query("SELECT id FROM sns_deliveries WHERE order_key = \(orderKey) AND id < \(id) LIMIT 1").isEmpty
    }

    /// When the next delivery falls due, if any is pending.
    func nextDueTime() async throws -> Double? {
        try await store.query("SELECT MIN(next_at) AS next FROM sns_deliveries").first?.double("next")
    }

    func message(id: String) async throws -> StoredMessage? {
        guard let bytes = try await store.query("SELECT record FROM sns_messages WHERE id = \(id)").first?.bytes("record") else {
            return nil
        }
        return StoredMessage(encoded: bytes)
    }

    /// Removes a finished delivery, and its message when no other delivery needs it.
    func finishDelivery(_ delivery: PendingDelivery) async throws {
        try await finishDeliveries([delivery])
    }

    /// Removes finished deliveries in one transaction, and their messages when no other delivery needs them.
    func finishDeliveries(_ deliveries: [PendingDelivery]) async throws {
        try await store.transaction { transaction in
            for delivery in deliveries {
                try await transaction.execute("DELETE FROM sns_deliveries WHERE id = \(delivery.id)")
            }
            for messageID in Set(deliveries.map(\.messageID)) {
                let others = try await transaction.query("SELECT id FROM sns_deliveries WHERE message_id = \(messageID) LIMIT 1")
                if others.isEmpty { try await transaction.execute("DELETE FROM sns_messages WHERE id = \(messageID)") }
            }
        }
    }

    /// Records a failed attempt and when to try again.
    func reschedule(_ delivery: PendingDelivery, attempts: Int, at time: Double) async throws {
        try await store.execute("UPDATE sns_deliveries SET attempts = \(attempts), next_at = \(time) WHERE id = \(delivery.id)")
    }

    /// The number of deliveries not yet done (for tests and health).
    func pendingDeliveryCount() async throws -> Int {
        Int(try await store.query("SELECT COUNT(*) AS n FROM sns_deliveries").first?.int("n") ?? 0)
    }
}
