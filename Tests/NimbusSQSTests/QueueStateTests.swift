import Testing

@testable import NimbusSQS

/// A message of sequence `n`, sent at `at`, optionally delayed or in a FIFO group.
func message(_ n: Int, at: Double = 0, delay: Double = 0, group: String? = nil) -> QueuedMessage {
    QueuedMessage(
        sequence: Int64(n),
        messageID: "m\(n)",
        body: "body \(n)",
        attributes: [:],
        md5OfBody: MessageDigest.body("body \(n)"),
        md5OfAttributes: nil,
        system: SystemFields(groupID: group, senderID: "000000000000"),
        sentAt: at,
        availableAt: at + delay
    )
}

extension QueueState {
    /// Advances to `now` (four days' retention) and receives.
    mutating func take(_ maximum: Int, at now: Double, visibility: Double = 30, maxReceiveCount: Int? = nil, receipts: inout Int64) -> Receive {
        _ = advance(to: now, retention: 345_600)
        return receive(maximum: maximum, visibilityTimeout: visibility, at: now, maxReceiveCount: maxReceiveCount, receipts: &receipts)
    }
}

@Suite struct VisibilityTests {
    @Test func noMoreThanTheInFlightLimitAreInFlight() {
        var state = QueueState(fifo: false)
        var receipts: Int64 = 0
        for n in 1...5 { state.add(message(n)) }
        let first = state.receive(maximum: 10, visibilityTimeout: 30, at: 1, maxReceiveCount: nil, receipts: &receipts, inFlightLimit: 3)
        #expect(first.delivered.count == 3 && !first.overLimit)
        let refused = state.receive(maximum: 10, visibilityTimeout: 30, at: 2, maxReceiveCount: nil, receipts: &receipts, inFlightLimit: 3)
        #expect(refused.delivered.isEmpty && refused.overLimit)
        _ = state.delete(sequence: first.delivered[0].sequence, receipt: first.delivered[0].receipt)
        let freed = state.receive(maximum: 10, visibilityTimeout: 30, at: 3, maxReceiveCount: nil, receipts: &receipts, inFlightLimit: 3)
        #expect(freed.delivered.count == 1)
    }

    @Test func receivedMessagesReappearAfterTheirVisibilityTimeoutWithAHigherCount() {
        var state = QueueState(fifo: false)
        var receipts: Int64 = 0
        state.add(message(1))
        state.add(message(2))
        let first = state.take(10, at: 100, visibility: 30, receipts: &receipts)
        #expect(first.delivered.map(\.sequence) == [1, 2])
        #expect(first.delivered.map(\.receiveCount) == [1, 1])
        #expect(state.take(10, at: 129.9, receipts: &receipts).delivered.isEmpty)
        #expect(state.counts(at: 129.9) == (0, 2, 0))
        let again = state.take(1, at: 130, receipts: &receipts)
        #expect(again.delivered.map(\.sequence) == [1])
        #expect(again.delivered.first?.receiveCount == 2)
        #expect(again.delivered.first?.firstReceivedAt == 100)
        #expect(again.delivered.first?.receipt == 3)
    }

    @Test func deleteNeedsTheLatestReceipt() {
        var state = QueueState(fifo: false)
        var receipts: Int64 = 0
        state.add(message(1))
        let first = state.take(1, at: 0, visibility: 1, receipts: &receipts).delivered[0]
        let second = state.take(1, at: 2, visibility: 1, receipts: &receipts).delivered[0]
        #expect(state.delete(sequence: 1, receipt: first.receipt) == .stale)
        #expect(state.messages[1] != nil)
        #expect(state.delete(sequence: 1, receipt: second.receipt) == .deleted)
        #expect(state.delete(sequence: 1, receipt: second.receipt) == .gone)
        #expect(state.isEmpty)
    }

