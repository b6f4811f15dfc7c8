import NimbusCore
import Synchronization
import Testing

@testable import NimbusLogs

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

@Suite struct MultiBatchAppendTests {
    @Test func batchesOfSeveralGroupsAndStreamsInOneTransaction() async throws {
        try await withLogs { service, _ in
            let batch = { (group: String, stream: String, messages: [String], at: Int64) in
                LogStore.Batch(events: messages.map { LogEvent(timestamp: at, message: $0) }, key: .init(group: group, stream: stream))
            }
            let lasts = try await service.logs.append(
                [
                    batch("/a", "one", ["a1", "a2"], 50), batch("/b", "one", ["b1"], 60), batch("/a", "two", [], 0),
                    batch("/a", "one", ["a3"], 10),
                ],
                now: 100,
                create: true
            )
            #expect(lasts == [2, 1, 0, 3])
            let a = try #require(try await service.logs.group(named: "/a"))
            let stream = try #require(try await service.logs.stream(named: "one", groupID: a.id))
            #expect(stream.firstEventTimestamp == 10 && stream.lastEventTimestamp == 50 && stream.lastIngestionTime == 100)
            #expect(stream.storedBytes == 6)
            #expect(try await service.logs.stream(named: "two", groupID: a.id) == nil, "an empty batch creates nothing")
            let events = try await service.logs.groupEvents(groupID: a.id, filter: .init(), afterSequence: 0, limit: 10)
            #expect(events.map(\.message) == ["a1", "a2", "a3"])
        }
    }
}
