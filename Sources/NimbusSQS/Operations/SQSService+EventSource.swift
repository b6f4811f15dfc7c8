package import NimbusCore
import NimbusWire

/// SQS as an event source of Lambda's event source mappings: a poll is a `ReceiveMessage`
/// with the queue's visibility timeout, and each message becomes the record AWS passes a
/// function (`{"messageId", "receiptHandle", "body", "attributes", "messageAttributes",
/// "md5OfBody", "eventSource": "aws:sqs", "eventSourceARN", "awsRegion"}`); acknowledging is
/// deleting. Messages a function fails stay in the queue and reappear after the visibility
/// timeout, so the queue's redrive policy moves them to its dead-letter queue in the end.
extension SQSService: EventSource {
    package func poll(_ source: ARN, maximum: Int, wait: Duration) async throws -> [SourceRecord] {
        guard let queue = await engine.snapshot(arn: source.description) else { throw AWSError.queueDoesNotExist }
        let seconds = Double(wait.components.seconds) + Double(wait.components.attoseconds) / 1e18
        let delivered = try await receive(
            queue,
            maximum: min(max(maximum, 1), 10),
            visibilityTimeout: queue.configuration.visibilityTimeout,
            wait: min(seconds, 20)
        )
        let view = ReceivedView(systemNames: ["All"], attributeNames: ["All"])
        return delivered.map { message in
            let handle = signer.encode(ReceiptHandle(queue: queue.id, sequence: message.sequence, receipt: message.receipt))
            let attributes: [String: JSONValue] = message.attributes.mapValues { attribute in
                var fields: [String: JSONValue] = [
                    "dataType": .string(attribute.dataType),
                    "stringListValues": .array(attribute.stringListValues.map { .string($0) }),
                    "binaryListValues": .array(attribute.binaryListValues.map { .string(Base64.encode($0)) }),
                ]
                if let text = attribute.stringValue { fields["stringValue"] = .string(text) }
                if let bytes = attribute.binaryValue { fields["binaryValue"] = .string(Base64.encode(bytes)) }
                return .object(fields)
            }
            var record: [String: JSONValue] = [
                "messageId": .string(message.messageID),
                "receiptHandle": .string(handle),
                "body": .string(message.body),
                "attributes": .object(view.systemAttributes(message).mapValues { .string($0) }),
                "messageAttributes": .object(attributes),
                "md5OfBody": .string(message.md5OfBody),
                "eventSource": .string("aws:sqs"),
                "eventSourceARN": .string(queue.arn),
                "awsRegion": .string(account.region),
            ]
            if let digest = message.md5OfAttributes { record["md5OfMessageAttributes"] = .string(digest) }
            return SourceRecord(id: message.messageID, receipt: handle, json: JSONWriter.encode(.object(record)))
        }
    }

    package func acknowledge(_ source: ARN, receipts: [String]) async throws {
        guard let queue = await engine.snapshot(arn: source.description) else { throw AWSError.queueDoesNotExist }
        var writes: [MessageWrite] = []
        for receipt in receipts {
            guard let handle = try? handle(receipt, of: queue) else { continue }
            if let deleted = try? await engine.delete(handle) { writes += deleted.1 }
        }
        try await commit(writes)
    }
}
