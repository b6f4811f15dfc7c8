import NimbusCore

/// Long polling: a receive that finds nothing waits on a `WakeSignal` until a message is
/// published to its queue (or one becomes visible), then tries again. The publisher signals
/// the waiter directly, so the woken receive resumes on its own executor with no hop through
/// this actor. Wake-ups are in-process: no polling.
extension QueueEngine {
    /// A registered long poll.
    struct Waiter: Sendable {
        let id: UInt64
        let signal: WakeSignal
    }

    /// Whether a waiter was woken already (each wake goes to a different waiter).
    struct WaiterEntry {
        let signal: WakeSignal
        var signalled = false
    }

    func newWaiter(queue: Int64) -> Waiter {
        lastWaiterID += 1
        let waiter = Waiter(id: lastWaiterID, signal: WakeSignal())
        waiters[queue, default: [:]][waiter.id] = WaiterEntry(signal: waiter.signal)
        return waiter
    }

    /// Forgets a waiter whose wait has ended.
    func endWait(_ waiter: UInt64, queue: Int64) {
        waiters[queue]?.removeValue(forKey: waiter)
        if waiters[queue]?.isEmpty == true { waiters[queue] = nil }
    }

    /// Wakes up to `count` waiters of `queue`, longest waiting first; each tries its receive again.
    func wake(_ queue: Int64, count: Int = .max) {
        guard let entries = waiters[queue] else { return }
        var woken = 0
        for id in entries.keys.sorted() where !entries[id]!.signalled {
            guard woken < count else { break }
            woken += 1
            entries[id]!.signal.signal()
            waiters[queue]?[id]?.signalled = true
        }
    }
}
