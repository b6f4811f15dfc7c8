import NimbusCore
package import NimbusWire

extension SQSService {
    /// Stores a message; it is durable (and receivable) when this returns.
    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
    package func sendMessage(_ input: SQSShapes.SendMessageRequest, context: RequestContext) async throws -> SQSShapes.SendMessageResult {
        let draft = MessageDraft(
            body: input.messageBody,
            delaySeconds: input.delaySeconds,
            attributes: (input.messageAttributes ?? [:]).mapValues(MessageAttribute.init),
            systemAttributes: (input.messageSystemAttributes ?? [:]).mapValues(MessageAttribute.init),
            groupID: input.messageGroupId,
            deduplicationID: input.messageDeduplicationId
        )
        let key = try QueueName.key(fromURL: input.queueUrl)
        let (queue, sequence) = try await engine.reserve(key, count: 1)
        let prepared = try draft.prepare(for: queue.configuration, sequence: sequence, senderID: Self.senderID(context), at: clock.now())
        let outcome = try await enqueue([prepared], into: queue)[0]
        return .init(
            mD5OfMessageAttributes: prepared.message.md5OfAttributes,
            mD5OfMessageBody: prepared.message.md5OfBody,
            mD5OfMessageSystemAttributes: prepared.md5OfSystemAttributes,
            messageId: outcome.messageID,
            sequenceNumber: queue.configuration.fifo ? outcome.sequenceNumber : nil
        )
    }

    /// Stores up to ten messages; entries AWS refuses are reported in `Failed`, the others
    /// are durable when this returns.
    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessageBatch.html
    package func sendMessageBatch(
        _ input: SQSShapes.SendMessageBatchRequest,
        context: RequestContext
    ) async throws -> SQSShapes.SendMessageBatchResult {
        try Self.checkBatch(input.entries.map(\.id), entryName: "SendMessageBatchRequestEntry")
        let totalSize = input.entries.reduce(0) { total, entry in
            total + entry.messageBody.utf8.count
                + (entry.messageAttributes ?? [:]).reduce(0) { $0 + MessageAttribute($1.value).size(name: $1.key) }
        }
        guard totalSize <= Self.maximumBatchSize else { throw AWSError.batchRequestTooLong(totalSize, limit: Self.maximumBatchSize) }
        let key = try QueueName.key(fromURL: input.queueUrl)
        let (queue, firstSequence) = try await engine.reserve(key, count: input.entries.count)
        let sender = Self.senderID(context)
        let now = clock.now()
        var prepared: [(id: String, draft: MessageDraft.Prepared)] = []
        var failed: [SQSShapes.BatchResultErrorEntry] = []
        for (index, entry) in input.entries.enumerated() {
            let draft = MessageDraft(
                body: entry.messageBody,
                delaySeconds: entry.delaySeconds,
                attributes: (entry.messageAttributes ?? [:]).mapValues(MessageAttribute.init),
                systemAttributes: (entry.messageSystemAttributes ?? [:]).mapValues(MessageAttribute.init),
                groupID: entry.messageGroupId,
                deduplicationID: entry.messageDeduplicationId
            )
            do {
                prepared.append(
                    (entry.id, try draft.prepare(for: queue.configuration, sequence: firstSequence + Int64(index), senderID: sender, at: now))
                )
            } catch {
                failed.append(Self.failure(entry.id, error))
            }
        }
        let outcomes = try await enqueue(prepared.map(\.draft), into: queue)
        let successful = zip(prepared, outcomes).map { item, outcome in
            SQSShapes.SendMessageBatchResultEntry(
                id: item.id,
                mD5OfMessageAttributes: item.draft.message.md5OfAttributes,
                mD5OfMessageBody: item.draft.message.md5OfBody,
                mD5OfMessageSystemAttributes: item.draft.md5OfSystemAttributes,
                messageId: outcome.messageID,
                sequenceNumber: queue.configuration.fifo ? outcome.sequenceNumber : nil
            )
        }
        return .init(failed: failed, successful: successful)
    }

