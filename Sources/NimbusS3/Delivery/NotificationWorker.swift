import Logging
import NimbusCore
import NimbusStore

/// Delivers the notification outbox through the dispatcher: a queue gets the record as a
/// message body, a topic publishes it (subject `Amazon S3 Notification`), a function is invoked
/// asynchronously (so Lambda's own retries and DLQ apply). A record leaves the outbox once its
/// target took it; a target that fails (5xx, throttled, not reachable) is retried with backoff,
/// one that refuses it for good (deleted, 4xx) has the record dropped and logged.
final class NotificationWorker: Sendable {
    let store: S3Store
    let dispatcher: any Dispatcher
    let clock: any WallClock
    let logger: Logger
    let wake = WakeSignal()
    /// Retries per record before it is dropped (with the delays below, about a day).
    static let maximumAttempts = 1_450
    /// Multiplies every retry delay (1 in production; tests shrink it).
    let retryDelayScale: Double

    init(store: S3Store, dispatcher: any Dispatcher, clock: any WallClock, logger: Logger, retryDelayScale: Double = 1) {
        self.store = store
        self.dispatcher = dispatcher
        self.clock = clock
        self.logger = logger
        self.retryDelayScale = retryDelayScale
    }

    /// The wait before attempt `attempts + 1`: 1 s doubling to at most 60 s.
    static func delay(afterFailedAttempts attempts: Int) -> Double {
        min(60, Double(1 << min(attempts - 1, 6)))
    }

    /// Delivers until the task is cancelled; wakes on every notified change and when a retry falls due.
    func run() async {
        while !Task.isCancelled {
            do {
                try await deliverDue()
            } catch {
                logger.warning("s3: reading the notification outbox failed", metadata: ["error": "\(error)"])
            }
            let next = (try? await store.nextNotificationTime()) ?? .infinity
            let wait = min(max(next - clock.now(), 0.005), 1.0)
            await wake.wait(upTo: .milliseconds(Int64(wait * 1000)))
        }
    }

    /// Attempts every due record once, in outbox order, concurrently per target.
    /// - Returns: the number of attempts made.
    @discardableResult
    func deliverDue() async throws -> Int {
        let due = try await store.dueNotifications(now: clock.now(), limit: 256)
        let byTarget = Dictionary(grouping: due, by: \.target)
        await withTaskGroup(of: Void.self) { group in
            for records in byTarget.values {
                group.addTask {
                    for record in records { await self.attempt(record) }
                }
            }
        }
        return due.count
    }

    /// One attempt at `record`, then its bookkeeping.
    func attempt(_ record: S3Store.PendingNotification) async {
        let outcome = await send(record)
        do {
            switch outcome {
            case .delivered:
                try await store.finishNotification(record.id)
            case .retry(let reason) where record.attempts + 1 < Self.maximumAttempts:
                let attempts = record.attempts + 1
                logger.debug("s3: notification will be retried", metadata: ["target": "\(record.target)", "reason": "\(reason)"])
                try await store.rescheduleNotification(
                    record.id,
                    attempts: attempts,
                    at: clock.now() + Self.delay(afterFailedAttempts: attempts) * retryDelayScale
                )
            case .retry(let reason), .reject(let reason):
                logger.info("s3: notification dropped", metadata: ["target": "\(record.target)", "reason": "\(reason)"])
                try await store.finishNotification(record.id)
            }
        } catch {
            logger.warning("s3: notification bookkeeping failed", metadata: ["id": "\(record.id)", "error": "\(error)"])
        }
    }

    /// Sends `record` to its target once.
    func send(_ record: S3Store.PendingNotification) async -> DeliveryOutcome {
        guard let target = ARN(record.target) else { return .reject("invalid target ARN") }
        var event = DispatchEvent(payload: Array(record.payload.utf8))
        switch record.destination {
        case .lambda: event.attributes["invocationType"] = "Event"
        case .topic: event.attributes["Subject"] = "Amazon S3 Notification"
        case .queue: break
        }
        return await dispatcher.attempt(event, to: target)
    }
}
