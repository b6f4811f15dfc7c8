import NimbusCore
package import NimbusWire

extension LogsService {
    /// Searches a group's streams, interleaved in (timestamp, ingestion) order: `startTime` and
    /// `endTime` inclusive, `logStreamNames` or `logStreamNamePrefix`, a `filterPattern` of terms
    /// and phrases (see `FilterPattern`), up to `limit` events or 1 MB per page, with a `nextToken`
    /// while more events match.
    ///
    /// A `nextToken` of the form `s/<group id>/<sequence>` is Nimbus's follow cursor (see
    /// `FilterToken`): the answer holds the matching events ingested since, in ingestion order,
    /// and always the next cursor.
    /// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_FilterLogEvents.html
    package func filterLogEvents(
        _ input: LogsShapes.FilterLogEventsRequest,
        context: RequestContext
    ) async throws
        -> LogsShapes.FilterLogEventsResponse
    {
        let groupName = try LogNames.group(name: input.logGroupName, identifier: input.logGroupIdentifier)
        let limit = try Self.limit(input.limit, in: 1...10_000, default: 10_000)
        guard input.logStreamNames == nil || input.logStreamNamePrefix == nil else {
            throw AWSError.invalidParameter("logStreamNames and logStreamNamePrefix are mutually exclusive parameters.")
        }
        if let names = input.logStreamNames {
            guard (1...100).contains(names.count) else {
                throw AWSError.constraint("\(names)", at: "logStreamNames", "Member must have length between 1 and 100")
            }
            for name in names { try LogNames.validateStream(name, member: "logStreamNames") }
        }
        if let prefix = input.logStreamNamePrefix { try LogNames.validateStream(prefix, member: "logStreamNamePrefix") }
        let patternText = input.filterPattern ?? ""
        guard patternText.utf8.count <= 1024 else {
            throw AWSError.constraint(patternText, at: "filterPattern", "Member must have length less than or equal to 1024")
        }
        let pattern = try FilterPattern(parsing: patternText)
        let token = try input.nextToken.map(FilterToken.init(parsing:))
        guard let group = try await logs.groupSummary(named: groupName) else { throw AWSError.logGroupNotFound }
        var filter = LogStore.EventFilter(startTime: input.startTime, endTime: input.endTime, pattern: pattern)
        if input.logStreamNames != nil || input.logStreamNamePrefix != nil {
            filter.streamIDs = try await logs.streamIDs(groupID: group.id, names: input.logStreamNames, prefix: input.logStreamNamePrefix)
        }
        switch token {
        case .follow(let groupID, let cursor):
            let after = groupID == group.id ? cursor : 0
            // Read before the events: everything up to `known` is visible to the query below.
            let known = try await logs.lastSequence(groupID: group.id)
            let found = try await logs.groupEvents(groupID: group.id, filter: filter, afterSequence: after, limit: limit + 1)
            let page = Self.withinPageBytes(found.prefix(limit))
            let next = page.count < found.count ? page.last?.sequence ?? after : max(known, page.last?.sequence ?? after)
            return .init(
                events: page.map(Self.shape),
                nextToken: FilterToken.follow(groupID: group.id, afterSequence: next).text,
                searchedLogStreams: []
            )
        case .page(let groupID, let position):
            guard groupID == group.id else { throw AWSError.invalidNextToken }
            return try await timeOrderedPage(groupID: group.id, filter: filter, after: position, limit: limit)
        case nil:
            return try await timeOrderedPage(groupID: group.id, filter: filter, after: nil, limit: limit)
        }
    }

    private func timeOrderedPage(
        groupID: Int64,
        filter: LogStore.EventFilter,
        after position: LogStore.EventPosition?,
        limit: Int
    ) async throws
        -> LogsShapes.FilterLogEventsResponse
    {
        let found = try await logs.groupEvents(groupID: groupID, filter: filter, after: position, limit: limit + 1)
        let page = Self.withinPageBytes(found.prefix(limit))
        let next =
            page.count < found.count
            ? page.last.map { FilterToken.page(groupID: groupID, after: .init(timestamp: $0.timestamp, sequence: $0.sequence)) } : nil
        return .init(events: page.map(Self.shape), nextToken: next?.text, searchedLogStreams: [])
    }

    static func shape(_ event: LogStore.Event) -> LogsShapes.FilteredLogEvent {
        LogsShapes.FilteredLogEvent(
            eventId: EventDigits.text(.init(timestamp: event.timestamp, sequence: event.sequence)),
            ingestionTime: event.ingestionTime,
            logStreamName: event.streamName,
            message: event.message,
            timestamp: event.timestamp
        )
    }
}
