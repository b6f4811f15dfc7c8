/// FIFO deduplication: a message whose deduplication key was sent in the last five minutes
/// is accepted but not enqueued again; the caller gets the first message's id and sequence.
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/using-messagededuplicationid-property.html
struct DeduplicationWindow: Sendable {
    static let interval: Double = 300

    struct Entry: Hashable, Sendable {
        var messageID: String
        var sequence: Int64
        var expiresAt: Double
    }

    private struct Expiry: Comparable, Sendable {
        var at: Double
        var key: String

        static func < (lhs: Expiry, rhs: Expiry) -> Bool { (lhs.at, lhs.key) < (rhs.at, rhs.key) }
    }

    private var entries: [String: Entry] = [:]
    private var expiries = MinHeap<Expiry>()

    init() {}

    /// The key of a message: its deduplication id, within its group when the scope is `messageGroup`.
    static func key(deduplicationID: String, groupID: String, scope: String) -> String {
        scope == "messageGroup" ? groupID + "\u{1F}" + deduplicationID : deduplicationID
    }

    /// The message first sent with `key`, if that was less than five minutes before `now`.
    func original(for key: String, at now: Double) -> Entry? {
        guard let entry = entries[key], entry.expiresAt > now else { return nil }
        return entry
    }

    /// Remembers `key` for five minutes from `sentAt` (or until `entry.expiresAt` when reloaded).
    mutating func record(_ key: String, _ entry: Entry) {
        entries[key] = entry
        expiries.push(Expiry(at: entry.expiresAt, key: key))
    }

    /// Forgets `key` if it still names `sequence` (a send that could not be stored).
    mutating func forget(_ key: String, sequence: Int64) {
        if entries[key]?.sequence == sequence { entries[key] = nil }
    }

    /// Drops the keys whose five minutes have passed.
    mutating func prune(at now: Double) {
        while let first = expiries.min, first.at <= now {
            expiries.popMin()
            if let entry = entries[first.key], entry.expiresAt <= now { entries[first.key] = nil }
        }
    }

    var count: Int { entries.count }
}