    @Test func delayedMessagesWaitForTheirDelay() {
        var state = QueueState(fifo: false)
        var receipts: Int64 = 0
        state.add(message(1, at: 0, delay: 10))
        state.add(message(2, at: 0))
        #expect(state.counts(at: 5) == (1, 0, 1))
        #expect(state.take(10, at: 5, receipts: &receipts).delivered.map(\.sequence) == [2])
        #expect(state.nextChange == 10)
        #expect(state.take(10, at: 10, receipts: &receipts).delivered.map(\.sequence) == [1])
    }

    @Test func changingVisibilityToZeroMakesTheMessageReceivableAtOnce() {
        var state = QueueState(fifo: false)
        var receipts: Int64 = 0
        state.add(message(1))
        let got = state.take(1, at: 0, receipts: &receipts).delivered[0]
        #expect(state.changeVisibility(sequence: 1, receipt: got.receipt, timeout: 0, at: 1) == .changed)
        #expect(state.take(1, at: 1, receipts: &receipts).delivered.map(\.sequence) == [1])
    }

    @Test func changingVisibilityFollowsAWSRules() {
        var state = QueueState(fifo: false)
        var receipts: Int64 = 0
        state.add(message(1))
        let got = state.take(1, at: 0, visibility: 10, receipts: &receipts).delivered[0]
        #expect(state.changeVisibility(sequence: 1, receipt: got.receipt, timeout: 43_201, at: 0) == .beyondMaximum)
        #expect(state.changeVisibility(sequence: 1, receipt: got.receipt, timeout: 100, at: 5) == .changed)
        #expect(state.take(1, at: 50, receipts: &receipts).delivered.isEmpty)
        #expect(state.changeVisibility(sequence: 1, receipt: got.receipt, timeout: 100, at: 200) == .notInFlight)
        #expect(state.changeVisibility(sequence: 1, receipt: got.receipt + 7, timeout: 100, at: 5) == .expired)
        #expect(state.changeVisibility(sequence: 9, receipt: 1, timeout: 100, at: 5) == .expired)
    }

    @Test func zeroVisibilityNeverDeliversOneMessageTwiceInOneReceive() {
        var state = QueueState(fifo: false)
        var receipts: Int64 = 0
        state.add(message(1))
        #expect(state.take(10, at: 0, visibility: 0, receipts: &receipts).delivered.count == 1)
        #expect(state.take(10, at: 0, visibility: 0, receipts: &receipts).delivered.count == 1)
    }
}

@Suite struct RetentionAndRedriveTests {
    @Test func messagesOlderThanTheRetentionPeriodDisappear() {
        var state = QueueState(fifo: false)
        state.add(message(1, at: 0))
        state.add(message(2, at: 50))
        #expect(state.advance(to: 59, retention: 60).isEmpty)
        #expect(state.advance(to: 60, retention: 60).map(\.sequence) == [1])
        #expect(state.advance(to: 200, retention: 60).map(\.sequence) == [2])
        #expect(state.isEmpty)
    }

    @Test func theReceiveThatWouldExceedMaxReceiveCountDeadLettersInstead() {
        var state = QueueState(fifo: false)
        var receipts: Int64 = 0
        state.add(message(1))
        for attempt in 0..<2 {
            let got = state.take(1, at: Double(attempt * 10), visibility: 5, maxReceiveCount: 2, receipts: &receipts)
            #expect(got.delivered.map(\.receiveCount) == [attempt + 1])
        }
        let third = state.take(1, at: 30, visibility: 5, maxReceiveCount: 2, receipts: &receipts)
        #expect(third.delivered.isEmpty)
        #expect(third.deadLettered.map(\.sequence) == [1])
        #expect(state.isEmpty)
    }

    @Test func purgeRemovesEverything() {
        var state = QueueState(fifo: false)
        var receipts: Int64 = 0
        for n in 1...5 { state.add(message(n)) }
        _ = state.take(2, at: 0, receipts: &receipts)
        #expect(state.purge().count == 5)
        #expect(state.counts(at: 100) == (0, 0, 0))
        #expect(state.take(10, at: 100, receipts: &receipts).delivered.isEmpty)
    }
}

