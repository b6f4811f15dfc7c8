/// A message as a queue holds it: what was sent, and where it is in its delivery cycle.
///
/// A message is copied at every step (into the queue, a receive's answer, a store write), so
/// what was sent lives in one shared immutable `Content`: a copy costs one reference count,
/// not one per string, and the queue's table of messages stays small.
struct QueuedMessage: Sendable, Hashable {
    /// The service-wide order of messages; also the row id and, padded, FIFO's `SequenceNumber`.
    let sequence: Int64
    private var content: Content
    /// When it may first be received (`sentAt` plus its delay).
    var availableAt: Double
    var receiveCount = 0
    /// The receive that issued the current receipt handle; 0 before the first receive.
    var receipt: Int64 = 0
    /// When the current receive's visibility timeout ends.
    var visibleAt: Double = 0
    var receivedAt: Double = 0
    var firstReceivedAt: Double?

    init(
        sequence: Int64,
        messageID: String,
        body: String,
        attributes: [String: MessageAttribute],
        md5OfBody: String,
        md5OfAttributes: String?,
        system: SystemFields,
        sentAt: Double,
        availableAt: Double
    ) {
        self.sequence = sequence
        self.content = Content(
            messageID: messageID,
            body: body,
            attributes: attributes,
            md5OfBody: md5OfBody,
            md5OfAttributes: md5OfAttributes,
            system: system,
            sentAt: sentAt
        )
        self.availableAt = availableAt
    }

    var messageID: String { content.messageID }
    var body: String { content.body }
    var attributes: [String: MessageAttribute] { content.attributes }
    var md5OfBody: String { content.md5OfBody }
    var md5OfAttributes: String? { content.md5OfAttributes }
    /// When it was sent (seconds since the epoch); retention counts from here, also in a DLQ.
    var sentAt: Double { content.sentAt }

    /// Changed only when a message moves between queues; the change gets its own `Content`.
    var system: SystemFields {
        get { content.system }
        set { content = content.with(system: newValue) }
    }

    /// Received and still within its visibility timeout.
    func isInFlight(at now: Double) -> Bool { receipt != 0 && visibleAt > now }

    /// Never received and still within its delay.
    func isDelayed(at now: Double) -> Bool { receipt == 0 && availableAt > now }

    func isVisible(at now: Double) -> Bool { !isInFlight(at: now) && !isDelayed(at: now) }

    /// When it next changes state by itself (end of delay or visibility), if it will.
    var nextChange: Double { receipt == 0 ? availableAt : visibleAt }
}

extension QueuedMessage {
    /// What was sent: never changed once made, so every copy of a message shares it.
    private final class Content: Sendable, Hashable {
        let messageID: String
        let body: String
        let attributes: [String: MessageAttribute]
        let md5OfBody: String
        let md5OfAttributes: String?
        let system: SystemFields
        let sentAt: Double

        init(
            messageID: String,
            body: String,
            attributes: [String: MessageAttribute],
            md5OfBody: String,
            md5OfAttributes: String?,
            system: SystemFields,
            sentAt: Double
        ) {
            self.messageID = messageID
            self.body = body
            self.attributes = attributes
            self.md5OfBody = md5OfBody
            self.md5OfAttributes = md5OfAttributes
            self.system = system
            self.sentAt = sentAt
        }

        func with(system: SystemFields) -> Content {
            Content(
                messageID: messageID,
                body: body,
                attributes: attributes,
                md5OfBody: md5OfBody,
                md5OfAttributes: md5OfAttributes,
                system: system,
                sentAt: sentAt
            )
        }

        static func == (lhs: Content, rhs: Content) -> Bool {
            lhs === rhs
                || (lhs.messageID == rhs.messageID && lhs.body == rhs.body && lhs.attributes == rhs.attributes
                    && lhs.md5OfBody == rhs.md5OfBody && lhs.md5OfAttributes == rhs.md5OfAttributes && lhs.system == rhs.system
                    && lhs.sentAt == rhs.sentAt)
        }

        func hash(into hasher: inout Hasher) {
            hasher.combine(messageID)
            hasher.combine(body)
            hasher.combine(attributes)
            hasher.combine(md5OfBody)
            hasher.combine(md5OfAttributes)
            hasher.combine(system)
            hasher.combine(sentAt)
        }
    }
}

/// The system attributes a message carries besides its body and user attributes.
struct SystemFields: Sendable, Hashable {
    var groupID: String?
    var deduplicationID: String?
    var senderID: String
    /// `AWSTraceHeader`, the only system attribute a sender may set.
    var traceHeader: String?
    var deadLetterSourceArn: String?

    init(groupID: String? = nil, deduplicationID: String? = nil, senderID: String, traceHeader: String? = nil, deadLetterSourceArn: String? = nil) {
        self.groupID = groupID
        self.deduplicationID = deduplicationID
        self.senderID = senderID
        self.traceHeader = traceHeader
        self.deadLetterSourceArn = deadLetterSourceArn
    }
}

extension QueuedMessage {
    /// FIFO's `SequenceNumber`: the message's order, as 20 digits like AWS's.
    var sequenceNumber: String { Self.sequenceNumber(sequence) }

    /// `sequence` as 20 digits, like AWS's FIFO sequence numbers.
    static func sequenceNumber(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
