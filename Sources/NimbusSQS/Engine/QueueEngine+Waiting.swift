/// Long polling: a receive that finds nothing waits here until a message is published to its
/// queue (or one becomes visible), then tries again. Wake-ups are in-process: no polling.
extension QueueEngine {
    struct Waiter: Sendable {
        var continuation: CheckedContinuation<Void, Never>?
        var signalled = false
    }

    func newWaiter(queue: Int64) -> UInt64 {
        lastWaiterID += 1
        waiters[queue, default: [:]][lastWaiterID] = Waiter()
        return lastWaiterID
    }

    /// Suspends until the queue is woken or `endWait` is called; returns at once if either
    /// already happened.
    func wait(_ waiter: UInt64, queue: Int64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            guard let entry = waiters[queue]?[waiter], !entry.signalled else {
                continuation.resume()
                return
            }
            waiters[queue]?[waiter]?.continuation = continuation
        }
    }

    /// Removes a waiter, resuming it if it is suspended.
    func endWait(_ waiter: UInt64, queue: Int64) {
        guard let entry = waiters[queue]?.removeValue(forKey: waiter) else { return }
        if waiters[queue]?.isEmpty == true { waiters[queue] = nil }
        entry.continuation?.resume()
    }

    /// Wakes up to `count` waiters of `queue`, longest waiting first; each tries its receive again.
    func wake(_ queue: Int64, count: Int = .max) {
        guard let entries = waiters[queue] else { return }
        var woken = 0
        for id in entries.keys.sorted() where !entries[id]!.signalled {
            guard woken < count else { break }
            woken += 1
            entries[id]!.continuation?.resume()
            waiters[queue]?[id] = Waiter(continuation: nil, signalled: true)
        }
    }
}
