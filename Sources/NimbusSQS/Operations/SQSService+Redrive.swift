import NimbusCore
package import NimbusWire

extension SQSService {
    /// The queues whose redrive policy names this queue as their dead-letter queue.
    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListDeadLetterSourceQueues.html
    package func listDeadLetterSourceQueues(
        _ input: SQSShapes.ListDeadLetterSourceQueuesRequest,
        context: RequestContext
    ) async throws -> SQSShapes.ListDeadLetterSourceQueuesResult {
        let queue = try await queue(url: input.queueUrl)
        let sources = await engine.sources(ofDeadLetterQueue: queue.arn)
        let page = try Self.page(sources.map(\.key.name), maxResults: input.maxResults, nextToken: input.nextToken)
        let byName = Dictionary(sources.map { ($0.key.name, $0.key) }, uniquingKeysWith: { first, _ in first })
        return .init(nextToken: page.nextToken, queueUrls: page.items.compactMap { byName[$0].map { url($0, context: context) } })
    }

    /// Starts moving a dead-letter queue's messages back to their source queues (or to
    /// `DestinationArn`). See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_StartMessageMoveTask.html
    package func startMessageMoveTask(
        _ input: SQSShapes.StartMessageMoveTaskRequest,
        context: RequestContext
    ) async throws -> SQSShapes.StartMessageMoveTaskResult {
        guard let source = await engine.snapshot(arn: input.sourceArn) else {
            throw AWSError.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.")
        }
        guard !(await engine.sources(ofDeadLetterQueue: source.arn)).isEmpty else {
            throw AWSError.invalidParameterValue("Source queue must be configured as a Dead Letter Queue.")
        }
        if let destination = input.destinationArn {
            guard let target = await engine.snapshot(arn: destination) else {
                throw AWSError.resourceNotFound("The resource that you specified for the DestinationArn parameter doesn't exist.")
            }
            guard target.id != source.id else { throw AWSError.invalidParameterValue("Source and destination queues must be different.") }
        }
        if let rate = input.maxNumberOfMessagesPerSecond, !(1...500).contains(rate) {
            throw AWSError.invalidParameter("MaxNumberOfMessagesPerSecond", value: "\(rate)", reason: "Must be between 1 and 500")
        }
        let started = try await engine.startMoveTask(
            source: source,
            destinationArn: input.destinationArn,
            maxPerSecond: input.maxNumberOfMessagesPerSecond,
            at: clock.now()
        )
        try await commit(started.writes)
        return .init(taskHandle: started.handle)
    }

    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CancelMessageMoveTask.html
    package func cancelMessageMoveTask(
        _ input: SQSShapes.CancelMessageMoveTaskRequest,
        context: RequestContext
    ) async throws -> SQSShapes.CancelMessageMoveTaskResult {
        let cancelled = try await engine.cancelMoveTask(input.taskHandle)
        try await commit(cancelled.writes)
        return .init(approximateNumberOfMessagesMoved: cancelled.moved)
    }

    /// The most recent tasks of a source queue (1 unless `MaxResults`, at most 10).
    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListMessageMoveTasks.html
    package func listMessageMoveTasks(
        _ input: SQSShapes.ListMessageMoveTasksRequest,
        context: RequestContext
    ) async throws -> SQSShapes.ListMessageMoveTasksResult {
        let maximum = input.maxResults ?? 1
        guard (1...10).contains(maximum) else {
            throw AWSError.invalidParameter("MaxResults", value: "\(maximum)", reason: "Must be between 1 and 10")
        }
        guard await engine.snapshot(arn: input.sourceArn) != nil else {
            throw AWSError.resourceNotFound("The resource that you specified for the SourceArn parameter doesn't exist.")
        }
        let tasks = await engine.moveTasks(sourceArn: input.sourceArn).prefix(maximum)
        return .init(
            results: tasks.map { task in
                SQSShapes.ListMessageMoveTasksResultEntry(
                    approximateNumberOfMessagesMoved: task.moved,
                    approximateNumberOfMessagesToMove: task.toMove,
                    destinationArn: task.destinationArn,
                    failureReason: task.failureReason,
                    maxNumberOfMessagesPerSecond: task.maxPerSecond,
                    sourceArn: task.sourceArn,
                    startedTimestamp: task.startedAt,
                    status: task.status,
                    taskHandle: task.status == "RUNNING" ? task.handle : nil
                )
            }
        )
    }
}
