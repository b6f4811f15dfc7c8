import Synchronization
import Testing

@testable import NimbusLambda

@Suite struct DeadlineWatchTests {
    /// Records which deadlines expired.
    private final class Expirations: Sendable {
        let names = Mutex<[String]>([])
        func record(_ name: String) -> @Sendable () -> Void { { self.names.withLock { $0.append(name) } } }
    }

    @Test func expiresInDeadlineOrderAndNeverWhenDisarmed() async throws {
        let watch = DeadlineWatch()
        defer { watch.stop() }
        let expirations = Expirations()
        let start = ContinuousClock.now
        let earlyExpired = Mutex<Duration?>(nil)
        _ = watch.arm(at: start + .seconds(3), expire: expirations.record("late"))
        // Far enough from `early` that a descheduled test thread still disarms it in time.
        let disarmed = watch.arm(at: start + .seconds(1), expire: expirations.record("disarmed"))
        // Earlier than the deadline the thread sleeps towards: it must be woken for it.
        let recordEarly = expirations.record("early")
        _ = watch.arm(at: start + .milliseconds(20)) {
            earlyExpired.withLock { $0 = ContinuousClock.now - start }
            recordEarly()
        }
        watch.disarm(disarmed)
        // The order is the watch's own record, whenever this (possibly descheduled) task looks.
        try await waitUntil { expirations.names.withLock { $0 }.count == 2 }
        #expect(expirations.names.withLock { $0 } == ["early", "late"])
        // Woken for it: well before the second deadline it had been sleeping towards.
        let early = try #require(earlyExpired.withLock { $0 })
        #expect(early >= .milliseconds(20) && early < .seconds(1), "early expired after \(early)")
    }

    private func waitUntil(_ condition: () -> Bool) async throws {
        for _ in 0..<500 where !condition() { try await Task.sleep(for: .milliseconds(10)) }
    }

    @Test func aDeadlineInThePastExpiresAtOnce() async throws {
        let watch = DeadlineWatch()
        defer { watch.stop() }
        let expirations = Expirations()
        _ = watch.arm(at: .now - .seconds(1), expire: expirations.record("past"))
        try await waitUntil { !expirations.names.withLock { $0 }.isEmpty }
        #expect(expirations.names.withLock { $0 } == ["past"])
    }

    @Test func stopEndsTheWatchAndForgetsDeadlines() async throws {
        let watch = DeadlineWatch()
        let expirations = Expirations()
        _ = watch.arm(at: .now + .milliseconds(300), expire: expirations.record("forgotten"))
        watch.stop()
        try await Task.sleep(for: .milliseconds(600))
        #expect(expirations.names.withLock { $0 }.isEmpty)
    }
}
