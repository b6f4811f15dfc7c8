/// One queue's messages and their delivery cycle, as a pure value: every method takes the
/// time, nothing here reads a clock or does I/O, so the visibility, delay, retention,
/// redrive and FIFO rules are tested by calling methods under chosen times.
///
/// Standard queues hand out visible messages oldest first (best-effort order, as AWS).
/// FIFO queues hand out each message group strictly in order, and not at all while one of
/// the group's messages is in flight.
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-visibility-timeout.html
struct QueueState: Sendable {
    let fifo: Bool
    private(set) var messages = MessageTable()
    /// Standard queues: sequences that may be visible (checked when taken).
    private var ready = MinHeap<Int64>()
    /// Ends of delays and visibility timeouts.
    private var timers = MinHeap<Timer>()
    /// Send times, for retention.
    private var bySendTime = MinHeap<SendTime>()
    /// FIFO queues: each group's sequences, in order.
    private var groups: [String: [Int64]] = [:]
    /// FIFO queues: messages admitted but not yet durable; their group waits for them.
    private var uncommitted: Set<Int64> = []
    /// Messages in flight as last counted plus those received since: an over-estimate until the
    /// next count, kept only while the queue is large enough to reach the in-flight limit.
    private var inFlightEstimate = 0
    private var inFlightCountedAt = -Double.infinity

    struct Timer: Comparable, Sendable {
        var due: Double
        var sequence: Int64
        var receipt: Int64

        static func < (lhs: Timer, rhs: Timer) -> Bool { (lhs.due, lhs.sequence) < (rhs.due, rhs.sequence) }
    }

    struct SendTime: Comparable, Sendable {
        var sentAt: Double
        var sequence: Int64

        static func < (lhs: SendTime, rhs: SendTime) -> Bool { (lhs.sentAt, lhs.sequence) < (rhs.sentAt, rhs.sequence) }
    }

    /// What a receive did: the messages delivered (with their new receipts) and the ones that
    /// exceeded the redrive policy's receive count instead (removed, for the dead-letter queue).
    struct Receive: Sendable {
        var delivered: [QueuedMessage] = []
        var deadLettered: [QueuedMessage] = []
        /// Nothing was received because `inFlightLimit` messages are in flight.
        var overLimit = false
    }

    enum Deletion: Equatable, Sendable {
        /// Removed.
        case deleted
        /// The handle is older than the message's latest receive: AWS answers success and keeps the message.
        case stale
        /// Already gone (deleted, expired, purged or moved): AWS answers success.
        case gone
    }

    enum VisibilityChange: Equatable, Sendable {
        case changed
        /// The message is gone or received again since this handle was issued.
        case expired
        /// The message is not in flight (its visibility timeout ended).
        case notInFlight
        /// The new timeout would keep it invisible more than 12 hours after its receive.
        case beyondMaximum
    }

    static let maximumVisibility: Double = 43_200
    /// AWS's quota of messages in flight per queue (standard and FIFO).
    static let inFlightLimit = 120_000

    init(fifo: Bool) {
        self.fifo = fifo
    }

    var isEmpty: Bool { messages.isEmpty }

    /// Adds a message. A FIFO message added uncommitted holds back its group (and is not
    /// counted) until `commit` or `abandon`.
    mutating func add(_ message: QueuedMessage, committed: Bool = true) {
        messages[message.sequence] = message
        bySendTime.push(SendTime(sentAt: message.sentAt, sequence: message.sequence))
        // A delayed or received message becomes receivable by its timer; any other at once.
        let waits = message.receipt != 0 || message.availableAt > message.sentAt
        if waits { timers.push(Timer(due: message.nextChange, sequence: message.sequence, receipt: message.receipt)) }
        if fifo {
            // Changed in place (a copy of a long group per message would be quadratic).
            let group = message.system.groupID ?? ""
            if let last = groups[group]?.last, last > message.sequence, let index = groups[group]!.firstIndex(where: { $0 > message.sequence }) {
                groups[group]!.insert(message.sequence, at: index)
            } else {
                groups[group, default: []].append(message.sequence)
            }
            if !committed { uncommitted.insert(message.sequence) }
        } else if !waits {
            ready.push(message.sequence)
        }
    }

