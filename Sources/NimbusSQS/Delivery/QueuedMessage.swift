/// A message as a queue holds it: what was sent, and where it is in its delivery cycle.
struct QueuedMessage: Sendable, Hashable {
    /// The service-wide order of messages; also the row id and, padded, FIFO's `SequenceNumber`.
    let sequence: Int64
    let messageID: String
    let body: String
    let attributes: [String: MessageAttribute]
    let md5OfBody: String
    let md5OfAttributes: String?
    var system: SystemFields
    /// When it was sent (seconds since the epoch); retention counts from here, also in a DLQ.
    let sentAt: Double
    /// When it may first be received (`sentAt` plus its delay).
    var availableAt: Double
    var receiveCount = 0
    /// The receive that issued the current receipt handle; 0 before the first receive.
    var receipt: Int64 = 0
    /// When the current receive's visibility timeout ends.
    var visibleAt: Double = 0
    var receivedAt: Double = 0
    var firstReceivedAt: Double?

    /// Received and still within its visibility timeout.
    func isInFlight(at now: Double) -> Bool { receipt != 0 && visibleAt > now }

    /// Never received and still within its delay.
    func isDelayed(at now: Double) -> Bool { receipt == 0 && availableAt > now }

    func isVisible(at now: Double) -> Bool { !isInFlight(at: now) && !isDelayed(at: now) }

    /// When it next changes state by itself (end of delay or visibility), if it will.
    var nextChange: Double { receipt == 0 ? availableAt : visibleAt }
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
    var sequenceNumber: String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}
