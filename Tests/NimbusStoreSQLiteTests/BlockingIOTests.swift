import Dispatch
import Synchronization
import Testing

@testable import NimbusStoreSQLite

/// Counts jobs that started; releases them all once `target` have.
private final class Rendezvous: Sendable {
    let target: Int
    private let started = Mutex(0)
    private let allRunning = DispatchSemaphore(value: 0)

    init(target: Int) { self.target = target }

    /// Blocks until `target` jobs are inside at once (true), or 10 s passed (false).
    func arrive() -> Bool {
        let count = started.withLock { count -> Int in
            count += 1
            return count
        }
        if count == target {
            for _ in 0..<target { allRunning.signal() }
        }
        return allRunning.wait(timeout: .now() + 10) == .success
    }
}

private struct Failure: Error {}

@Suite struct BlockingIOTests {
    /// Sixteen jobs that each block until all sixteen are running at once: on the cooperative
    /// pool (one thread per core) they could not all run; on BlockingIO's threads they do.
    @Test func blockingJobsRunInParallelBeyondTheCoreCount() async throws {
        let rendezvous = Rendezvous(target: 16)
        let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<rendezvous.target {
                group.addTask { try await BlockingIO.shared.run { rendezvous.arrive() } }
            }
            var all: [Bool] = []
            for try await outcome in group { all.append(outcome) }
            return all
        }
        #expect(outcomes == Array(repeating: true, count: rendezvous.target))
    }

    @Test func errorsComeBackToTheCaller() async {
        var caught = false
        do {
            _ = try await BlockingIO.shared.run { () throws -> Int in throw Failure() }
        } catch is Failure {
            caught = true
        } catch {}
        #expect(caught)
    }
}
