import NimbusCore
import NimbusTesting
import NimbusWire
import Testing

@testable import NimbusLogs

/// A service with group `/g` and stream `s`, and the clock's time in ms.
func withStream<T>(_ body: (LogsService, TestWallClock, Int64) async throws -> T) async throws -> T {
    try await withLogs { service, clock in
        try await service.createLogGroup(.init(logGroupName: "/g"), context: context)
        try await service.createLogStream(.init(logGroupName: "/g", logStreamName: "s"), context: context)
        return try await body(service, clock, Int64(clock.now() * 1000))
    }
}

func put(_ service: LogsService, _ events: [(Int64, String)], stream: String = "s") async throws -> LogsShapes.PutLogEventsResponse {
    try await service.putLogEvents(
        .init(logEvents: events.map { .init(message: $0.1, timestamp: $0.0) }, logGroupName: "/g", logStreamName: stream),
        context: context
    )
}

@Suite struct PutLogEventsTests {
    @Test func storesTheBatchAndReportsNothingRejected() async throws {
        try await withStream { service, _, now in
            let response = try await put(service, [(now - 5, "one"), (now - 5, "two"), (now, "three")])
            #expect(response.rejectedLogEventsInfo == nil)
            #expect(response.nextSequenceToken?.count == 56)
            let events = try await service.getLogEvents(.init(logGroupName: "/g", logStreamName: "s", startFromHead: true), context: context)
            #expect(events.events?.map(\.message) == ["one", "two", "three"])
            #expect(events.events?.allSatisfy { $0.ingestionTime == now } == true)
        }
    }

    @Test func skipsTooOldAndTooNewEventsAndSaysWhich() async throws {
        try await withStream { service, _, now in
            let hour: Int64 = 3_600_000
            let fortnight: Int64 = 14 * 86_400_000
            let old = try await put(service, [(now - fortnight - hour, "old"), (now - fortnight - 1, "old too"), (now - fortnight + hour, "kept")])
            #expect(old.rejectedLogEventsInfo == .init(tooOldLogEventEndIndex: 1))
            let new = try await put(service, [(now, "ok"), (now + 2 * hour, "edge ok"), (now + 2 * hour + 1, "new")])
            #expect(new.rejectedLogEventsInfo == .init(tooNewLogEventStartIndex: 2))
            let events = try await service.getLogEvents(.init(logGroupName: "/g", logStreamName: "s", startFromHead: true), context: context)
            #expect(events.events?.map(\.message) == ["kept", "ok", "edge ok"])
        }
    }

    @Test func refusesWhatAWSRefuses() async throws {
        try await withStream { service, _, now in
            func code(_ events: [(Int64, String)], stream: String = "s") async -> String? {
                await awsError { _ = try await put(service, events, stream: stream) }?.code
            }
            #expect(await code([(now, "b"), (now - 1, "a")]) == "InvalidParameterException")
            #expect(await code([]) == "InvalidParameterException")
            #expect(await code([(now, "")]) == "InvalidParameterException")
            #expect(await code((0..<10_001).map { _ in (now, "x") }) == "InvalidParameterException")
            #expect(await code([(now - 25 * 3_600_000, "a"), (now, "b")]) == "InvalidParameterException")
            // 1,048,576 bytes counts 26 bytes per event on top of the messages.
            let fits = String(repeating: "x", count: 1_048_576 - 26)
            #expect(await code([(now, fits)]) == nil)
            #expect(await code([(now, fits + "y")]) == "InvalidParameterException")
            let half = String(repeating: "x", count: 524_288 - 26)
            #expect(await code([(now, half), (now, half + "y")]) == "InvalidParameterException")
            let missing = await awsError { _ = try await put(service, [(now, "x")], stream: "nope") }
            #expect(missing?.code == "ResourceNotFoundException" && missing?.message == "The specified log stream does not exist.")
        }
    }