@Suite struct FIFOTests {
    @Test func aGroupIsDeliveredInOrderAndBlockedWhileInFlight() {
        var state = QueueState(fifo: true)
        var receipts: Int64 = 0
        for n in 1...3 { state.add(message(n, group: "a")) }
        state.add(message(4, group: "b"))
        let first = state.take(1, at: 0, receipts: &receipts)
        #expect(first.delivered.map(\.sequence) == [1])
        // Group a is blocked by message 1 in flight: only b is receivable.
        #expect(state.take(10, at: 1, receipts: &receipts).delivered.map(\.sequence) == [4])
        #expect(state.take(10, at: 2, receipts: &receipts).delivered.isEmpty)
        #expect(state.delete(sequence: 1, receipt: first.delivered[0].receipt) == .deleted)
        #expect(state.take(10, at: 3, receipts: &receipts).delivered.map(\.sequence) == [2, 3])
    }

    @Test func anExpiredReceiveGivesTheSameOrderAgain() {
        var state = QueueState(fifo: true)
        var receipts: Int64 = 0
        for n in 1...3 { state.add(message(n, group: "g")) }
        #expect(state.take(2, at: 0, visibility: 5, receipts: &receipts).delivered.map(\.sequence) == [1, 2])
        #expect(state.take(10, at: 5, receipts: &receipts).delivered.map(\.sequence) == [1, 2, 3])
    }

    @Test func aGroupStaysBlockedWhileAnyOfItsMessagesIsInFlight() {
        var state = QueueState(fifo: true)
        var receipts: Int64 = 0
        for n in 1...3 { state.add(message(n, group: "g")) }
        let taken = state.take(2, at: 0, receipts: &receipts).delivered
        #expect(state.changeVisibility(sequence: 1, receipt: taken[0].receipt, timeout: 0, at: 1) == .changed)
        #expect(state.take(10, at: 1, receipts: &receipts).delivered.isEmpty)
        #expect(state.delete(sequence: 2, receipt: taken[1].receipt) == .deleted)
        #expect(state.take(10, at: 2, receipts: &receipts).delivered.map(\.sequence) == [1, 3])
    }

    @Test func redrivenMessagesKeepTheirOrderInAFIFODeadLetterQueue() {
        var state = QueueState(fifo: true)
        var receipts: Int64 = 0
        state.add(message(5, group: "g"))
        state.add(message(2, group: "g"))
        #expect(state.take(10, at: 0, receipts: &receipts).delivered.map(\.sequence) == [2, 5])
    }

    @Test func uncommittedMessagesHoldBackTheirGroup() {
        var state = QueueState(fifo: true)
        var receipts: Int64 = 0
        state.add(message(1, group: "g"), committed: false)
        state.add(message(2, group: "g"))
        #expect(state.take(10, at: 0, receipts: &receipts).delivered.isEmpty)
        #expect(state.counts(at: 0) == (1, 0, 0))
        state.commit(1)
        #expect(state.take(10, at: 0, receipts: &receipts).delivered.map(\.sequence) == [1, 2])
    }

    @Test func anAbandonedMessageReleasesItsGroup() {
        var state = QueueState(fifo: true)
        var receipts: Int64 = 0
        state.add(message(1, group: "g"), committed: false)
        state.add(message(2, group: "g"))
        state.abandon(1)
        #expect(state.take(10, at: 0, receipts: &receipts).delivered.map(\.sequence) == [2])
    }

    @Test func deduplicationLastsFiveMinutes() {
        var window = DeduplicationWindow()
        window.record("k", .init(messageID: "m1", sequence: 1, expiresAt: 300))
        #expect(window.original(for: "k", at: 299.9)?.messageID == "m1")
        #expect(window.original(for: "k", at: 300) == nil)
        window.prune(at: 301)
        #expect(window.count == 0)
        #expect(DeduplicationWindow.key(deduplicationID: "d", groupID: "g", scope: "queue") == "d")
        #expect(DeduplicationWindow.key(deduplicationID: "d", groupID: "g", scope: "messageGroup") != "d")
    }
}
