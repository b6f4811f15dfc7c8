import Foundation
import Synchronization

/// Bounds how many instances start at once. Starting an instance is CPU-heavy (an interpreter
/// loads, a handler module imports its libraries): a burst of 64 at once on a 2-core machine
/// makes every one of them slow, past the 10 s Init limit, where a few at a time all finish in
/// their normal time and later invocations reuse them. Waiters are served in arrival order.
final class LaunchGate: Sendable {
    private struct State {
        var available: Int
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state: Mutex<State>

    /// Two launches per core, at least two.
    init(width: Int = max(2, ProcessInfo.processInfo.activeProcessorCount * 2)) {
        state = Mutex(State(available: width))
    }

    func enter() async {
        await withCheckedContinuation { continuation in
            let admitted = state.withLock { state -> Bool in
                guard state.available > 0 else {
                    state.waiters.append(continuation)
                    return false
                }
                state.available -= 1
                return true
            }
            if admitted { continuation.resume() }
        }
    }

    func leave() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard !state.waiters.isEmpty else {
                state.available += 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