    @Test func batchRules() throws {
        let now: Int64 = 100 * 86_400_000
        let hour: Int64 = 3_600_000
        let batch = try LogEventBatch(
            [(now - 86_400_000 - hour / 2, "a"), (now - 86_400_000 - 1, "b"), (now - hour, "c")],
            now: now,
            retentionInDays: 1
        )
        #expect(batch.accepted == 2..<3)
        #expect(batch.rejected == .init(expiredLogEventEndIndex: 1))
        let spanning = #expect(throws: AWSError.self) { try LogEventBatch([(now - 25 * hour, "a"), (now, "b")], now: now, retentionInDays: nil) }
        #expect(spanning?.message.contains("24 hours") == true)
        let allNew = try LogEventBatch([(now + 3 * 3_600_000, "a")], now: now, retentionInDays: nil)
        #expect(allNew.accepted.isEmpty && allNew.tooNewStartIndex == 0)
    }
}

@Suite struct GetLogEventsTests {
    @Test func tailHeadAndTokensThatComeBackUnchangedAtTheEnd() async throws {
        try await withStream { service, _, now in
            _ = try await put(service, (0..<5).map { (now + Int64($0), "e\($0)") })
            func get(_ token: String? = nil, head: Bool? = nil, limit: Int? = 2) async throws -> LogsShapes.GetLogEventsResponse {
                try await service.getLogEvents(
                    .init(limit: limit, logGroupName: "/g", logStreamName: "s", nextToken: token, startFromHead: head),
                    context: context
                )
            }
            // Default: the latest events, ascending.
            let tail = try await get()
            #expect(tail.events?.map(\.message) == ["e3", "e4"])
            let head = try await get(head: true)
            #expect(head.events?.map(\.message) == ["e0", "e1"])
            let forward = try #require(head.nextForwardToken)
            #expect(forward.hasPrefix("f/") && forward.hasSuffix("/s"))
            #expect(try await get(forward).events?.map(\.message) == ["e2", "e3"])

            let end = try #require(tail.nextForwardToken)
            let atEnd = try await get(end)
            #expect(atEnd.events == [])
            #expect(atEnd.nextForwardToken == end)
            _ = try await put(service, [(now + 10, "later")])
            #expect(try await get(end).events?.map(\.message) == ["later"])

            let backward = try #require(tail.nextBackwardToken)
            #expect(backward.hasPrefix("b/"))
            let before = try await get(backward)
            #expect(before.events?.map(\.message) == ["e1", "e2"])
            let first = try await get(try #require(before.nextBackwardToken))
            #expect(first.events?.map(\.message) == ["e0"])
            let beyond = try await get(try #require(first.nextBackwardToken))
            #expect(beyond.events == [] && beyond.nextBackwardToken == first.nextBackwardToken)

            let invalid = await awsError { _ = try await get("f/garbage/s") }
            #expect(invalid?.code == "InvalidParameterException")
        }
    }

    @Test func startTimeInclusiveEndTimeExclusive() async throws {
        try await withStream { service, _, now in
            _ = try await put(service, [(now, "a"), (now + 1, "b"), (now + 2, "c")])
            let events = try await service.getLogEvents(
                .init(endTime: now + 2, logGroupName: "/g", logStreamName: "s", startFromHead: true, startTime: now + 1),
                context: context
            )
            #expect(events.events?.map(\.message) == ["b"])
        }
    }

    @Test func missingGroupOrStream() async throws {
        try await withStream { service, _, _ in
            let noGroup = await awsError { _ = try await service.getLogEvents(.init(logGroupName: "/x", logStreamName: "s"), context: context) }
            #expect(noGroup?.message == "The specified log group does not exist.")
            let noStream = await awsError { _ = try await service.getLogEvents(.init(logGroupName: "/g", logStreamName: "x"), context: context) }
            #expect(noStream?.message == "The specified log stream does not exist.")
        }
    }
}

@Suite struct FilterLogEventsTests {
    func messages(_ service: LogsService, _ request: LogsShapes.FilterLogEventsRequest) async throws -> [String] {
        try await service.filterLogEvents(request, context: context).events?.compactMap(\.message) ?? []
    }

    @Test func termsPhrasesAnyOfAndExcluded() async throws {
        try await withStream { service, _, now in
            _ = try await put(service, [(now, "ERROR disk full"), (now, "WARN disk slow"), (now, "ERROR timeout after 3s"), (now, "error lower")])
            #expect(try await messages(service, .init(filterPattern: "ERROR", logGroupName: "/g")) == ["ERROR disk full", "ERROR timeout after 3s"])
            #expect(try await messages(service, .init(filterPattern: "ERROR disk", logGroupName: "/g")) == ["ERROR disk full"])
            #expect(try await messages(service, .init(filterPattern: "\"timeout after\"", logGroupName: "/g")) == ["ERROR timeout after 3s"])
            #expect(try await messages(service, .init(filterPattern: "\"after ERROR\"", logGroupName: "/g")) == [])
            #expect(
                try await messages(service, .init(filterPattern: "?WARN ?timeout", logGroupName: "/g")) == [
                    "WARN disk slow", "ERROR timeout after 3s",
                ]
            )
            #expect(try await messages(service, .init(filterPattern: "disk -ERROR", logGroupName: "/g")) == ["WARN disk slow"])
            #expect(try await messages(service, .init(filterPattern: "  ", logGroupName: "/g")).count == 4)
            for pattern in ["{ $.level = \"error\" }", "[ip, user]", "%ERR.R%"] {
                let error = await awsError { _ = try await messages(service, .init(filterPattern: pattern, logGroupName: "/g")) }
                #expect(error?.code == "InvalidParameterException")
                #expect(error?.message.contains("does not support") == true)
            }
        }
    }

    @Test func streamsTimeRangeLimitAndPages() async throws {
        try await withStream { service, _, now in
            try await service.createLogStream(.init(logGroupName: "/g", logStreamName: "t"), context: context)
            _ = try await put(service, [(now + 1, "s1"), (now + 3, "s3"), (now + 5, "s5")])
            _ = try await put(service, [(now + 2, "t2"), (now + 4, "t4")], stream: "t")
            #expect(try await messages(service, .init(logGroupName: "/g")) == ["s1", "t2", "s3", "t4", "s5"])
            #expect(try await messages(service, .init(logGroupName: "/g", logStreamNames: ["t"])) == ["t2", "t4"])
            #expect(try await messages(service, .init(logGroupName: "/g", logStreamNamePrefix: "s")) == ["s1", "s3", "s5"])
            #expect(try await messages(service, .init(logGroupName: "/g", logStreamNames: ["none"])) == [])
            #expect(try await messages(service, .init(endTime: now + 4, logGroupName: "/g", startTime: now + 2)) == ["t2", "s3", "t4"])
            let arn = "arn:aws:logs:us-east-1:000000000000:log-group:/g"
            #expect(try await messages(service, .init(logGroupIdentifier: arn)).count == 5)

            var seen: [String] = []
            var token: String? = nil
            var pages = 0
            repeat {
                let page = try await service.filterLogEvents(.init(limit: 2, logGroupName: "/g", nextToken: token), context: context)
                seen += page.events?.compactMap(\.message) ?? []
                #expect(page.events?.allSatisfy { $0.eventId?.count == 56 } == true)
                token = page.nextToken
                pages += 1
            } while token != nil
            #expect(seen == ["s1", "t2", "s3", "t4", "s5"])
            #expect(pages == 3)

            let both = await awsError { _ = try await messages(service, .init(logGroupName: "/g", logStreamNamePrefix: "s", logStreamNames: ["s"])) }
            #expect(both?.code == "InvalidParameterException")
            let neither = await awsError { _ = try await messages(service, .init()) }
            #expect(neither?.code == "InvalidParameterException")
            let missing = await awsError { _ = try await messages(service, .init(logGroupName: "/missing")) }
            #expect(missing?.code == "ResourceNotFoundException")
        }
    }

    /// The follow cursor sees every event once: many in one millisecond, and late ones with
    /// older timestamps that a timestamp-based follower would miss.
    @Test func followCursorSeesEveryEventOnceInIngestionOrder() async throws {
        try await withStream { service, _, now in
            func follow(_ cursor: String, limit: Int? = nil) async throws -> (messages: [String], next: String) {
                let page = try await service.filterLogEvents(
                    .init(limit: limit, logGroupName: "/g", nextToken: cursor, startTime: now - 60_000),
                    context: context
                )
                return (page.events?.compactMap(\.message) ?? [], try #require(page.nextToken))
            }
            var (seen, cursor) = try await follow("s/0/0")
            #expect(seen == [])
            #expect(try await follow(cursor).next == cursor)

            _ = try await put(service, (0..<5).map { (now, "same-ms \($0)") })
            let (batch, next) = try await follow(cursor, limit: 3)
            #expect(batch == ["same-ms 0", "same-ms 1", "same-ms 2"])
            (seen, cursor) = try await follow(next, limit: 3)
            #expect(seen == ["same-ms 3", "same-ms 4"])

            try await service.append([LogEvent(timestamp: now - 1_000, message: "late, older")], group: "/g", stream: "other")
            try await service.append([LogEvent(timestamp: now - 120_000, message: "before startTime")], group: "/g", stream: "other")
            (seen, cursor) = try await follow(cursor)
            #expect(seen == ["late, older"])
            #expect(try await follow(cursor).messages == [])

            // A cursor of a deleted group starts over on the group that replaced it.
            try await service.deleteLogGroup(.init(logGroupName: "/g"), context: context)
            try await service.append([LogEvent(timestamp: now, message: "reborn")], group: "/g", stream: "s")
            #expect(try await follow(cursor).messages == ["reborn"])
        }
    }
}

@Suite struct FilterPatternTests {
    @Test func parsesTermsAndPhrases() throws {
        let pattern = try FilterPattern(parsing: #" ERROR "two words" ?maybe ?"or this" -not -"nor \"this\"" "#)
        #expect(pattern.required == ["ERROR", "two words"])
        #expect(pattern.anyOf == ["maybe", "or this"])
        #expect(pattern.excluded == ["not", #"nor "this""#])
        #expect(pattern.matches("ERROR: two words, maybe"))
        #expect(!pattern.matches("ERROR: two words"))
        #expect(!pattern.matches("ERROR two words maybe not"))
        #expect(try FilterPattern(parsing: "") == .all)
    }

    @Test(arguments: ["\"open", "user:42", "{ $.a = 1 }", "[a, b]", "%regex%"])
    func refuses(_ text: String) {
        #expect(throws: AWSError.self) { try FilterPattern(parsing: text) }
    }
}

@Suite struct TokenTests {
    @Test func roundTrips() throws {
        let position = LogStore.EventPosition(timestamp: 1_767_323_045_123, sequence: 42)
        #expect(try StreamToken(parsing: StreamToken.forward(position).text) == .forward(position))
        #expect(try StreamToken(parsing: StreamToken.backward(position).text) == .backward(position))
        #expect(try FilterToken(parsing: "t/3/17/4") == .page(groupID: 3, after: .init(timestamp: 17, sequence: 4)))
        #expect(try FilterToken(parsing: "s/0/0") == .follow(groupID: 0, afterSequence: 0))
        for bad in ["", "x/1/2", "s/-1/2", "t/1/2", "f/123/s"] {
            #expect(throws: AWSError.self) { try FilterToken(parsing: bad) }
        }
        #expect(throws: AWSError.self) { try StreamToken(parsing: "f/123/s") }
    }
}
