package import NimbusCore
package import NimbusStore
import NimbusWire

/// Amazon SQS: standard and FIFO queues with visibility timeouts, long polling, dead-letter
/// redrive and message move tasks, over awsJson 1.0 (and the query protocol).
///
/// The queues live in a `QueueEngine` in memory; SQLite (or PostgreSQL) holds the durable
/// copy and rebuilds the engine on start. Every acknowledged change (a send, a receive, a
/// delete, a visibility change) is committed before the answer, through one `GroupCommit`
/// that writes the changes of concurrent requests in one transaction. Single node: two
/// servers must not share one store.
package struct SQSService: ServiceHandler, SQSOperations {
    package let serviceName = "sqs"

    let store: SQSStore
    let engine: QueueEngine
    let clock: any WallClock
    let account: AccountContext
    let signer: ReceiptSigner
    /// Writes the changes of concurrent requests together, one transaction per round.
    let writer: GroupCommit<[MessageWrite], Void>

    /// Migrates the service's tables and loads every queue and message into memory.
    /// - Parameter account: the account and region the server plays, for queue ARNs.
    package init(store sqlStore: any SQLStore, account: AccountContext = AccountContext(), clock: any WallClock = SystemWallClock()) async throws {
        try await sqlStore.migrate(SQSStore.migrations)
        let store = SQSStore(store: sqlStore)
        let keyText = try await store.setting("receipt-key", orCreate: ReceiptSigner.makeKey)
        guard let key = Base64.decode(keyText), key.count >= 16 else { throw StoreError(.invalidKey, "the stored SQS receipt key is malformed") }
        // Sequences and receipts continue from the stored ones, and never restart below the
        // start time in microseconds: deleted rows cannot make a restarted server reuse a
        // number it handed out before (FIFO sequence numbers only grow; old handles stay stale).
        let marks = try await store.highWaterMarks()
        let floor = Int64(clock.now() * 1_000_000)
        let engine = QueueEngine(account: account, lastSequence: max(marks.sequence, floor), lastReceipt: max(marks.receipt, floor))
        let rows = try await store.allQueues()
        for row in rows { try? await engine.install(row) }
        for (queue, message) in try await store.loadMessages(queues: Set(rows.map(\.id))) {
            await engine.load(message, into: queue)
        }
        let now = clock.now()
        for (queue, key, entry) in try await store.loadDeduplication(at: now) {
            await engine.loadDeduplication(key, entry, queue: queue)
        }
        await engine.loadMoveTasks(try await store.loadMoveTasks())
        self.store = store
        self.engine = engine
        self.clock = clock
        self.account = account
        signer = ReceiptSigner(key: key)
        writer = GroupCommit { batches in
            try await store.write(batches.flatMap { $0 })
            return batches.map { _ in () }
        }
        // Messages that expired while the server was down go now.
        try await commit(await engine.advanceAll(to: now))
    }

    /// Commits `writes` (with those of concurrent requests); durable when it returns.
    func commit(_ writes: [MessageWrite]) async throws {
        guard !writes.isEmpty else { return }
        try await writer.submit(writes)
    }

    /// The queue a URL names.
    func queue(url: String) async throws -> QueueEngine.Snapshot {
        try await engine.snapshot(try QueueName.key(fromURL: url))
    }

    /// The URL of a queue as this request's client reaches it.
    func url(_ key: QueueKey, context: RequestContext) -> String {
        QueueName.url(key, host: context.request.header("Host"))
    }

    /// Background work while the server runs: retention sweeps, move tasks. Returns when
    /// cancelled.
    package func runBackgroundWork() async {
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 200_000_000)
            await backgroundStep()
        }
    }

    /// One round of background work (tests call it directly).
    func backgroundStep() async {
        let now = clock.now()
        try? await commit(await engine.advanceAll(to: now))
        try? await commit(await engine.runMoveTasks(at: now, interval: 0.2))
    }
}
