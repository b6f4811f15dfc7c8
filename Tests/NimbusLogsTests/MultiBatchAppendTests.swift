import NimbusCore
import Testing

@testable import NimbusLogs

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
