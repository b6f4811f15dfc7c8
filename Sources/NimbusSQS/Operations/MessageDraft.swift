import Crypto
import Foundation
import NimbusCore

/// A message as a sender gives it (SendMessage, a SendMessageBatch entry, a dispatched
/// event), checked against the queue's rules and turned into a `QueuedMessage`.
struct MessageDraft: Sendable {
    var body: String
    var delaySeconds: Int?
    var attributes: [String: MessageAttribute] = [:]
    var systemAttributes: [String: MessageAttribute] = [:]
    var groupID: String?
    var deduplicationID: String?

    /// The message to enqueue with its MD5 of system attributes and, for FIFO, its
    /// deduplication key.
    struct Prepared: Sendable {
        var message: QueuedMessage
        var md5OfSystemAttributes: String?
        var deduplicationKey: String?
    }

    /// Applies AWS's rules for `queue` and builds the message.
    /// - Throws: `InvalidMessageContents`, `InvalidParameterValue` or `MissingParameter` as AWS does.
    func prepare(for queue: QueueConfiguration, sequence: Int64, senderID: String, at now: Double) throws(AWSError) -> Prepared {
        guard !body.isEmpty else { throw AWSError.missingParameter("MessageBody") }
        if let bad = MessageBody.firstInvalidScalar(body) { throw AWSError.invalidMessageContents(MessageBody.invalidMessage(bad)) }
        let attributesSize = try MessageAttributeRules.validate(attributes)
        var traceHeader: String?
        for (name, attribute) in systemAttributes {
            guard name == "AWSTraceHeader" else {
                throw AWSError.invalidParameterValue("Message system attribute name '\(name)' is invalid.")
            }
            guard attribute.dataType == "String", let value = attribute.stringValue, !value.isEmpty else {
                throw AWSError.invalidParameterValue("Message system attribute AWSTraceHeader must be a non-empty String.")
            }
            traceHeader = value
        }
        let size = body.utf8.count + attributesSize
        guard size <= queue.maximumMessageSize else {
            throw AWSError.invalidParameterValue(
                "One or more parameters are invalid. Reason: Message must be shorter than \(queue.maximumMessageSize) bytes."
            )
        }
        if let delaySeconds {
            guard (0...900).contains(delaySeconds) else {
                throw AWSError.invalidParameter("DelaySeconds", value: "\(delaySeconds)", reason: "DelaySeconds must be >= 0 and <= 900")
            }
            guard !queue.fifo else {
                throw AWSError.invalidParameter(
                    "DelaySeconds",
                    value: "\(delaySeconds)",
                    reason: "The request include parameter that is not valid for this queue type"
                )
            }
        }
        if let groupID { try Self.validateTag(groupID, name: "MessageGroupId") }
        if let deduplicationID { try Self.validateTag(deduplicationID, name: "MessageDeduplicationId") }
        var deduplicationKey: String?
        if queue.fifo {
            guard let groupID else { throw AWSError.missingParameter("MessageGroupId") }
            let id: String
            if let deduplicationID {
                id = deduplicationID
            } else if queue.contentBasedDeduplication {
                id = Hex.encode(SHA256.hash(data: Array(body.utf8)))
            } else {
                throw AWSError.invalidParameterValue(
                    "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly"
                )
            }
            deduplicationKey = DeduplicationWindow.key(deduplicationID: id, groupID: groupID, scope: queue.deduplicationScope)
        } else if deduplicationID != nil {
            throw AWSError.invalidParameter(
                "MessageDeduplicationId",
                value: deduplicationID ?? "",
                reason: "The request include parameter that is not valid for this queue type"
            )
        }
        let delay = queue.fifo ? queue.delaySeconds : (delaySeconds ?? queue.delaySeconds)
        let contentDeduplicationID = queue.fifo && deduplicationID == nil ? Hex.encode(SHA256.hash(data: Array(body.utf8))) : deduplicationID
        let message = QueuedMessage(
            sequence: sequence,
            messageID: RequestID.make(),
            body: body,
            attributes: attributes,
            md5OfBody: MessageDigest.body(body),
            md5OfAttributes: MessageDigest.attributes(attributes),
            system: SystemFields(groupID: groupID, deduplicationID: contentDeduplicationID, senderID: senderID, traceHeader: traceHeader),
            sentAt: now,
            availableAt: now + Double(delay)
        )
        return Prepared(message: message, md5OfSystemAttributes: MessageDigest.attributes(systemAttributes), deduplicationKey: deduplicationKey)
    }

    /// Group and deduplication ids: 1–128 characters, alphanumeric or punctuation.
    static func validateTag(_ value: String, name: String) throws(AWSError) {
        let valid = (1...128).contains(value.utf8.count) && value.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7E }
        guard valid else {
            throw AWSError.invalidParameter(
                name,
                value: value,
                reason: "\(name) can only include alphanumeric and punctuation characters. 1 to 128 in length"
            )
        }
    }
}

/// The model's two attribute value shapes (message and system attributes) carry the same fields.
protocol AttributeValueShape {
    var dataType: String { get }
    var stringValue: String? { get }
    var binaryValue: Data? { get }
    var stringListValues: [String]? { get }
    var binaryListValues: [Data]? { get }
}

extension SQSShapes.MessageAttributeValue: AttributeValueShape {}
extension SQSShapes.MessageSystemAttributeValue: AttributeValueShape {}

extension MessageAttribute {
    init(_ shape: some AttributeValueShape) {
        self.init(
            dataType: shape.dataType,
            stringValue: shape.stringValue,
            binaryValue: shape.binaryValue.map { [UInt8]($0) },
            stringListValues: shape.stringListValues ?? [],
            binaryListValues: (shape.binaryListValues ?? []).map { [UInt8]($0) }
        )
    }

    var shape: SQSShapes.MessageAttributeValue {
        SQSShapes.MessageAttributeValue(
            binaryListValues: binaryListValues.isEmpty ? nil : binaryListValues.map { Data($0) },
            binaryValue: binaryValue.map { Data($0) },
            dataType: dataType,
            stringListValues: stringListValues.isEmpty ? nil : stringListValues,
            stringValue: stringValue
        )
    }
}