    /// The admitted FIFO message is durable: its group may deliver it.
    mutating func commit(_ sequence: Int64) {
        uncommitted.remove(sequence)
    }

    /// The admitted FIFO message could not be stored: forget it.
    mutating func abandon(_ sequence: Int64) {
        uncommitted.remove(sequence)
        _ = remove(sequence)
    }

    /// Removes a message wherever it is in its cycle.
    @discardableResult
    mutating func remove(_ sequence: Int64) -> QueuedMessage? {
        guard let message = messages.removeValue(forKey: sequence) else { return nil }
        if fifo {
            let group = message.system.groupID ?? ""
            if let index = groups[group]?.firstIndex(of: sequence) { groups[group]!.remove(at: index) }
            if groups[group]?.isEmpty == true { groups[group] = nil }
        }
        return message
    }

    /// Applies the passage of time: messages whose delay or visibility timeout ended become
    /// receivable; messages older than `retention` seconds are dropped.
    /// - Returns: the messages dropped for retention.
    mutating func advance(to now: Double, retention: Double) -> [QueuedMessage] {
        while let timer = timers.min, timer.due <= now {
            timers.popMin()
            guard !fifo, let message = messages[timer.sequence], message.receipt == timer.receipt, message.nextChange == timer.due else { continue }
            ready.push(timer.sequence)
        }
        var expired: [QueuedMessage] = []
        while let oldest = bySendTime.min, oldest.sentAt + retention <= now {
            bySendTime.popMin()
            guard !uncommitted.contains(oldest.sequence), let message = remove(oldest.sequence) else { continue }
            expired.append(message)
        }
        return expired
    }

    /// When the next delay or visibility timeout ends, if one will: a long poll waits at most until then.
    var nextChange: Double? { timers.min?.due }

    /// Receives up to `maximum` messages: each gets a new receipt from `receipts` and stays
    /// invisible for `visibilityTimeout` seconds. With `maxReceiveCount`, a message already
    /// received that many times is not delivered but removed into `deadLettered`. No more than
    /// `inFlightLimit` messages are in flight at once.
    mutating func receive(
        maximum: Int,
        visibilityTimeout: Double,
        at now: Double,
        maxReceiveCount: Int?,
        receipts: inout Int64,
        inFlightLimit: Int = Self.inFlightLimit
    ) -> Receive {
        var result = Receive()
        var maximum = maximum
        // Only a queue holding that many messages can reach the limit. Counting them is O(n), so
        // count at most once a second and add what is received in between.
        if messages.count >= inFlightLimit {
            if now - inFlightCountedAt >= 1 {
                inFlightEstimate = counts(at: now).inFlight
                inFlightCountedAt = now
            }
            maximum = min(maximum, inFlightLimit - inFlightEstimate)
            guard maximum > 0 else {
                result.overLimit = true
                return result
            }
        }
        defer { inFlightEstimate += result.delivered.count }
        func take(_ sequence: Int64) {
            guard var message = messages[sequence] else { return }
            if let limit = maxReceiveCount, message.receiveCount >= limit {
                result.deadLettered.append(remove(sequence)!)
                return
            }
            receipts += 1
            message.receiveCount += 1
            message.receipt = receipts
            message.receivedAt = now
            message.visibleAt = now + visibilityTimeout
            if message.firstReceivedAt == nil { message.firstReceivedAt = now }
            messages[sequence] = message
            timers.push(Timer(due: message.visibleAt, sequence: sequence, receipt: message.receipt))
            result.delivered.append(message)
        }
        if fifo {
            for sequence in fifoCandidates(maximum: maximum, at: now) {
                take(sequence)
            }
        } else {
            // A message not visible when taken (in flight, or deleted) is skipped: its timer, if
            // any, puts it back when it becomes visible.
            while result.delivered.count < maximum, let sequence = ready.popMin() {
                guard let message = messages[sequence], message.isVisible(at: now) else { continue }
                guard !result.delivered.contains(where: { $0.sequence == sequence }) else { continue }
                take(sequence)
            }
        }
        return result
    }

