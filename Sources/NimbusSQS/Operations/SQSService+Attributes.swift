import NimbusCore
package import NimbusWire

extension SQSService {
    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueAttributes.html
    package func getQueueAttributes(
        _ input: SQSShapes.GetQueueAttributesRequest,
        context: RequestContext
    ) async throws -> SQSShapes.GetQueueAttributesResult {
        let queue = try await queue(url: input.queueUrl)
        let names = input.attributeNames ?? []
        for name in names where name != "All" && !QueueConfiguration.known.contains(name) {
            throw AWSError.invalidAttributeName(name)
        }
        guard !names.isEmpty else { return .init() }
        let (counts, writes) = await engine.counts(queue.id, at: clock.now())
        try await commit(writes)
        var all = queue.configuration.attributes
        all["QueueArn"] = queue.arn
        all["ApproximateNumberOfMessages"] = "\(counts.visible)"
        all["ApproximateNumberOfMessagesNotVisible"] = "\(counts.inFlight)"
        all["ApproximateNumberOfMessagesDelayed"] = "\(counts.delayed)"
        all["CreatedTimestamp"] = "\(Int64(queue.createdAt))"
        all["LastModifiedTimestamp"] = "\(Int64(queue.modifiedAt))"
        let chosen = names.contains("All") ? all : all.filter { names.contains($0.key) }
        return .init(attributes: chosen.isEmpty ? nil : chosen)
    }

    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SetQueueAttributes.html
    package func setQueueAttributes(_ input: SQSShapes.SetQueueAttributesRequest, context: RequestContext) async throws {
        let queue = try await queue(url: input.queueUrl)
        var configuration = queue.configuration
        try configuration.apply(input.attributes, creating: false)
        if input.attributes["RedrivePolicy"] != nil { try await checkRedrive(configuration, sourceARN: queue.arn) }
        let now = clock.now().rounded(.down)
        try await store.updateQueue(id: queue.id, attributes: configuration.attributes, tags: queue.tags, modifiedAt: now)
        await engine.update(queue.id, configuration: configuration, modifiedAt: now)
    }
}
