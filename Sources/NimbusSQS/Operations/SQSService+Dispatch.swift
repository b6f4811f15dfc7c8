package import NimbusCore
import NimbusWire

/// Other services (Lambda destinations and DLQs, SNS fan-out, EventBridge targets) send to
/// queues through the dispatcher: the event's payload becomes the message body; for FIFO
/// queues the attributes `MessageGroupId` and `MessageDeduplicationId` give those ids.
extension SQSService: DispatchHandler {
    package func handle(_ event: DispatchEvent, for target: ARN) async throws -> DispatchReply {
        guard let key = QueueName.key(fromARN: target.description) else { throw AWSError.queueDoesNotExist }
        guard let body = String(validating: event.payload, as: UTF8.self) else {
            throw AWSError.invalidMessageContents("The message body is not valid UTF-8.")
        }
        var draft = MessageDraft(
            body: body,
            groupID: event.attributes["MessageGroupId"],
            deduplicationID: event.attributes["MessageDeduplicationId"]
        )
        if let attributes = event.attributes[DispatchEvent.messageAttributesKey] { draft.attributes = try Self.messageAttributes(attributes) }
        let (queue, sequence) = try await engine.reserve(key, count: 1)
        let sender = event.source?.account ?? key.account
        let prepared = try draft.prepare(
            for: queue.configuration,
            sequence: sequence,
            senderID: sender.isEmpty ? key.account : sender,
            at: clock.now()
        )
        let outcome = try await enqueue([prepared], into: queue)[0]
        return DispatchReply(payload: JSONWriter.encode(.object(["MessageId": .string(outcome.messageID)])))
    }

    /// Message attributes a sender passed as `{"name": {"DataType", "StringValue" | "BinaryValue" (base64)}}`.
    static func messageAttributes(_ json: String) throws(AWSError) -> [String: MessageAttribute] {
        guard case .object(let members)? = try? JSONParser.parse(Array(json.utf8)) else {
            throw AWSError.invalidParameterValue("The message attributes are not a JSON object.")
        }
        var attributes: [String: MessageAttribute] = [:]
        for (name, value) in members {
            guard case .object(let fields) = value, case .string(let type)? = fields["DataType"] else {
                throw AWSError.invalidParameterValue("The message attribute '\(name)' has no DataType.")
            }
            var attribute = MessageAttribute(dataType: type)
            if case .string(let text)? = fields["StringValue"] { attribute.stringValue = text }
            if case .string(let encoded)? = fields["BinaryValue"] { attribute.binaryValue = Base64.decode(encoded) }
            attributes[name] = attribute
        }
        return attributes
    }
}