    /// The id and sequence a sender is told for each message.
    struct Enqueued: Sendable {
        var messageID: String
        var sequence: Int64

        /// FIFO's `SequenceNumber` (formatted only for FIFO answers).
        var sequenceNumber: String { QueuedMessage.sequenceNumber(sequence) }
    }

    /// Stores and publishes prepared messages: FIFO deduplication first, then one commit,
    /// then the messages become receivable.
    func enqueue(_ prepared: [MessageDraft.Prepared], into queue: QueueEngine.Snapshot) async throws -> [Enqueued] {
        guard !prepared.isEmpty else { return [] }
        let messages = prepared.map(\.message)
        guard queue.configuration.fifo else {
            try await commit([.insert(queue: queue.id, messages: messages, deduplication: [])])
            await engine.publish(messages, queue: queue.id)
            return messages.map { Enqueued(messageID: $0.messageID, sequence: $0.sequence) }
        }
        let keys = prepared.map { $0.deduplicationKey ?? "" }
        let now = clock.now()
        let admissions = try await engine.admit(messages, keys: keys, queue: queue.id, at: now)
        var accepted: [QueuedMessage] = []
        var acceptedKeys: [String] = []
        var outcomes: [Enqueued] = []
        for (index, admission) in admissions.enumerated() {
            switch admission {
            case .accepted:
                accepted.append(messages[index])
                acceptedKeys.append(keys[index])
                outcomes.append(Enqueued(messageID: messages[index].messageID, sequence: messages[index].sequence))
            case .duplicate(let original):
                outcomes.append(Enqueued(messageID: original.messageID, sequence: original.sequence))
            }
        }
        guard !accepted.isEmpty else { return outcomes }
        let deduplication = zip(accepted, acceptedKeys).map { message, key in
            (
                key: key,
                entry: DeduplicationWindow.Entry(
                    messageID: message.messageID,
                    sequence: message.sequence,
                    expiresAt: now + DeduplicationWindow.interval
                )
            )
        }
        do {
            try await commit([.insert(queue: queue.id, messages: accepted, deduplication: deduplication)])
        } catch {
            await engine.abandon(accepted, keys: acceptedKeys, queue: queue.id)
            throw error
        }
        await engine.publish(accepted, queue: queue.id)
        return outcomes
    }

    /// SendMessageBatch's limit on the sum of its messages' sizes.
    static let maximumBatchSize = 1_048_576

    /// The `SenderId` AWS reports: the caller's access key id, or the account id for the root.
    static func senderID(_ context: RequestContext) -> String {
        context.caller.principal == nil ? context.account.accountID : (context.caller.accessKeyID ?? context.account.accountID)
    }

    /// A batch's entry ids: 1–10 entries, distinct, each 1–80 alphanumeric, `-` or `_`.
    static func checkBatch(_ ids: [String], entryName: String) throws(AWSError) {
        guard !ids.isEmpty else { throw AWSError.emptyBatch(entryName) }
        guard ids.count <= 10 else { throw AWSError.tooManyEntries(ids.count) }
        var seen: Set<String> = []
        for id in ids {
            guard (1...80).contains(id.utf8.count), id.utf8.allSatisfy(QueueName.isNameByte) else { throw AWSError.invalidBatchEntryId(id) }
            guard seen.insert(id).inserted else { throw AWSError.batchEntryIdsNotDistinct(id) }
        }
    }

    /// A batch entry's failure as AWS reports it.
    static func failure(_ id: String, _ error: any Error) -> SQSShapes.BatchResultErrorEntry {
        let aws = error as? AWSError ?? AWSError.internalFailure()
        return .init(code: aws.queryCode ?? aws.code, id: id, message: aws.message, senderFault: aws.senderFault)
    }
}
