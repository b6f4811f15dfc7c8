import NimbusCore
package import NimbusWire

extension LogsService {
    /// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogStream.html
    package func createLogStream(_ input: LogsShapes.CreateLogStreamRequest, context: RequestContext) async throws {
        try LogNames.validateGroup(input.logGroupName)
        try LogNames.validateStream(input.logStreamName)
        switch try await logs.createStream(group: input.logGroupName, stream: input.logStreamName, now: nowMilliseconds()) {
        case .created: return
        case .noGroup: throw AWSError.logGroupNotFound
        case .exists: throw AWSError.logStreamExists
        }
    }

    /// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogStream.html
    package func deleteLogStream(_ input: LogsShapes.DeleteLogStreamRequest, context: RequestContext) async throws {
        try LogNames.validateGroup(input.logGroupName)
        try LogNames.validateStream(input.logStreamName)
        guard let group = try await logs.group(named: input.logGroupName) else { throw AWSError.logGroupNotFound }
        guard try await logs.deleteStream(named: input.logStreamName, groupID: group.id, groupName: group.name) else {
            throw AWSError.logStreamNotFound
        }
    }

    /// Lists a group's streams by name (the default) or by the time of their last event,
    /// ascending unless `descending`; 50 per page unless `limit`.
    /// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogStreams.html
    package func describeLogStreams(
        _ input: LogsShapes.DescribeLogStreamsRequest,
        context: RequestContext
    ) async throws
        -> LogsShapes.DescribeLogStreamsResponse
    {
        let account = context.account
        let limit = try Self.limit(input.limit, in: 1...50, default: 50)
        let order: LogStore.StreamOrder
        switch input.orderBy ?? "LogStreamName" {
        case "LogStreamName": order = .name
        case "LastEventTime": order = .lastEventTime
        case let other: throw AWSError.constraint(other, at: "orderBy", "Member must satisfy enum value set: [LogStreamName, LastEventTime]")
        }
        if let prefix = input.logStreamNamePrefix {
            try LogNames.validateStream(prefix, member: "logStreamNamePrefix")
            guard order == .name else { throw AWSError.invalidParameter("Cannot order by LastEventTime with a logStreamNamePrefix.") }
        }
        let group = try await existingGroup(name: input.logGroupName, identifier: input.logGroupIdentifier)
        let position = try input.nextToken.map(ListingToken.streamPosition)
        let page = try await logs.streams(
            groupID: group.id,
            order: order,
            descending: input.descending ?? false,
            prefix: input.logStreamNamePrefix,
            after: position,
            limit: limit + 1
        )
        let shown = page.prefix(limit)
        let next = shown.last.map { ListingToken.text(LogStore.StreamPosition(lastEventTime: $0.lastEventTimestamp ?? 0, name: $0.name)) }
        return .init(
            logStreams: shown.map { stream in
                LogsShapes.LogStream(
                    arn: LogNames.streamARN(stream.name, group: group.name, account: account),
                    creationTime: stream.creationTime,
                    firstEventTimestamp: stream.firstEventTimestamp,
                    lastEventTimestamp: stream.lastEventTimestamp,
                    lastIngestionTime: stream.lastIngestionTime,
                    logStreamName: stream.name,
                    storedBytes: stream.storedBytes
                )
            },
            nextToken: page.count > limit ? next : nil
        )
    }
}