    /// FIFO: the messages a receive may take, in order: groups by their oldest message, each
    /// group only when none of its messages is in flight, each group's messages from its head
    /// until one is not receivable yet. Dead-lettered heads count toward nothing.
    private func fifoCandidates(maximum: Int, at now: Double) -> [Int64] {
        var picked: [Int64] = []
        let ordered = groups.values.compactMap { sequences in sequences.first.map { ($0, sequences) } }.sorted { $0.0 < $1.0 }
        for (_, sequences) in ordered {
            guard picked.count < maximum else { break }
            // A group is received from its head, at most ten at a time, and not again while one
            // is in flight: messages in flight can only be among its first ten.
            guard !sequences.prefix(10).contains(where: { messages[$0]?.isInFlight(at: now) == true }) else { continue }
            for sequence in sequences {
                guard picked.count < maximum, !uncommitted.contains(sequence), let message = messages[sequence], message.isVisible(at: now) else {
                    break
                }
                picked.append(sequence)
            }
        }
        return picked
    }

    /// Deletes the message a receipt names, as DeleteMessage does.
    mutating func delete(sequence: Int64, receipt: Int64) -> Deletion {
        guard let message = messages[sequence] else { return .gone }
        guard message.receipt == receipt else { return .stale }
        remove(sequence)
        return .deleted
    }

    /// Sets the visibility timeout of the in-flight message a receipt names to `timeout`
    /// seconds from `now`, as ChangeMessageVisibility does.
    mutating func changeVisibility(sequence: Int64, receipt: Int64, timeout: Double, at now: Double) -> VisibilityChange {
        guard var message = messages[sequence], message.receipt == receipt else { return .expired }
        guard message.isInFlight(at: now) else { return .notInFlight }
        guard now + timeout - message.receivedAt <= Self.maximumVisibility else { return .beyondMaximum }
        message.visibleAt = now + timeout
        messages[sequence] = message
        if timeout == 0, !fifo {
            ready.push(sequence)
        } else {
            timers.push(Timer(due: message.visibleAt, sequence: sequence, receipt: receipt))
        }
        return .changed
    }

    /// Removes every durable message (PurgeQueue); messages still being stored stay.
    mutating func purge() -> [QueuedMessage] {
        let purged = messages.values.filter { !uncommitted.contains($0.sequence) }
        let kept = messages.values.filter { uncommitted.contains($0.sequence) }
        self = QueueState(fifo: fifo)
        for message in kept { add(message, committed: false) }
        return purged.sorted { $0.sequence < $1.sequence }
    }

    /// The number of messages visible, in flight and delayed at `now` (exact on one node).
    func counts(at now: Double) -> (visible: Int, inFlight: Int, delayed: Int) {
        var visible = 0
        var inFlight = 0
        var delayed = 0
        for message in messages.values where !uncommitted.contains(message.sequence) {
            if message.isInFlight(at: now) {
                inFlight += 1
            } else if message.isDelayed(at: now) {
                delayed += 1
            } else {
                visible += 1
            }
        }
        return (visible, inFlight, delayed)
    }

    /// Messages for a move task: up to `maximum` visible ones, oldest first, removed.
    mutating func takeVisible(maximum: Int, at now: Double) -> [QueuedMessage] {
        let chosen = messages.values.filter { $0.isVisible(at: now) && !uncommitted.contains($0.sequence) }
            .sorted { $0.sequence < $1.sequence }.prefix(maximum)
        return chosen.compactMap { remove($0.sequence) }
    }
}
