import Crypto
import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

extension SNSService {
    /// AWS's limit on a message with its attributes, and on a whole PublishBatch request.
    static let maximumMessageSize = 262_144
    static let maximumBatchEntries = 10
    /// FIFO deduplication window.
    static let deduplicationWindow: Double = 300

    /// One message to publish, before validation (a Publish call or a PublishBatch entry).
    struct Draft {
        init(
            message: String,
            subject: String? = nil,
            structure: String? = nil,
            attributes: [String: SNSShapes.MessageAttributeValue]? = nil,
            groupID: String? = nil,
            deduplicationID: String? = nil
        ) {
            self.message = message
            self.subject = subject
            self.structure = structure
            self.attributes = attributes
            self.groupID = groupID
            self.deduplicationID = deduplicationID
        }

        var message: String
        var subject: String?
        var structure: String?
        var attributes: [String: SNSShapes.MessageAttributeValue]?
        var groupID: String?
        var deduplicationID: String?
    }

    /// Publishes to a topic; returns once the message and its pending deliveries are durable.
    /// See https://docs.aws.amazon.com/sns/latest/api/API_Publish.html
    package func publish(_ input: SNSShapes.PublishInput, context: RequestContext) async throws -> SNSShapes.PublishResponse {
        let topic = try await existingTopic(try Self.target(input), member: input.topicArn == nil ? "TargetArn" : "TopicArn")
        let draft = Draft(
            message: input.message,
            subject: input.subject,
            structure: input.messageStructure,
            attributes: input.messageAttributes,
            groupID: input.messageGroupId,
            deduplicationID: input.messageDeduplicationId
        )
        let subscriptions = try await store.subscriptions(topicARN: topic.arn)
        let publication = try prepare(draft, topic: topic, subscriptions: subscriptions, baseURL: baseURL(context))
        // A standard topic's message that no subscription takes leaves nothing to write.
        if !publication.fifo && publication.deliveries.isEmpty { return .init(messageId: publication.message.id) }
        let published = try await publisher.submit([publication])[0]
        return .init(messageId: published.messageID, sequenceNumber: published.sequenceNumber)
    }

    /// Publishes up to ten messages; entries that fail validation are reported in `Failed`, the
    /// others are written together in one transaction.
    /// See https://docs.aws.amazon.com/sns/latest/api/API_PublishBatch.html
    package func publishBatch(_ input: SNSShapes.PublishBatchInput, context: RequestContext) async throws -> SNSShapes.PublishBatchResponse {
        let entries = input.publishBatchRequestEntries
        guard !entries.isEmpty else { throw AWSError.emptyBatch() }
        guard entries.count <= Self.maximumBatchEntries else { throw AWSError.tooManyEntriesInBatch() }
        guard Set(entries.map(\.id)).count == entries.count else { throw AWSError.batchEntryIdsNotDistinct() }
        for entry in entries where !Self.isValidBatchID(entry.id) { throw AWSError.invalidBatchEntryId() }
        let total = entries.reduce(0) { sum, entry in
            sum + entry.message.utf8.count
                + (entry.messageAttributes ?? [:]).reduce(0) {
                    $0 + $1.key.utf8.count + $1.value.dataType.utf8.count + ($1.value.stringValue?.utf8.count ?? $1.value.binaryValue?.count ?? 0)
                }
        }
        guard total <= Self.maximumMessageSize else { throw AWSError.batchRequestTooLong() }
        let topic = try await existingTopic(input.topicArn)
        let subscriptions = try await store.subscriptions(topicARN: topic.arn)
        let base = baseURL(context)
        var failed: [SNSShapes.BatchResultErrorEntry] = []
        var accepted: [(id: String, publication: SNSStore.Publication)] = []
        for entry in entries {
            let draft = Draft(
                message: entry.message,
                subject: entry.subject,
                structure: entry.messageStructure,
                attributes: entry.messageAttributes,
                groupID: entry.messageGroupId,
                deduplicationID: entry.messageDeduplicationId
            )
            do {
                accepted.append((entry.id, try prepare(draft, topic: topic, subscriptions: subscriptions, baseURL: base)))
            } catch {
                failed.append(.init(code: error.code, id: entry.id, message: error.message, senderFault: error.senderFault))
            }
        }
        var successful: [SNSShapes.PublishBatchResultEntry] = []
        if !accepted.isEmpty {
            let outcomes = try await publisher.submit(accepted.map(\.publication))
            for (index, outcome) in outcomes.enumerated() {
                successful.append(.init(id: accepted[index].id, messageId: outcome.messageID, sequenceNumber: outcome.sequenceNumber))
            }
        }
        return .init(failed: failed, successful: successful)
    }

