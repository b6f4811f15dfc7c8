import NimbusCore
package import NimbusWire

extension SNSService {
    static let maximumTags = 50

    /// Tags as a map: keys 1–128 and values 0–256 characters, at most 50, no `aws:` prefix.
    static func validatedTags(_ tags: [SNSShapes.Tag]) throws(AWSError) -> [String: String] {
        var result: [String: String] = [:]
        for tag in tags {
            guard (1...128).contains(tag.key.count), tag.value.count <= 256 else { throw AWSError.invalidParameter("Tags") }
            guard !tag.key.lowercased().hasPrefix("aws:") else {
                throw AWSError(code: "TagPolicy", message: "Tag keys may not begin with aws:")
            }
            result[tag.key] = tag.value
        }
        guard result.count <= maximumTags else { throw AWSError.tagLimitExceeded() }
        return result
    }

    /// The topic a tagging call names (SNS tags topics only).
    private func taggedTopic(_ arn: String) async throws -> Topic {
        guard let parsed = ARN(arn), parsed.service == "sns" else { throw AWSError.invalidParameter("ResourceArn") }
        guard let topic = try await store.topic(arn: arn) else { throw AWSError.resourceNotFound }
        return topic
    }

    /// See https://docs.aws.amazon.com/sns/latest/api/API_TagResource.html
    package func tagResource(_ input: SNSShapes.TagResourceRequest, context: RequestContext) async throws -> SNSShapes.TagResourceResponse {
        let topic = try await taggedTopic(input.resourceArn)
        let merged = topic.tags.merging(try Self.validatedTags(input.tags)) { _, new in new }
        guard merged.count <= Self.maximumTags else { throw AWSError.tagLimitExceeded() }
        guard try await store.updateTopic(arn: topic.arn, tags: merged) else { throw AWSError.resourceNotFound }
        return .init()
    }

    /// See https://docs.aws.amazon.com/sns/latest/api/API_UntagResource.html
    package func untagResource(_ input: SNSShapes.UntagResourceRequest, context: RequestContext) async throws -> SNSShapes.UntagResourceResponse {
        let topic = try await taggedTopic(input.resourceArn)
        var tags = topic.tags
        for key in input.tagKeys { tags[key] = nil }
        guard try await store.updateTopic(arn: topic.arn, tags: tags) else { throw AWSError.resourceNotFound }
        return .init()
    }

    /// See https://docs.aws.amazon.com/sns/latest/api/API_ListTagsForResource.html
    package func listTagsForResource(
        _ input: SNSShapes.ListTagsForResourceRequest,
        context: RequestContext
    ) async throws -> SNSShapes.ListTagsForResourceResponse {
        let topic = try await taggedTopic(input.resourceArn)
        return .init(tags: topic.tags.sorted { $0.key < $1.key }.map { SNSShapes.Tag(key: $0.key, value: $0.value) })
    }
}
