import NimbusCore
import Synchronization

/// The state of asynchronous invocation: the durable queue, the events running now, and the
/// signal that wakes the loop running them when an event arrives or one ends.
final class AsyncInvocations: Sendable {
    /// Queued events running at once, across all functions (each still needs a concurrency permit).
    static let concurrency = 64
    /// How long a throttled event waits before it is tried again (not counted as an attempt).
    static let throttleDelay = 1.0

    let events: AsyncEventStore
    let retryBaseDelay: Double
    let wake = WakeSignal()
    private let running = Mutex<Set<String>>([])

    init(events: AsyncEventStore, retryBaseDelay: Double) {
        self.events = events
        self.retryBaseDelay = retryBaseDelay
    }

    var runningIDs: Set<String> { running.withLock { $0 } }

    /// Marks `id` running; `false` when it already is.
    func start(_ id: String) -> Bool {
        running.withLock { $0.insert(id).inserted }
    }

    func finish(_ id: String) {
        _ = running.withLock { $0.remove(id) }
        wake.signal()
    }

    /// The delay before retry `attempt` (1-based): the base, then twice it.
    func retryDelay(after attempt: Int) -> Double {
        retryBaseDelay * Double(1 << max(attempt - 1, 0))
    }
}
