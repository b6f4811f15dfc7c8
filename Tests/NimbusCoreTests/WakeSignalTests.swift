import NimbusCore
import Synchronization
import Testing

@Suite struct WakeSignalTests {
    @Test func aSignalWithNoWaiterEndsTheNextWaitAtOnce() async {
        let wake = WakeSignal()
        wake.signal()
        // Would take the whole hour without the kept signal.
        await wake.wait(upTo: .seconds(3600))
    }

    @Test func aSignalWakesAWaiter() async {
        let wake = WakeSignal()
        let returned = Flag()
        let waiter = Task {
            await wake.wait(upTo: .seconds(3600))
            returned.set()
        }
        try? await Task.sleep(for: .milliseconds(50))
        #expect(!returned.isSet)
        wake.signal()
        await waiter.value
        #expect(returned.isSet)
    }

    /// The timer of a wait that timed out must not count as a signal for the next wait.
    @Test func aTimedOutWaitLeavesNoSignalBehind() async {
        let wake = WakeSignal()
        await wake.wait(upTo: .milliseconds(10))
        let returned = Flag()
        let waiter = Task {
            await wake.wait(upTo: .seconds(3600))
            returned.set()
        }
        try? await Task.sleep(for: .milliseconds(100))
        #expect(!returned.isSet)
        wake.signal()
        await waiter.value
    }

    @Test func cancellingTheWaitingTaskEndsTheWait() async {
        let wake = WakeSignal()
        let waiter = Task { await wake.wait(upTo: .seconds(3600)) }
        try? await Task.sleep(for: .milliseconds(20))
        waiter.cancel()
        await waiter.value
    }
}

/// Set once by a task, read by the test.
private final class Flag: Sendable {
    private let value = Atomic(false)
    var isSet: Bool { value.load(ordering: .sequentiallyConsistent) }
    func set() { value.store(true, ordering: .sequentiallyConsistent) }
}
