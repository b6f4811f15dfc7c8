import NimbusCore
package import NimbusWire

extension SQSService {
    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_TagQueue.html
    package func tagQueue(_ input: SQSShapes.TagQueueRequest, context: RequestContext) async throws {
        let queue = try await queue(url: input.queueUrl)
        var tags = queue.tags
        tags.merge(input.tags) { _, new in new }
        try Self.validateTags(tags)
        try await saveTags(tags, of: queue)
    }

    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_UntagQueue.html
    package func untagQueue(_ input: SQSShapes.UntagQueueRequest, context: RequestContext) async throws {
        let queue = try await queue(url: input.queueUrl)
        var tags = queue.tags
        for key in input.tagKeys { tags[key] = nil }
        try await saveTags(tags, of: queue)
    }

    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueueTags.html
    package func listQueueTags(_ input: SQSShapes.ListQueueTagsRequest, context: RequestContext) async throws -> SQSShapes.ListQueueTagsResult {
        let queue = try await queue(url: input.queueUrl)
        return .init(tags: queue.tags.isEmpty ? nil : queue.tags)
    }

    private func saveTags(_ tags: [String: String], of queue: QueueEngine.Snapshot) async throws {
        try await store.updateQueue(id: queue.id, attributes: queue.configuration.attributes, tags: tags, modifiedAt: queue.modifiedAt)
        await engine.update(queue.id, tags: tags)
    }
}
