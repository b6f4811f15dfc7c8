import Foundation

/// Ends instances that outlive a deadline (an invocation's timeout, the Init phase's limit).
///
/// One thread watches every deadline of an invoker. It sleeps until the earliest one and is
/// woken only when a new deadline comes before that, so arming and disarming a deadline per
/// invocation costs a lock, not a timer or a task: with equal timeouts, each new deadline lies
/// after the ones already set. The thread starts with the first deadline and ends on `stop()`.
final class DeadlineWatch: @unchecked Sendable {
    /// A deadline that was armed; disarm it with the same token.
    struct Token: Hashable, Sendable {
        fileprivate let value: UInt64
    }

    private struct Entry {
        var deadline: ContinuousClock.Instant
        var expire: @Sendable () -> Void
    }

    // All state below is guarded by `condition`'s lock.
    private let condition = NSCondition()
    private var entries: [Token: Entry] = [:]
    private var nextToken: UInt64 = 0
    /// When the watching thread will wake by itself; `nil` while it waits for a first deadline.
    private var wakesAt: ContinuousClock.Instant?
    private var started = false
    private var stopped = false

    /// Calls `expire` once `deadline` has passed, unless `disarm` comes first.
    func arm(at deadline: ContinuousClock.Instant, expire: @escaping @Sendable () -> Void) -> Token {
        condition.lock()
        defer { condition.unlock() }
        nextToken += 1
        let token = Token(value: nextToken)
        entries[token] = Entry(deadline: deadline, expire: expire)
        if !started {
            started = true
            Thread.detachNewThread { [self] in watch() }
        } else if wakesAt.map({ deadline < $0 }) ?? true {
            condition.signal()
        }
        return token
    }

    /// Forgets the deadline; its `expire` will not be called (unless it is running already).
    func disarm(_ token: Token) {
        condition.lock()
        entries[token] = nil
        condition.unlock()
    }

    /// Ends the watching thread; deadlines armed later never expire.
    func stop() {
        condition.lock()
        stopped = true
        entries = [:]
        condition.signal()
        condition.unlock()
    }

    private func watch() {
        condition.lock()
        while !stopped {
            let now = ContinuousClock.now
            let expired = entries.filter { $0.value.deadline <= now }
            if !expired.isEmpty {
                for token in expired.keys { entries[token] = nil }
                condition.unlock()
                for entry in expired.values { entry.expire() }
                condition.lock()
                continue
            }
            wakesAt = entries.values.map(\.deadline).min()
            if let wakesAt {
                _ = condition.wait(until: Date(timeIntervalSinceNow: (wakesAt - now).seconds))
            } else {
                condition.wait()
            }
            wakesAt = nil
        }
        condition.unlock()
    }
}
