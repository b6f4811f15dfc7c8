import NimbusCore
package import NimbusWire

extension LogsService {
    /// The most a page of `GetLogEvents` or `FilterLogEvents` carries: 1 MB of events (message
    /// bytes plus 26 per event, as `PutLogEvents` counts them).
    static let maximumPageBytes = 1_048_576

    /// Stores a batch in an existing stream. Events too new, too old or older than the group's
    /// retention are skipped and reported in `rejectedLogEventsInfo`; sequence tokens are
    /// accepted and ignored, as AWS does since 2023.
    /// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
    package func putLogEvents(_ input: LogsShapes.PutLogEventsRequest, context: RequestContext) async throws -> LogsShapes.PutLogEventsResponse {
        try LogNames.validateGroup(input.logGroupName)
        try LogNames.validateStream(input.logStreamName)
        let now = nowMilliseconds()
        guard let group = try await logs.groupSummary(named: input.logGroupName) else { throw AWSError.logGroupNotFound }
        let batch = try LogEventBatch(input.logEvents.map { ($0.timestamp, $0.message) }, now: now, retentionInDays: group.retentionInDays)
        let accepted = input.logEvents[batch.accepted].map { LogEvent(timestamp: $0.timestamp, message: $0.message) }
        var last = LogStore.EventPosition(timestamp: now, sequence: 0)
        if accepted.isEmpty {
            guard try await logs.stream(named: input.logStreamName, groupID: group.id) != nil else { throw AWSError.logStreamNotFound }
        } else {
            do {
                last.sequence = try await logs.append(accepted, group: input.logGroupName, stream: input.logStreamName, now: now, create: false)
            } catch LogStore.AppendFailure.noGroup {
                throw AWSError.logGroupNotFound
            } catch LogStore.AppendFailure.noStream {
                throw AWSError.logStreamNotFound
            }
        }
        return .init(nextSequenceToken: EventDigits.text(last), rejectedLogEventsInfo: batch.rejected)
    }

    /// Reads one stream in (timestamp, ingestion) order, a page at a time, with AWS's tokens:
    /// without a token it starts at the head (`startFromHead`) or, by default, returns the
    /// latest events; `nextForwardToken` reads on after the page and comes back unchanged when
    /// there is nothing newer, `nextBackwardToken` reads the page before. `startTime` is
    /// inclusive, `endTime` exclusive.
    /// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
    package func getLogEvents(_ input: LogsShapes.GetLogEventsRequest, context: RequestContext) async throws -> LogsShapes.GetLogEventsResponse {
        let limit = try Self.limit(input.limit, in: 1...10_000, default: 10_000)
        try LogNames.validateStream(input.logStreamName)
        let token = try input.nextToken.map(StreamToken.init(parsing:))
        let group = try await existingGroup(name: input.logGroupName, identifier: input.logGroupIdentifier)
        guard let stream = try await logs.stream(named: input.logStreamName, groupID: group.id) else { throw AWSError.logStreamNotFound }
        let direction: LogStore.Direction
        let position: LogStore.EventPosition
        switch token {
        case .forward(let after):
            direction = .forward(after: after)
            position = after
        case .backward(let before):
            direction = .backward(before: before)
            position = before
        case nil:
            direction = input.startFromHead == true ? .forward(after: nil) : .backward(before: nil)
            position = .start
        }
        var events = try await logs.streamEvents(
            streamID: stream.id,
            streamName: stream.name,
            direction: direction,
            startTime: input.startTime,
            endTime: input.endTime,
            limit: limit
        )
        if case .backward = direction {
            // The page nearest the position is the one kept.
            events = Array(Self.withinPageBytes(events.reversed()).reversed())
        } else {
            events = Self.withinPageBytes(events)
        }
        let forward = events.last.map { LogStore.EventPosition(timestamp: $0.timestamp, sequence: $0.sequence) } ?? position
        let backward = events.first.map { LogStore.EventPosition(timestamp: $0.timestamp, sequence: $0.sequence) } ?? position
        return .init(
            events: events.map { .init(ingestionTime: $0.ingestionTime, message: $0.message, timestamp: $0.timestamp) },
            nextBackwardToken: StreamToken.backward(backward).text,
            nextForwardToken: StreamToken.forward(forward).text
        )
    }

    /// The leading events of `events` that fit in one page (at least one).
    static func withinPageBytes<C: Collection>(_ events: C) -> [LogStore.Event] where C.Element == LogStore.Event {
        var total = 0
        var kept: [LogStore.Event] = []
        for event in events {
            total += event.message.utf8.count + LogEventBatch.eventOverhead
            if total > maximumPageBytes, !kept.isEmpty { break }
            kept.append(event)
        }
        return kept
    }
}
