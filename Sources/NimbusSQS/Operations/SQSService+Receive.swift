import Foundation
import NimbusCore
package import NimbusWire

extension SQSService {
    /// Receives up to `MaxNumberOfMessages` messages, long polling up to `WaitTimeSeconds`
    /// (or the queue's `ReceiveMessageWaitTimeSeconds`): it returns as soon as a message can
    /// be received, woken in-process by the send. The receive is durable when it returns.
    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ReceiveMessage.html
    package func receiveMessage(_ input: SQSShapes.ReceiveMessageRequest, context: RequestContext) async throws -> SQSShapes.ReceiveMessageResult {
        let maximum = input.maxNumberOfMessages ?? 1
        guard (1...10).contains(maximum) else {
            throw AWSError.invalidParameter("MaxNumberOfMessages", value: "\(maximum)", reason: "Must be between 1 and 10, if provided")
        }
        if let visibility = input.visibilityTimeout, !(0...43_200).contains(visibility) {
            throw AWSError.invalidParameter("VisibilityTimeout", value: "\(visibility)", reason: "Must be >= 0 and <= 43200, if provided")
        }
        if let wait = input.waitTimeSeconds, !(0...20).contains(wait) {
            throw AWSError.invalidParameter("WaitTimeSeconds", value: "\(wait)", reason: "Must be >= 0 and <= 20, if provided")
        }
        let queue = try await queue(url: input.queueUrl)
        let visibility = input.visibilityTimeout ?? queue.configuration.visibilityTimeout
        let wait = Double(input.waitTimeSeconds ?? queue.configuration.receiveMessageWaitTimeSeconds)
        let delivered = try await receive(queue, maximum: maximum, visibilityTimeout: visibility, wait: wait)
        let view = ReceivedView(
            systemNames: Set((input.attributeNames ?? []) + (input.messageSystemAttributeNames ?? [])),
            attributeNames: input.messageAttributeNames ?? []
        )
        let messages = delivered.map { message in
            view.shape(message, handle: signer.encode(ReceiptHandle(queue: queue.id, sequence: message.sequence, receipt: message.receipt)))
        }
        return .init(messages: messages.isEmpty ? nil : messages)
    }

    /// Receives from `queue`, waiting up to `wait` seconds for a message; durable on return.
    func receive(_ queue: QueueEngine.Snapshot, maximum: Int, visibilityTimeout: Int, wait: Double) async throws -> [QueuedMessage] {
        let deadline = clock.now() + wait
        while true {
            let now = clock.now()
            let received = try await engine.receive(
                queue.id,
                maximum: maximum,
                visibilityTimeout: visibilityTimeout,
                at: now,
                registerWaiter: now < deadline
            )
            try await commit(received.writes)
            guard let waiter = received.waiter else { return received.delivered }
            // Nothing yet: sleep until woken, the deadline, or the queue's next change.
            let until = min(deadline, received.nextChange.map { $0 + 0.001 } ?? deadline)
            await waiter.signal.wait(upTo: .nanoseconds(Int64(max(0, until - now) * 1_000_000_000)))
            await engine.endWait(waiter.id, queue: queue.id)
            if Task.isCancelled { return [] }
        }
    }
}

/// What a receiver asked to see of each message: which system attributes
/// (`MessageSystemAttributeNames`/`AttributeNames`) and which message attributes
/// (`MessageAttributeNames`: names, `All`, `.*` or `prefix.*`).
struct ReceivedView {
    var systemNames: Set<String>
    var attributeNames: [String]

    func shape(_ message: QueuedMessage, handle: String) -> SQSShapes.Message {
        let attributes = selectedAttributes(message.attributes)
        let system = systemAttributes(message)
        return SQSShapes.Message(
            attributes: system.isEmpty ? nil : system,
            body: message.body,
            mD5OfBody: message.md5OfBody,
            mD5OfMessageAttributes: attributes.count == message.attributes.count ? message.md5OfAttributes : MessageDigest.attributes(attributes),
            messageAttributes: attributes.isEmpty ? nil : attributes.mapValues(\.shape),
            messageId: message.messageID,
            receiptHandle: handle
        )
    }

    func selectedAttributes(_ attributes: [String: MessageAttribute]) -> [String: MessageAttribute] {
        guard !attributes.isEmpty, !attributeNames.isEmpty else { return [:] }
        if attributeNames.contains("All") || attributeNames.contains(".*") { return attributes }
        return attributes.filter { name, _ in
            attributeNames.contains { wanted in
                wanted.hasSuffix(".*") ? name.hasPrefix(String(wanted.dropLast(1))) : wanted == name
            }
        }
    }

    func systemAttributes(_ message: QueuedMessage) -> [String: String] {
        guard !systemNames.isEmpty else { return [:] }
        var all: [String: String] = [
            "SenderId": message.system.senderID,
            "SentTimestamp": "\(Int64(message.sentAt * 1000))",
            "ApproximateReceiveCount": "\(message.receiveCount)",
            "ApproximateFirstReceiveTimestamp": "\(Int64((message.firstReceivedAt ?? message.receivedAt) * 1000))",
        ]
        if let group = message.system.groupID { all["MessageGroupId"] = group }
        if let id = message.system.deduplicationID {
            all["MessageDeduplicationId"] = id
            all["SequenceNumber"] = message.sequenceNumber
        }
        if let trace = message.system.traceHeader { all["AWSTraceHeader"] = trace }
        if let source = message.system.deadLetterSourceArn { all["DeadLetterQueueSourceArn"] = source }
        return systemNames.contains("All") ? all : all.filter { systemNames.contains($0.key) }
    }
}
