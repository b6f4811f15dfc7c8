import NimbusCore
import Synchronization

/// The state of event source mapping polling: what each mapping's poller last saw, and the
/// signal that makes the supervising loop look at the mappings again at once after a change.
final class EventSourcePollers: Sendable {
    /// Batches of one mapping processed at once unless its `ScalingConfig` says otherwise
    /// (AWS starts with five and scales with the backlog; this machine's cores are the limit).
    static let defaultConcurrency = 5

    let changes = WakeSignal()
    private let results = Mutex<[String: String]>([:])

    func wake() { changes.signal() }

    func lastResult(of uuid: String) -> String? {
        results.withLock { $0[uuid] }
    }

    func record(_ result: String, of uuid: String) {
        results.withLock { $0[uuid] = result }
    }
}

extension EventSourcePollers {
    /// The most workers a mapping without `ScalingConfig` or reserved concurrency grows to.
    static let maximumConcurrency = 1000
}

/// How many workers one mapping runs, and whether its batches say there is a backlog.
final class WorkerScale: Sendable {
    private struct State {
        var active = 0
        var batches = 0
        var fullBatches = 0
    }

    private let baseline: Int
    private let state = Mutex(State())

    init(baseline: Int) {
        self.baseline = baseline
    }

    /// Counts a new worker; `false` when `ceiling` workers run already.
    func join(ceiling: Int) -> Bool {
        state.withLock { state in
            guard state.active < ceiling else { return false }
            state.active += 1
            return true
        }
    }

    func leave() {
        state.withLock { $0.active -= 1 }
    }

    /// Stops counting a worker that found the queue empty, if it is one above the baseline;
    /// `false` (and still counted) otherwise.
    func leaveIfIdle() -> Bool {
        state.withLock { state in
            guard state.active > baseline else { return false }
            state.active -= 1
            return true
        }
    }

    func record(full: Bool) {
        state.withLock { state in
            state.batches += 1
            if full { state.fullBatches += 1 }
        }
    }

    /// Whether every batch since the last look was full (and there was one); starts a new period.
    func backlogged() -> Bool {
        state.withLock { state in
            defer {
                state.batches = 0
                state.fullBatches = 0
            }
            return state.batches > 0 && state.fullBatches == state.batches
        }
    }
}
