import NimbusCore
import NimbusStore
import NimbusWire

/// One change to stored messages. Changes from concurrent requests are written together,
/// one transaction per group commit round.
enum MessageWrite: Sendable {
    /// New messages of a queue, with the FIFO deduplication keys they claim.
    case insert(queue: Int64, messages: [QueuedMessage], deduplication: [(key: String, entry: DeduplicationWindow.Entry)])
    /// Receives and visibility changes: the delivery state of each message.
    case deliver([QueuedMessage])
    /// Deleted, expired or purged messages.
    case remove([Int64])
    /// A message moved to another queue (dead-letter redrive, move task).
    case move(QueuedMessage, toQueue: Int64)
    /// A message move task's state.
    case moveTask(MoveTask)
}

extension SQSStore {
    /// Rows per multi-row statement (10 parameters each, well under every backend's limit).
    private static let rowsPerStatement = 400

    /// Writes `writes` in one transaction: inserts, moves, deliveries, then removals.
    func write(_ writes: [MessageWrite]) async throws {
        var inserts: [(Int64, QueuedMessage)] = []
        var deduplication: [(Int64, String, DeduplicationWindow.Entry)] = []
        var deliveries: [Int64: QueuedMessage] = [:]
        var removals: [Int64] = []
        var moves: [(QueuedMessage, Int64)] = []
        var tasks: [String: MoveTask] = [:]
        for write in writes {
            switch write {
            case .insert(let queue, let messages, let keys):
                inserts += messages.map { (queue, $0) }
                deduplication += keys.map { (queue, $0.key, $0.entry) }
            case .deliver(let messages):
                for message in messages {
                    if let known = deliveries[message.sequence], known.receipt > message.receipt { continue }
                    deliveries[message.sequence] = message
                }
            case .remove(let sequences): removals += sequences
            case .move(let message, let queue): moves.append((message, queue))
            case .moveTask(let task): tasks[task.handle] = task
            }
        }
        let inserting = inserts
        let deduplicating = deduplication
        let moving = moves
        let delivering = Array(deliveries.values)
        let removing = removals
        let saving = Array(tasks.values)
        try await store.transaction { transaction in
            for task in saving {
                try await transaction.execute(Self.saveStatement(task))
            }
            for chunk in inserting.chunked(Self.rowsPerStatement) {
                let values = SQL.joined(chunk.map { Self.values(queue: $0.0, message: $0.1) }, separator: ", ")
                try await transaction.execute(
                    """
                    INSERT INTO sqs_messages (id, queue, message_id, body, attributes, system, md5_body, md5_attributes, sent_at, available_at)
                    VALUES \(sql: values)
                    """
                )
            }
            for (queue, key, entry) in deduplicating {
                try await transaction.execute(
                    """
                    INSERT INTO sqs_deduplication (queue, key, message_id, sequence, expires_at)
                    VALUES (\(queue), \(key), \(entry.messageID), \(entry.sequence), \(entry.expiresAt))
                    ON CONFLICT (queue, key) DO UPDATE SET message_id = excluded.message_id, sequence = excluded.sequence,
                        expires_at = excluded.expires_at
                    """
                )
            }
            for (message, queue) in moving {
                try await transaction.execute(
                    "UPDATE sqs_messages SET queue = \(queue), system = \(Self.systemText(message.system)) WHERE id = \(message.sequence)"
                )
                if message.receipt == 0 { try await transaction.execute("DELETE FROM sqs_deliveries WHERE message = \(message.sequence)") }
            }
            for chunk in delivering.chunked(Self.rowsPerStatement) {
                let values = SQL.joined(
                    chunk.map { message in
                        """
                        (\(message.sequence), \(message.receiveCount), \(message.receipt), \(message.visibleAt), \(message.receivedAt),
                            \(message.firstReceivedAt ?? message.receivedAt))
                        """
                    },
                    separator: ", "
                )
                // A later receive's row is never overwritten by an earlier one written late.
                try await transaction.execute(
                    """
                    INSERT INTO sqs_deliveries (message, receive_count, receipt, visible_at, received_at, first_received_at)
                    VALUES \(sql: values)
                    ON CONFLICT (message) DO UPDATE SET receive_count = excluded.receive_count, receipt = excluded.receipt,
                        visible_at = excluded.visible_at, received_at = excluded.received_at, first_received_at = excluded.first_received_at
                    WHERE excluded.receipt >= sqs_deliveries.receipt
                    """
                )
            }
            for chunk in removing.chunked(Self.rowsPerStatement * 5) {
                try await transaction.execute("DELETE FROM sqs_messages WHERE id IN \(sql: SQL.list(chunk))")
                try await transaction.execute("DELETE FROM sqs_deliveries WHERE message IN \(sql: SQL.list(chunk))")
            }
        }
    }

    private static func values(queue: Int64, message: QueuedMessage) -> SQL {
        let attributes = message.attributes.isEmpty ? nil : attributesText(message.attributes)
        return """
            (\(message.sequence), \(queue), \(message.messageID), \(message.body), \(attributes), \(systemText(message.system)),
                \(message.md5OfBody), \(message.md5OfAttributes), \(message.sentAt), \(message.availableAt))
            """
    }

