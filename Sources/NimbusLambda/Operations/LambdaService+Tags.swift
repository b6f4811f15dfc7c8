import NimbusCore
package import NimbusWire

extension LambdaService {
    /// Tags belong to the unqualified function named by its ARN.
    private func taggedRecord(_ resource: String, context: RequestContext) async throws -> FunctionStore.Record {
        guard resource.hasPrefix("arn:") else { throw AWSError.invalidParameter("Resource must be a function ARN, got \(resource)") }
        return try await record(try FunctionName(resource, account: context.account), account: context.account)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_TagResource.html
    package func tagResource(_ input: LambdaShapes.TagResourceRequest, context: RequestContext) async throws {
        var record = try await taggedRecord(input.resource, context: context)
        record.tags.merge(input.tags) { _, new in new }
        guard record.tags.count <= 50 else { throw AWSError.invalidParameter("A function can have at most 50 tags") }
        try await functions.update(record)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_UntagResource.html
    package func untagResource(_ input: LambdaShapes.UntagResourceRequest, context: RequestContext) async throws {
        var record = try await taggedRecord(input.resource, context: context)
        for key in input.tagKeys { record.tags[key] = nil }
        try await functions.update(record)
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_ListTags.html
    package func listTags(_ input: LambdaShapes.ListTagsRequest, context: RequestContext) async throws -> LambdaShapes.ListTagsResponse {
        .init(tags: try await taggedRecord(input.resource, context: context).tags)
    }
}
