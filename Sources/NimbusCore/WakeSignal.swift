import Synchronization

/// Wakes a waiting loop early: `wait(upTo:)` returns after the duration or at the first
/// `signal()`, whichever comes first. A signal with no waiter is kept for the next wait; a wait
/// that ended by its time or by cancellation leaves nothing behind for the next one.
///
/// Background workers (the async invocation queue, event source pollers, S3 notifications and
/// lifecycle, SNS deliveries) sleep on one of these and are signalled when work is written.
package final class WakeSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Void, Never>?
        var generation = 0
        /// A wait whose time ran out (or that was cancelled) before it started waiting.
        var ended: Int?
    }

    private let state = Mutex(State())

    package init() {}

    /// Wakes the waiter, or the next one to wait.
    package func signal() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.pending = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns at the first signal (or at once if one is pending), after `limit`, or when the task is cancelled.
    package func wait(upTo limit: Duration) async {
        let generation = state.withLock { state -> Int? in
            if state.pending {
                state.pending = false
                return nil
            }
            state.generation += 1
            return state.generation
        }
        guard let generation else { return }
        let timer = Task {
            try await Task.sleep(for: limit)
            self.resume(generation)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    guard state.generation == generation, !state.pending, state.ended != generation else {
                        state.pending = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            self.resume(generation)
        }
        timer.cancel()
    }

    /// Ends the wait of `generation` if it is still waiting.
    private func resume(_ generation: Int) {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard state.generation == generation else { return nil }
            guard let waiter = state.waiter else {
                state.ended = generation
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }
}
