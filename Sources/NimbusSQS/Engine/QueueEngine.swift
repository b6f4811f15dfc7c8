import NimbusCore

/// The working copy of every queue: configuration, messages and their delivery state, FIFO
/// deduplication windows, long-poll waiters and message move tasks, in memory.
///
/// The actor only decides and remembers; it never does I/O. Each mutating call returns the
/// `MessageWrite`s that make its decision durable, and the service commits them before it
/// answers the client. New messages are added only once committed (`publish`), so a receive
/// never hands out a message that a crash could lose.
///
/// A queue is taken out of `queues` while it is changed and put back after
/// (`removeValue` … `defer`): changing it in place through a copy would copy all its
/// messages on every operation.
actor QueueEngine {
    /// A queue's settings as an operation needs them, copied out of the actor.
    struct Snapshot: Sendable {
        let id: Int64
        let key: QueueKey
        let arn: String
        let configuration: QueueConfiguration
        let tags: [String: String]
        let createdAt: Double
        let modifiedAt: Double
    }

    struct Queue: Sendable {
        let id: Int64
        let key: QueueKey
        let arn: String
        var configuration: QueueConfiguration
        var tags: [String: String]
        let createdAt: Double
        var modifiedAt: Double
        var state: QueueState
        var deduplication = DeduplicationWindow()
        var lastPurge: Double?

        var snapshot: Snapshot {
            Snapshot(id: id, key: key, arn: arn, configuration: configuration, tags: tags, createdAt: createdAt, modifiedAt: modifiedAt)
        }
    }

    let account: AccountContext
    var queues: [Int64: Queue] = [:]
    var ids: [QueueKey: Int64] = [:]
    /// The last message sequence handed out.
    var lastSequence: Int64
    /// The last receipt handed out.
    var lastReceipt: Int64
    var waiters: [Int64: [UInt64: WaiterEntry]] = [:]
    var lastWaiterID: UInt64 = 0
    var moveTasks: [MoveTask] = []
    /// When each recently deleted queue was deleted: its name is not free again for a minute.
    var deletions: [QueueKey: Double] = [:]

    /// How long a deleted queue's name stays taken, as on AWS.
    static let nameReuseDelay: Double = 60

    init(account: AccountContext, lastSequence: Int64, lastReceipt: Int64) {
        self.account = account
        self.lastSequence = lastSequence
        self.lastReceipt = lastReceipt
    }

    // MARK: Queues

    /// Adds (or replaces) a queue as stored.
    func install(_ row: SQSStore.QueueRow) throws(AWSError) {
        var configuration = QueueConfiguration(fifo: row.key.isFIFO)
        try configuration.apply(row.attributes, creating: true)
        if var existing = queues[row.id] {
            existing.configuration = configuration
            existing.tags = row.tags
            existing.modifiedAt = row.modifiedAt
            queues[row.id] = existing
            return
        }
        queues[row.id] = Queue(
            id: row.id,
            key: row.key,
            arn: QueueName.arn(row.key, account: account),
            configuration: configuration,
            tags: row.tags,
            createdAt: row.createdAt,
            modifiedAt: row.modifiedAt,
            state: QueueState(fifo: row.key.isFIFO)
        )
        ids[row.key] = row.id
    }

    /// Adds a stored message (at start).
    func load(_ message: QueuedMessage, into queue: Int64) {
        queues[queue]?.state.add(message)
    }

    /// Adds a stored deduplication key (at start).
    func loadDeduplication(_ key: String, _ entry: DeduplicationWindow.Entry, queue: Int64) {
        queues[queue]?.deduplication.record(key, entry)
    }

    func snapshot(_ key: QueueKey) throws(AWSError) -> Snapshot {
        guard let id = ids[key], let queue = queues[id] else { throw AWSError.queueDoesNotExist }
        return queue.snapshot
    }

    func snapshot(id: Int64) -> Snapshot? {
        queues[id]?.snapshot
    }

    func snapshot(arn: String) -> Snapshot? {
        QueueName.key(fromARN: arn).flatMap { ids[$0] }.flatMap { queues[$0]?.snapshot }
    }

    /// Queues of `account` whose name starts with `prefix`, by name.
    func list(account: String, prefix: String?) -> [Snapshot] {
        queues.values.filter { $0.key.account == account && (prefix.map($0.key.name.hasPrefix) ?? true) }
            .sorted { $0.key.name < $1.key.name }.map(\.snapshot)
    }

    /// Queues whose redrive policy names `arn` as their dead-letter queue, by name.
    func sources(ofDeadLetterQueue arn: String) -> [Snapshot] {
        queues.values.filter { $0.configuration.redrivePolicy?.deadLetterTargetArn == arn }.sorted { $0.key.name < $1.key.name }.map(\.snapshot)
    }

    func update(_ id: Int64, configuration: QueueConfiguration? = nil, tags: [String: String]? = nil, modifiedAt: Double? = nil) {
        guard var queue = queues.removeValue(forKey: id) else { return }
        defer { queues[id] = queue }
        if let configuration { queue.configuration = configuration }
        if let tags { queue.tags = tags }
        if let modifiedAt { queue.modifiedAt = modifiedAt }
    }

    /// Forgets a deleted queue; its long polls return empty.
    func remove(_ id: Int64, at now: Double) {
        guard let queue = queues.removeValue(forKey: id) else { return }
        ids[queue.key] = nil
        deletions[queue.key] = now
        wake(id)
    }

    /// Whether a queue named `key` was deleted less than a minute before `now`.
    func deletedRecently(_ key: QueueKey, at now: Double) -> Bool {
        deletions = deletions.filter { now - $0.value < Self.nameReuseDelay }
        return deletions[key] != nil
    }

    /// The counts GetQueueAttributes reports, after applying the passage of time.
    func counts(_ id: Int64, at now: Double) -> (counts: (visible: Int, inFlight: Int, delayed: Int), writes: [MessageWrite]) {
        guard queues[id] != nil else { return ((0, 0, 0), []) }
        let writes = advance(id, to: now)
        return (queues[id]!.state.counts(at: now), writes)
    }

    /// Applies the passage of time to one queue: ends of delays and visibility timeouts,
    /// retention. Returns the removals to store.
    func advance(_ id: Int64, to now: Double) -> [MessageWrite] {
        guard var queue = queues.removeValue(forKey: id) else { return [] }
        defer { queues[id] = queue }
        let expired = queue.state.advance(to: now, retention: Double(queue.configuration.messageRetentionPeriod))
        queue.deduplication.prune(at: now)
        return expired.isEmpty ? [] : [.remove(expired.map(\.sequence))]
    }

    /// Applies the passage of time to every queue (the background sweep).
    func advanceAll(to now: Double) -> [MessageWrite] {
        var writes: [MessageWrite] = []
        // Over a copy of the ids: iterating the dictionary itself would share (and copy) each queue changed.
        for id in Array(queues.keys) { writes += advance(id, to: now) }
        return writes
    }

    /// Removes every message of a queue, at most once a minute.
    /// - Throws: `PurgeQueueInProgress` within 60 seconds of the last purge.
    func purge(_ id: Int64, at now: Double) throws(AWSError) -> [MessageWrite] {
        guard var queue = queues.removeValue(forKey: id) else { throw AWSError.queueDoesNotExist }
        defer { queues[id] = queue }
        if let last = queue.lastPurge, now - last < 60 { throw AWSError.purgeQueueInProgress }
        queue.lastPurge = now
        let purged = queue.state.purge()
        return purged.isEmpty ? [] : [.remove(purged.map(\.sequence))]
    }
}
