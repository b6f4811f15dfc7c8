import NimbusCore

extension QueueEngine {
    /// What a FIFO queue does with a new message.
    enum Admission: Sendable, Equatable {
        /// Enqueued (not receivable until published).
        case accepted
        /// Its deduplication key was sent in the last five minutes: not enqueued; the first
        /// message's id and sequence are the answer.
        case duplicate(DeduplicationWindow.Entry)
    }

    /// What a receive did.
    struct Received: Sendable {
        var delivered: [QueuedMessage] = []
        var writes: [MessageWrite] = []
        /// Set when nothing was delivered and a waiter was registered for a long poll.
        var waiter: Waiter?
        /// When the queue next changes by itself (a delay or visibility timeout ends).
        var nextChange: Double?
    }

    /// The queue `key` and the first of `count` new message sequences.
    func reserve(_ key: QueueKey, count: Int) throws(AWSError) -> (queue: Snapshot, firstSequence: Int64) {
        guard let id = ids[key], let queue = queues[id] else { throw AWSError.queueDoesNotExist }
        let first = lastSequence + 1
        lastSequence += Int64(count)
        return (queue.snapshot, first)
    }

    /// The first of `count` new message sequences of an existing queue (dispatch, moves).
    func reserve(count: Int) -> Int64 {
        let first = lastSequence + 1
        lastSequence += Int64(count)
        return first
    }

    /// FIFO: deduplicates `messages` (whose keys are `keys`) and admits the new ones,
    /// uncommitted, so that their groups wait for them.
    func admit(_ messages: [QueuedMessage], keys: [String], queue id: Int64, at now: Double) throws(AWSError) -> [Admission] {
        guard var queue = queues.removeValue(forKey: id) else { throw AWSError.queueDoesNotExist }
        defer { queues[id] = queue }
        queue.deduplication.prune(at: now)
        var admissions: [Admission] = []
        for (message, key) in zip(messages, keys) {
            if let original = queue.deduplication.original(for: key, at: now) {
                admissions.append(.duplicate(original))
                continue
            }
            queue.deduplication.record(
                key,
                DeduplicationWindow.Entry(messageID: message.messageID, sequence: message.sequence, expiresAt: now + DeduplicationWindow.interval)
            )
            queue.state.add(message, committed: false)
            admissions.append(.accepted)
        }
        return admissions
    }

    /// Makes stored messages receivable and wakes the queue's long polls.
    func publish(_ messages: [QueuedMessage], queue id: Int64) {
        guard var queue = queues.removeValue(forKey: id) else { return }
        defer { queues[id] = queue }
        for message in messages {
            if queue.state.fifo {
                queue.state.commit(message.sequence)
            } else {
                queue.state.add(message)
            }
        }
        wake(id, count: messages.count)
    }

    /// FIFO: forgets admitted messages that could not be stored, and their deduplication keys.
    func abandon(_ messages: [QueuedMessage], keys: [String], queue id: Int64) {
        guard var queue = queues.removeValue(forKey: id) else { return }
        defer { queues[id] = queue }
        for (message, key) in zip(messages, keys) {
            queue.state.abandon(message.sequence)
            queue.deduplication.forget(key, sequence: message.sequence)
        }
        wake(id)
    }

    /// Receives up to `maximum` messages of queue `id`, redriving those past the queue's
    /// `maxReceiveCount` to its dead-letter queue. When nothing is delivered and
    /// `registerWaiter`, registers a long-poll waiter in the same step, so that no message
    /// published in between is missed.
    func receive(
        _ id: Int64,
        maximum: Int,
        visibilityTimeout: Int,
        at now: Double,
        registerWaiter: Bool
    ) throws(AWSError) -> Received {
        guard queues[id] != nil else { throw AWSError.queueDoesNotExist }
        var received = Received(writes: advance(id, to: now))
        var queue = queues.removeValue(forKey: id)!
        let deadLetterQueue = queue.configuration.redrivePolicy.flatMap { policy in
            QueueName.key(fromARN: policy.deadLetterTargetArn).flatMap { ids[$0] }.map { (id: $0, limit: policy.maxReceiveCount) }
        }.flatMap { $0.id == id ? nil : $0 }
        let outcome = queue.state.receive(
            maximum: maximum,
            visibilityTimeout: Double(visibilityTimeout),
            at: now,
            maxReceiveCount: deadLetterQueue?.limit,
            receipts: &lastReceipt
        )
        queues[id] = queue
        // A short poll over the limit is refused; a long poll waits as if the queue were empty.
        if outcome.overLimit, !registerWaiter { throw AWSError.overLimit }
        if let target = deadLetterQueue, !outcome.deadLettered.isEmpty {
            for var message in outcome.deadLettered {
                message.system.deadLetterSourceArn = queue.arn
                queues[target.id]?.state.add(message)
                received.writes.append(.move(message, toQueue: target.id))
            }
            wake(target.id)
        }
        if !outcome.delivered.isEmpty {
            received.delivered = outcome.delivered
            received.writes.append(.deliver(outcome.delivered))
        } else if registerWaiter {
            received.waiter = newWaiter(queue: id)
        }
        received.nextChange = queues[id]?.state.nextChange
        return received
    }

    /// Deletes the message a receipt handle names.
    func delete(_ handle: ReceiptHandle) throws(AWSError) -> (QueueState.Deletion, [MessageWrite]) {
        let (outcomes, writes) = try delete([handle], queue: handle.queue)
        return (outcomes[0], writes)
    }

    /// Deletes the messages that receipt handles of queue `id` name, in one step for a whole
    /// DeleteMessageBatch: the outcome of each, in order, and the writes that make them durable.
    func delete(_ handles: [ReceiptHandle], queue id: Int64) throws(AWSError) -> ([QueueState.Deletion], [MessageWrite]) {
        guard var queue = queues.removeValue(forKey: id) else { throw AWSError.queueDoesNotExist }
        defer { queues[id] = queue }
        let outcomes = handles.map { queue.state.delete(sequence: $0.sequence, receipt: $0.receipt) }
        let removed = zip(handles, outcomes).compactMap { handle, outcome in outcome == .deleted ? handle.sequence : nil }
        guard !removed.isEmpty else { return (outcomes, []) }
        if queue.state.fifo { wake(id) }
        return (outcomes, [.remove(removed)])
    }

    /// Changes the visibility timeout of the in-flight message a receipt handle names.
    func changeVisibility(_ handle: ReceiptHandle, timeout: Int, at now: Double) throws(AWSError) -> (QueueState.VisibilityChange, [MessageWrite]) {
        guard var queue = queues.removeValue(forKey: handle.queue) else { throw AWSError.queueDoesNotExist }
        defer { queues[handle.queue] = queue }
        let outcome = queue.state.changeVisibility(sequence: handle.sequence, receipt: handle.receipt, timeout: Double(timeout), at: now)
        guard outcome == .changed, let message = queue.state.messages[handle.sequence] else { return (outcome, []) }
        if timeout == 0 { wake(handle.queue) }
        return (outcome, [.deliver([message])])
    }

    /// Adds a message that already exists elsewhere (a move) or is new and stored (dispatch).
    func insert(_ message: QueuedMessage, into id: Int64) {
        queues[id]?.state.add(message)
        wake(id)
    }
}
