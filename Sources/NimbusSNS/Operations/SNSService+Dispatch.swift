package import NimbusCore
import NimbusStore
import NimbusWire

extension SNSService: DispatchHandler {
    /// Publishes an event addressed to a topic ARN (Lambda destinations and DLQs, EventBridge
    /// targets): the payload is the message; the attributes `Subject`, `MessageGroupId` and
    /// `MessageDeduplicationId` are used when present. Replies `{"MessageId": …}`.
    /// - Throws: AWS's `NotFound` when the topic does not exist; the Publish errors otherwise.
    package func handle(_ event: DispatchEvent, for target: ARN) async throws -> DispatchReply {
        let topic = try await existingTopic(target.description)
        guard let text = String(validating: event.payload, as: UTF8.self) else {
            throw AWSError.invalidParameter("Message Reason: the message must be UTF-8 text")
        }
        var draft = Draft(message: text)
        draft.subject = event.attributes["Subject"]
        draft.groupID = event.attributes["MessageGroupId"]
        draft.deduplicationID = event.attributes["MessageDeduplicationId"]
        let subscriptions = try await store.subscriptions(topicARN: topic.arn)
        let publication = try prepare(draft, topic: topic, subscriptions: subscriptions, baseURL: baseURL(nil))
        let published = try await publisher.submit([publication])[0]
        var reply: [String: JSONValue] = ["MessageId": .string(published.messageID)]
        if let sequence = published.sequenceNumber { reply["SequenceNumber"] = .string(sequence) }
        return DispatchReply(payload: JSONWriter.encode(.object(reply)))
    }
}