    /// Every stored message with its delivery state, by queue, oldest first. Removes rows
    /// whose queue no longer exists and deliveries whose message does not.
    func loadMessages(queues: Set<Int64>) async throws -> [(queue: Int64, message: QueuedMessage)] {
        try await store.execute("DELETE FROM sqs_deliveries WHERE message NOT IN (SELECT id FROM sqs_messages)")
        let rows = try await store.query(
            """
            SELECT m.*, d.receive_count, d.receipt, d.visible_at, d.received_at, d.first_received_at
            FROM sqs_messages m LEFT JOIN sqs_deliveries d ON d.message = m.id ORDER BY m.id
            """
        )
        var orphans: [Int64] = []
        var result: [(queue: Int64, message: QueuedMessage)] = []
        result.reserveCapacity(rows.count)
        for row in rows {
            guard let sequence = row.int("id"), let queue = row.int("queue") else { continue }
            guard queues.contains(queue) else {
                orphans.append(sequence)
                continue
            }
            var message = QueuedMessage(
                sequence: sequence,
                messageID: row.string("message_id") ?? "",
                body: row.string("body") ?? "",
                attributes: row.string("attributes").map(Self.attributes) ?? [:],
                md5OfBody: row.string("md5_body") ?? "",
                md5OfAttributes: row.string("md5_attributes"),
                system: Self.system(row.string("system") ?? "{}"),
                sentAt: row.double("sent_at") ?? 0,
                availableAt: row.double("available_at") ?? 0
            )
            if let receipt = row.int("receipt") {
                message.receipt = receipt
                message.receiveCount = Int(row.int("receive_count") ?? 0)
                message.visibleAt = row.double("visible_at") ?? 0
                message.receivedAt = row.double("received_at") ?? 0
                message.firstReceivedAt = row.double("first_received_at")
            }
            result.append((queue, message))
        }
        if !orphans.isEmpty { try await write([.remove(orphans)]) }
        return result
    }

    /// The deduplication keys still in their window at `now`, by queue.
    func loadDeduplication(at now: Double) async throws -> [(queue: Int64, key: String, entry: DeduplicationWindow.Entry)] {
        try await store.execute("DELETE FROM sqs_deduplication WHERE expires_at <= \(now)")
        return try await store.query("SELECT * FROM sqs_deduplication").compactMap { row in
            guard let queue = row.int("queue"), let key = row.string("key"), let id = row.string("message_id"), let sequence = row.int("sequence"),
                let expires = row.double("expires_at")
            else { return nil }
            return (queue, key, DeduplicationWindow.Entry(messageID: id, sequence: sequence, expiresAt: expires))
        }
    }

    /// The largest message sequence and receipt used so far, so new ones continue after them.
    func highWaterMarks() async throws -> (sequence: Int64, receipt: Int64) {
        let sequence = try await store.query("SELECT MAX(id) AS top FROM sqs_messages").first?.int("top") ?? 0
        let receipt = try await store.query("SELECT MAX(receipt) AS top FROM sqs_deliveries").first?.int("top") ?? 0
        let deduplicated = try await store.query("SELECT MAX(sequence) AS top FROM sqs_deduplication").first?.int("top") ?? 0
        return (max(sequence, deduplicated), receipt)
    }

    // MARK: Encoding

    static func attributesText(_ attributes: [String: MessageAttribute]) -> String {
        var object: [String: JSONValue] = [:]
        for (name, attribute) in attributes {
            var fields: [String: JSONValue] = ["t": .string(attribute.dataType)]
            if let string = attribute.stringValue { fields["s"] = .string(string) }
            if let binary = attribute.binaryValue { fields["b"] = .string(Base64.encode(binary)) }
            if !attribute.stringListValues.isEmpty { fields["sl"] = .array(attribute.stringListValues.map { .string($0) }) }
            if !attribute.binaryListValues.isEmpty { fields["bl"] = .array(attribute.binaryListValues.map { .string(Base64.encode($0)) }) }
            object[name] = .object(fields)
        }
        return String(decoding: JSONWriter.encode(.object(object)), as: UTF8.self)
    }

    static func attributes(_ text: String) -> [String: MessageAttribute] {
        guard case .object(let object)? = try? JSONParser.parse(Array(text.utf8)) else { return [:] }
        var result: [String: MessageAttribute] = [:]
        for (name, value) in object {
            guard case .object(let fields) = value, case .string(let type)? = fields["t"] else { continue }
            var attribute = MessageAttribute(dataType: type)
            if case .string(let string)? = fields["s"] { attribute.stringValue = string }
            if case .string(let binary)? = fields["b"] { attribute.binaryValue = Base64.decode(binary) }
            if case .array(let list)? = fields["sl"] {
                attribute.stringListValues = list.compactMap { if case .string(let s) = $0 { s } else { nil } }
            }
            if case .array(let list)? = fields["bl"] {
                attribute.binaryListValues = list.compactMap { if case .string(let s) = $0 { Base64.decode(s) } else { nil } }
            }
            result[name] = attribute
        }
        return result
    }

    /// The system fields as a JSON object, keys in ascending order (written once per message).
    static func systemText(_ system: SystemFields) -> String {
        let fields: [(key: String, value: String?)] = [
            ("dedup", system.deduplicationID),
            ("dlqSource", system.deadLetterSourceArn),
            ("group", system.groupID),
            ("sender", system.senderID),
            ("trace", system.traceHeader),
        ]
        var writer = JSONWriter()
        writer.writeObject(strings: fields.compactMap { field in field.value.map { (field.key, $0) } })
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    static func system(_ text: String) -> SystemFields {
        let fields = JSONText.stringMap(text) ?? [:]
        return SystemFields(
            groupID: fields["group"],
            deduplicationID: fields["dedup"],
            senderID: fields["sender"] ?? "",
            traceHeader: fields["trace"],
            deadLetterSourceArn: fields["dlqSource"]
        )
    }
}

extension Array {
    /// The array cut into consecutive pieces of at most `size` elements.
    func chunked(_ size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: size).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
