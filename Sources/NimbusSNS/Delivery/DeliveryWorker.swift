import Crypto
import Logging
import NimbusCore
import NimbusStore
import NimbusWire
import Synchronization

/// Delivers the outbox: each pending delivery is rendered for its subscription's protocol,
/// sent (SQS and Lambda through the dispatcher, HTTP/S by POST), and deleted on success;
/// failures are retried per the delivery policy, then sent to the subscription's
/// dead-letter queue (or dropped), as AWS does.
///
/// See https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
final class DeliveryWorker: Sendable {
    let store: SNSStore
    let dispatcher: any Dispatcher
    let signer: MessageSigner
    let clock: any WallClock
    let poster: any HTTPPoster
    let settings: SNSSettings
    let wake = WakeSignal()
    let logger: Logger
    /// Removes finished deliveries; those that finish together share one transaction.
    let finisher: GroupCommit<SNSStore.PendingDelivery, Void>
    /// Deliveries being attempted now, the FIFO order keys they hold, and the deliveries whose
    /// attempt ended since the last outbox read began (that read may show them as they were before).
    private let active = Mutex<(ids: Set<Int64>, keys: Set<String>, releasedDuringRead: Set<Int64>)>(([], [], []))

    init(
        store: SNSStore,
        dispatcher: any Dispatcher,
        signer: MessageSigner,
        clock: any WallClock,
        poster: any HTTPPoster,
        settings: SNSSettings,
        logger: Logger
    ) {
        self.store = store
        self.dispatcher = dispatcher
        self.signer = signer
        self.clock = clock
        self.poster = poster
        self.settings = settings
        self.logger = logger
        finisher = GroupCommit { deliveries in
            try await store.finishDeliveries(deliveries)
            return deliveries.map { _ in () }
        }
    }

