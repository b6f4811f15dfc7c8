/// A queue's messages by sequence, split over shards so that growing never rehashes them all
/// at once.
///
/// One `Dictionary` doubles its storage by rehashing every entry inside a single insert (a
/// standalone release build with message-sized values: 166 ms at 393,216 entries, 335 ms at
/// 786,432), while the queue engine, and so every SQS request, waits. Over 64 dictionaries
/// chosen by sequence, a growth moves a 64th of the messages.
struct MessageTable: Sendable {
    private var shards = [[Int64: QueuedMessage]](repeating: [:], count: Self.shardCount)
    /// How many messages the table holds.
    private(set) var count = 0

    private static let shardCount = 64

    var isEmpty: Bool { count == 0 }

    /// Every message, in no particular order.
    var values: FlattenSequence<[Dictionary<Int64, QueuedMessage>.Values]> {
        shards.map(\.values).joined()
    }

    subscript(sequence: Int64) -> QueuedMessage? {
        get { shards[Self.shard(of: sequence)][sequence] }
        set {
            let shard = Self.shard(of: sequence)
            if let newValue {
                if shards[shard].updateValue(newValue, forKey: sequence) == nil { count += 1 }
            } else if shards[shard].removeValue(forKey: sequence) != nil {
                count -= 1
            }
        }
    }

    /// Removes the message `sequence`, returning it if it was there.
    mutating func removeValue(forKey sequence: Int64) -> QueuedMessage? {
        let removed = shards[Self.shard(of: sequence)].removeValue(forKey: sequence)
        if removed != nil { count -= 1 }
        return removed
    }

    private static func shard(of sequence: Int64) -> Int {
        Int(truncatingIfNeeded: sequence) & (shardCount - 1)
    }
}
