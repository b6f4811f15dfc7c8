import NimbusStore
import Synchronization
import Testing

@Suite struct GroupCommitTests {
    struct Failure: Error, Equatable {}

    @Test func concurrentSubmitsShareWritesAndEachGetsItsOwnOutcome() async throws {
        let writes = Mutex<[[Int]]>([])
        let commit = GroupCommit<Int, Int> { requests in
            writes.withLock { $0.append(requests) }
            try await Task.sleep(for: .milliseconds(20))
            return requests.map { $0 * 10 }
        }
        let outcomes = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for request in 0..<50 {
                group.addTask { (request, try await commit.submit(request)) }
            }
            return try await group.reduce(into: [:]) { $0[$1.0] = $1.1 }
        }
        #expect(outcomes == Dictionary(uniqueKeysWithValues: (0..<50).map { ($0, $0 * 10) }))
        let rounds = writes.withLock { $0 }
        #expect(rounds.flatMap { $0 }.sorted() == Array(0..<50), "every request is written exactly once")
        #expect(rounds.count < 50, "requests that arrive during a write share the next one")
    }

    @Test func aFailedWriteFailsItsRequestsOnlyAndTheNextWriteGoesAhead() async throws {
        let calls = Mutex(0)
        let commit = GroupCommit<String, String> { requests in
            let call = calls.withLock { calls in
                calls += 1
                return calls
            }
            if call == 1 { throw Failure() }
            return requests
        }
        await #expect(throws: Failure.self) { try await commit.submit("first") }
        #expect(try await commit.submit("second") == "second")
    }
}