    /// Delivers until the task is cancelled: wakes on every publish and when a retry falls due.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            while !Task.isCancelled {
                do {
                    for delivery in try await claimDue() {
                        group.addTask {
                            await self.attempt(delivery)
                            self.release(delivery)
                            self.wake.signal()
                        }
                    }
                } catch {
                    logger.warning("sns: reading the outbox failed", metadata: ["error": "\(error)"])
                }
                let next = (try? await store.nextDueTime()) ?? .infinity
                let wait = min(max(next - clock.now(), 0.005), 1.0)
                await wake.wait(upTo: .milliseconds(Int64(wait * 1000)))
            }
            group.cancelAll()
        }
    }

    /// Delivers every due delivery once, one after another (tests drive the worker with it).
    /// - Returns: the number of attempts made.
    @discardableResult
    func deliverDue() async throws -> Int {
        let due = try await claimDue()
        for delivery in due {
            await attempt(delivery)
            release(delivery)
        }
        return due.count
    }

    /// The due deliveries not in flight, at most the concurrency limit, keeping FIFO order per key.
    private func claimDue() async throws -> [SNSStore.PendingDelivery] {
        let room = active.withLock { active in
            active.releasedDuringRead = []
            return settings.maximumConcurrentDeliveries - active.ids.count
        }
        guard room > 0 else { return [] }
        var claimed: [SNSStore.PendingDelivery] = []
        var blockedKeys = Set<String>()
        for delivery in try await store.dueDeliveries(now: clock.now(), limit: room + 32) where claimed.count < room {
            if let key = delivery.orderKey {
                guard !blockedKeys.contains(key) else { continue }
                blockedKeys.insert(key)
                if try await store.hasEarlierDelivery(orderKey: key, before: delivery.id) { continue }
            }
            let taken = active.withLock { active -> Bool in
                // In flight, or its attempt ended (and rescheduled or removed it) after the read began.
                guard !active.ids.contains(delivery.id), !active.releasedDuringRead.contains(delivery.id) else { return false }
                if let key = delivery.orderKey {
                    guard !active.keys.contains(key) else { return false }
                    active.keys.insert(key)
                }
                active.ids.insert(delivery.id)
                return true
            }
            if taken { claimed.append(delivery) }
        }
        return claimed
    }

    private func release(_ delivery: SNSStore.PendingDelivery) {
        active.withLock { active in
            active.ids.remove(delivery.id)
            active.releasedDuringRead.insert(delivery.id)
            if let key = delivery.orderKey { active.keys.remove(key) }
        }
    }

    /// One attempt at `delivery`, then its bookkeeping (done, retry later, or dead-letter).
    func attempt(_ delivery: SNSStore.PendingDelivery) async {
        do {
            guard let subscription = try await store.subscription(arn: delivery.subscriptionARN),
                let message = try await store.message(id: delivery.messageID)
            else {
                try await store.finishDelivery(delivery)
                return
            }
            let outcome = await send(message, to: subscription)
            let reason: String
            var retryable = false
            switch outcome {
            case .delivered:
                try await finisher.submit(delivery)
                return
            case .retry(let why):
                reason = why
                retryable = true
            case .reject(let why):
                reason = why
            }
            let attempts = delivery.attempts + 1
            if retryable, let delay = try await retryPolicy(for: subscription).delay(afterFailedAttempts: attempts) {
                try await store.reschedule(delivery, attempts: attempts, at: clock.now() + delay * settings.retryDelayScale)
                return
            }
            logger.info(
                "sns: delivery failed for good",
                metadata: ["subscription": "\(subscription.arn)", "message": "\(message.id)", "attempts": "\(attempts)", "reason": "\(reason)"]
            )
            if message.kind == .notification, let queue = subscription.deadLetterTarget {
                await deadLetter(message, subscription: subscription, queue: queue)
            }
            try await store.finishDelivery(delivery)
        } catch {
            logger.warning("sns: delivery bookkeeping failed", metadata: ["delivery": "\(delivery.id)", "error": "\(error)"])
        }
    }

    private func retryPolicy(for subscription: Subscription) async throws -> RetryPolicy {
        guard subscription.protocol == "http" || subscription.protocol == "https" else { return .managed }
        let topic = try await store.topic(arn: subscription.topicARN)
        return DeliveryPolicy.effective(subscription: subscription.attributes["DeliveryPolicy"], topic: topic?.attributes["DeliveryPolicy"]).retry
    }

    // MARK: Sending

    /// Sends `message` to `subscription` once.
    func send(_ message: StoredMessage, to subscription: Subscription) async -> DeliveryOutcome {
        switch (message.kind, subscription.protocol) {
        case (.subscriptionConfirmation, "http"), (.subscriptionConfirmation, "https"):
            return await post(
                Envelope.confirmation(message, signer: signer),
                type: "SubscriptionConfirmation",
                message: message,
                subscription: subscription,
                raw: false
            )
        case (.subscriptionConfirmation, _):
            return .delivered
        case (.notification, "sqs"):
            guard let queue = ARN(subscription.endpoint) else { return .reject("invalid queue ARN") }
            return await dispatcher.attempt(sqsEvent(message, subscription: subscription), to: queue)
        case (.notification, "lambda"):
            guard let function = ARN(subscription.endpoint) else { return .reject("invalid function ARN") }
            let event = DispatchEvent(
                payload: Envelope.lambdaEvent(message, subscriptionARN: subscription.arn, signer: signer),
                attributes: ["invocationType": "Event"],
                source: ARN(message.topicARN)
            )
            return await dispatcher.attempt(event, to: function)
        case (.notification, "http"), (.notification, "https"):
            let raw = subscription.rawMessageDelivery
            let body =
                raw
                ? Array(message.message(for: subscription.protocol).utf8)
                : Envelope.notification(message, protocol: subscription.protocol, subscriptionARN: subscription.arn, signer: signer)
            return await post(body, type: "Notification", message: message, subscription: subscription, raw: raw)
        default:
            return .reject("protocol \(subscription.protocol) is not delivered by Nimbus")
        }
    }

    /// The event an SQS queue receives: the envelope (or the raw message with its attributes as
    /// SQS message attributes), with the FIFO group and deduplication ids as dispatch attributes.
    func sqsEvent(_ message: StoredMessage, subscription: Subscription) -> DispatchEvent {
        var attributes: [String: String] = [:]
        let payload: [UInt8]
        if subscription.rawMessageDelivery {
            payload = Array(message.message(for: "sqs").utf8)
            if !message.attributes.isEmpty {
                attributes["MessageAttributes"] = String(
                    decoding: JSONWriter.encode(.object(message.attributes.mapValues(\.sqsJSON))),
                    as: UTF8.self
                )
            }
        } else {
            payload = Envelope.notification(message, protocol: "sqs", subscriptionARN: subscription.arn, signer: signer)
        }
        if let group = message.groupID { attributes["MessageGroupId"] = group }
        if let deduplication = message.deduplicationID { attributes["MessageDeduplicationId"] = deduplication }
        return DispatchEvent(payload: payload, attributes: attributes, source: ARN(message.topicARN))
    }

    private func post(_ body: [UInt8], type: String, message: StoredMessage, subscription: Subscription, raw: Bool) async -> DeliveryOutcome {
        var headers: [(String, String)] = [
            ("x-amz-sns-message-type", type),
            ("x-amz-sns-message-id", message.id),
            ("x-amz-sns-topic-arn", message.topicARN),
            ("User-Agent", "Amazon Simple Notification Service Agent"),
        ]
        if type == "Notification" { headers.append(("x-amz-sns-subscription-arn", subscription.arn)) }
        if raw { headers.append(("x-amz-sns-rawdelivery", "true")) }
        let topic = try? await store.topic(arn: subscription.topicARN)
        let contentType = DeliveryPolicy.effective(
            subscription: subscription.attributes["DeliveryPolicy"],
            topic: topic?.attributes["DeliveryPolicy"]
        ).contentType
        headers.append(("Content-Type", contentType))
        do {
            let status = try await poster.post(url: subscription.endpoint, headers: headers, body: body, timeout: settings.httpTimeout)
            switch status {
            case 200..<300: return .delivered
            case 429, 500...: return .retry("HTTP \(status)")
            default: return .reject("HTTP \(status)")
            }
        } catch {
            return .retry("\(error)")
        }
    }

    private func deadLetter(_ message: StoredMessage, subscription: Subscription, queue: ARN) async {
        var event = sqsEvent(message, subscription: subscription)
        if subscription.protocol != "sqs" && !subscription.rawMessageDelivery {
            event.payload = Envelope.notification(message, protocol: subscription.protocol, subscriptionARN: subscription.arn, signer: signer)
        }
        do {
            _ = try await dispatcher.deliver(event, to: queue)
        } catch {
            logger.warning(
                "sns: the dead-letter queue refused a message",
                metadata: ["queue": "\(queue)", "message": "\(message.id)", "error": "\(error)"]
            )
        }
    }
}

/// Knobs of SNS delivery.
package struct SNSSettings: Sendable {
    /// Multiplies every retry delay (1 in production; tests shrink AWS's 20-second waits).
    package var retryDelayScale: Double
    /// How long an HTTP/S endpoint may take to answer (AWS: 15 seconds).
    package var httpTimeout: Double
    /// How many deliveries are attempted at once.
    package var maximumConcurrentDeliveries: Int

    package init(retryDelayScale: Double = 1, httpTimeout: Double = 15, maximumConcurrentDeliveries: Int = 64) {
        self.retryDelayScale = retryDelayScale
        self.httpTimeout = httpTimeout
        self.maximumConcurrentDeliveries = maximumConcurrentDeliveries
    }
}