    /// The topic a Publish addresses: `TopicArn`, or a topic `TargetArn`; SMS and push endpoints are refused.
    static func target(_ input: SNSShapes.PublishInput) throws(AWSError) -> String {
        if let topic = input.topicArn { return topic }
        if let target = input.targetArn {
            guard let arn = ARN(target), arn.service == "sns" else { throw AWSError.invalidParameter("TargetArn") }
            guard !arn.resource.hasPrefix("endpoint/") else {
                throw AWSError.invalidParameter("TargetArn Reason: Nimbus does not deliver to mobile push endpoints")
            }
            return target
        }
        if input.phoneNumber != nil {
            throw AWSError.invalidParameter("PhoneNumber Reason: Nimbus does not send SMS messages")
        }
        throw AWSError.invalidParameter("TopicArn or TargetArn Reason: no value for required parameter")
    }

    static func isValidBatchID(_ id: String) -> Bool {
        !id.isEmpty && id.utf8.count <= 80
            && id.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                    || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
            }
    }

    /// Validates a draft against the topic and picks the subscriptions whose filter accepts it.
    func prepare(_ draft: Draft, topic: Topic, subscriptions: [Subscription], baseURL: String) throws(AWSError) -> SNSStore.Publication {
        guard !draft.message.isEmpty else { throw AWSError.invalidParameter("Empty message") }
        if let subject = draft.subject {
            guard !subject.isEmpty, subject.count <= 100, subject.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw AWSError.invalidParameter("Subject")
            }
        }
        let attributes = try MessageAttribute.validated(draft.attributes)
        let size = draft.message.utf8.count + attributes.reduce(0) { $0 + $1.value.size(name: $1.key) }
        guard size <= Self.maximumMessageSize else {
            throw AWSError.invalidParameter("Message too long")
        }
        var perProtocol: [String: String] = [:]
        var defaultMessage = draft.message
        if let structure = draft.structure {
            guard structure == "json" else { throw AWSError.invalidParameter("MessageStructure") }
            guard let object = DeliveryPolicy.object(draft.message) else {
                throw AWSError.invalidParameter("Message Structure - JSON message body failed to parse")
            }
            for (key, value) in object {
                guard case .string(let text) = value else {
                    throw AWSError.invalidParameter("Message Structure - JSON message body failed to parse")
                }
                perProtocol[key] = text
            }
            guard let fallback = perProtocol.removeValue(forKey: "default") else {
                throw AWSError.invalidParameter("Message Structure - No default entry in JSON message body")
            }
            defaultMessage = fallback
        }
        var deduplicationID = draft.deduplicationID
        if topic.fifo {
            guard let group = draft.groupID, !group.isEmpty else {
                throw AWSError.invalidParameter("The MessageGroupId parameter is required for FIFO topics")
            }
            try Self.validateFIFOIdentifier(group, member: "MessageGroupId")
            if let given = deduplicationID {
                try Self.validateFIFOIdentifier(given, member: "MessageDeduplicationId")
            } else {
                guard topic.contentBasedDeduplication else {
                    throw AWSError.invalidParameter(
                        "The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
                    )
                }
                deduplicationID = Hex.encode(SHA256.hash(data: Array(draft.message.utf8)))
            }
        } else if draft.deduplicationID != nil {
            throw AWSError.invalidParameter(
                "MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type"
            )
        } else if let group = draft.groupID {
            try Self.validateFIFOIdentifier(group, member: "MessageGroupId")
        }
        var message = StoredMessage(
            id: RequestID.make(),
            kind: .notification,
            topicARN: topic.arn,
            subject: draft.subject,
            message: defaultMessage,
            timestamp: clock.now(),
            baseURL: baseURL,
            signatureVersion: topic.signatureVersion
        )
        message.perProtocol = perProtocol
        message.attributes = attributes
        message.groupID = draft.groupID
        message.deduplicationID = deduplicationID
        let deliveries = subscriptions.filter { subscription in
            subscription.confirmed && subscription.accepts(attributes: attributes, body: message.message(for: subscription.protocol))
        }.map { subscription in
            (subscriptionARN: subscription.arn, orderKey: topic.fifo ? subscription.arn + "|" + (draft.groupID ?? "") : String?.none)
        }
        return SNSStore.Publication(
            message: message,
            deliveries: deliveries,
            fifo: topic.fifo,
            deduplicationID: deduplicationID,
            deduplicationWindow: Self.deduplicationWindow
        )
    }

    /// Group and deduplication ids: 1–128 characters of `a-zA-Z0-9` and punctuation.
    static func validateFIFOIdentifier(_ value: String, member: String) throws(AWSError) {
        guard !value.isEmpty, value.utf8.count <= 128, value.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7E }) else {
            throw AWSError.invalidParameter(
                "\(member) Reason: \(member) can only include alphanumeric and punctuation characters. 1 to 128 in length."
            )
        }
    }
}
