import NimbusCore
package import NimbusWire

/// The generated `LogsOperations` conformance. The operations need only the account of a
/// request (for ARNs), so each is implemented as `operation(_:account:)`, which tests call
/// directly.
extension LogsService {
    package func createLogGroup(_ input: LogsShapes.CreateLogGroupRequest, context: RequestContext) async throws {
        try await createLogGroup(input, account: context.account)
    }

    package func deleteLogGroup(_ input: LogsShapes.DeleteLogGroupRequest, context: RequestContext) async throws {
        try await deleteLogGroup(input, account: context.account)
    }

    package func describeLogGroups(
        _ input: LogsShapes.DescribeLogGroupsRequest,
        context: RequestContext
    ) async throws -> LogsShapes.DescribeLogGroupsResponse {
        try await describeLogGroups(input, account: context.account)
    }

    package func createLogStream(_ input: LogsShapes.CreateLogStreamRequest, context: RequestContext) async throws {
        try await createLogStream(input, account: context.account)
    }

    package func deleteLogStream(_ input: LogsShapes.DeleteLogStreamRequest, context: RequestContext) async throws {
        try await deleteLogStream(input, account: context.account)
    }

    package func describeLogStreams(
        _ input: LogsShapes.DescribeLogStreamsRequest,
        context: RequestContext
    ) async throws -> LogsShapes.DescribeLogStreamsResponse {
        try await describeLogStreams(input, account: context.account)
    }

    package func putLogEvents(_ input: LogsShapes.PutLogEventsRequest, context: RequestContext) async throws -> LogsShapes.PutLogEventsResponse {
        try await putLogEvents(input, account: context.account)
    }

    package func getLogEvents(_ input: LogsShapes.GetLogEventsRequest, context: RequestContext) async throws -> LogsShapes.GetLogEventsResponse {
        try await getLogEvents(input, account: context.account)
    }

    package func filterLogEvents(
        _ input: LogsShapes.FilterLogEventsRequest,
        context: RequestContext
    ) async throws -> LogsShapes.FilterLogEventsResponse {
        try await filterLogEvents(input, account: context.account)
    }
}
