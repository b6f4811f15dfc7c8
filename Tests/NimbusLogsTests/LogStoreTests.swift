import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import Testing

@testable import NimbusLogs

/// Runs `body` with a `LogsService` on a fresh SQLite store under a test clock.
func withLogs<T>(
    clock: TestWallClock = TestWallClock(),
    _ body: (LogsService, TestWallClock) async throws -> T
) async throws -> T {
    try await TemporaryDirectory.with { directory in
        let store = try SQLiteStore(path: directory.path + "/db.sqlite")
        let service = try await LogsService(store: store, clock: clock)
        let result = try await body(service, clock)
        try await store.close()
        return result
    }
}

@Suite struct LogStoreTests {
    @Test func appendCreatesGroupAndStreamOnFirstUseAndKeepsStreamMetadata() async throws {
        try await withLogs { service, clock in
            let now = Int64(clock.now() * 1000)
            try await service.append(
                [LogEvent(timestamp: now - 50, message: "START"), LogEvent(timestamp: now - 10, message: "héllo")],
                group: "/aws/lambda/f",
                stream: "s"
            )
            clock.advance(by: 2)
            try await service.append([LogEvent(timestamp: now - 100, message: "late")], group: "/aws/lambda/f", stream: "s")

            let group = try #require(try await service.logs.group(named: "/aws/lambda/f"))
            #expect(group.logGroupClass == "STANDARD")
            #expect(group.storedBytes == Int64("START".utf8.count + "héllo".utf8.count + "late".utf8.count))
            let stream = try #require(try await service.logs.stream(named: "s", groupID: group.id))
            #expect(stream.firstEventTimestamp == now - 100)
            #expect(stream.lastEventTimestamp == now - 10)
            #expect(stream.lastIngestionTime == now + 2000)
            #expect(stream.storedBytes == group.storedBytes)
        }
    }

    @Test func sequencesAreConsecutiveAcrossBatchesAndStreamsOfAGroup() async throws {
        try await withLogs { service, _ in
            let t: Int64 = 1_000
            let first = try await service.logs.append(
                (0..<3).map { LogEvent(timestamp: t, message: "a\($0)") },
                group: "/g",
                stream: "a",
                now: t,
                create: true
            )
            let second = try await service.logs.append([LogEvent(timestamp: t, message: "b")], group: "/g", stream: "b", now: t, create: true)
            let other = try await service.logs.append([LogEvent(timestamp: t, message: "x")], group: "/other", stream: "a", now: t, create: true)
            #expect((first, second, other) == (3, 4, 1))
            let group = try #require(try await service.logs.groupSummary(named: "/g"))
            let events = try await service.logs.groupEvents(groupID: group.id, filter: .init(), afterSequence: 0, limit: 100)
            #expect(events.map(\.sequence) == [1, 2, 3, 4])
            #expect(events.map(\.streamName) == ["a", "a", "a", "b"])
        }
    }

    @Test func batchesLargerThanOneInsertStatementAreStoredWhole() async throws {
        try await withLogs { service, _ in
            let count = LogStore.rowsPerInsert * 2 + 17
            try await service.append((0..<count).map { LogEvent(timestamp: Int64($0), message: "line \($0)") }, group: "/g", stream: "s")
            let group = try #require(try await service.logs.groupSummary(named: "/g"))
            let events = try await service.logs.groupEvents(groupID: group.id, filter: .init(), afterSequence: 0, limit: 10_000)
            #expect(events.count == count)
            #expect(events.last?.message == "line \(count - 1)")
            #expect(try await service.logs.lastSequence(groupID: group.id) == Int64(count))
        }
    }

    @Test func appendingToADeletedStreamRecreatesItInsteadOfOrphaningEvents() async throws {
        try await withLogs { service, _ in
            try await service.append([LogEvent(timestamp: 1, message: "one")], group: "/g", stream: "s")
            let group = try #require(try await service.logs.groupSummary(named: "/g"))
            #expect(try await service.logs.deleteStream(named: "s", groupID: group.id, groupName: "/g"))
            try await service.append([LogEvent(timestamp: 2, message: "two")], group: "/g", stream: "s")
            let events = try await service.logs.groupEvents(groupID: group.id, filter: .init(), afterSequence: 0, limit: 10)
            #expect(events.map(\.message) == ["two"])

            #expect(try await service.logs.deleteGroup(named: "/g"))
            try await service.append([LogEvent(timestamp: 3, message: "three")], group: "/g", stream: "s")
            let recreated = try #require(try await service.logs.groupSummary(named: "/g"))
            #expect(recreated.id != group.id)
            let again = try await service.logs.groupEvents(groupID: recreated.id, filter: .init(), afterSequence: 0, limit: 10)
            #expect(again.map(\.message) == ["three"])
            #expect(again.map(\.sequence) == [1])
        }
    }

    @Test func appendWithoutCreateNamesWhatIsMissing() async throws {
        try await withLogs { service, _ in
            await #expect(throws: LogStore.AppendFailure.noGroup) {
                try await service.logs.append([LogEvent(timestamp: 1, message: "x")], group: "/g", stream: "s", now: 1, create: false)
            }
            try await service.append([LogEvent(timestamp: 1, message: "x")], group: "/g", stream: "other")
            await #expect(throws: LogStore.AppendFailure.noStream) {
                try await service.logs.append([LogEvent(timestamp: 1, message: "x")], group: "/g", stream: "s", now: 1, create: false)
            }
        }
    }

    @Test func concurrentAppendersGetUniqueGaplessSequences() async throws {
        try await withLogs { service, _ in
            let writers = 8
            let batches = 10
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        for batch in 0..<batches {
                            try await service.append(
                                [
                                    LogEvent(timestamp: 5, message: "w\(writer) b\(batch) 0"),
                                    LogEvent(timestamp: 5, message: "w\(writer) b\(batch) 1"),
                                ],
                                group: "/g",
                                stream: "instance-\(writer)"
                            )
                        }
                    }
                }
                try await group.waitForAll()
            }
            let group = try #require(try await service.logs.groupSummary(named: "/g"))
            let events = try await service.logs.groupEvents(groupID: group.id, filter: .init(), afterSequence: 0, limit: 10_000)
            #expect(events.map(\.sequence) == Array(1...Int64(writers * batches * 2)))
            // Each batch's events are consecutive: a batch is one transaction.
            for pair in stride(from: 0, to: events.count, by: 2) {
                #expect(events[pair].message.dropLast() == events[pair + 1].message.dropLast())
            }
        }
    }

    @Test func timeOrderInterleavesStreamsAndBreaksTiesByIngestion() async throws {
        try await withLogs { service, _ in
            try await service.append([LogEvent(timestamp: 10, message: "a10"), LogEvent(timestamp: 30, message: "a30")], group: "/g", stream: "a")
            try await service.append([LogEvent(timestamp: 20, message: "b20"), LogEvent(timestamp: 30, message: "b30")], group: "/g", stream: "b")
            let group = try #require(try await service.logs.groupSummary(named: "/g"))
            let events = try await service.logs.groupEvents(groupID: group.id, filter: .init(), after: nil, limit: 10)
            #expect(events.map(\.message) == ["a10", "b20", "a30", "b30"])
            let rest = try await service.logs.groupEvents(groupID: group.id, filter: .init(), after: .init(timestamp: 30, sequence: 2), limit: 10)
            #expect(rest.map(\.message) == ["b30"])
        }
    }
}
