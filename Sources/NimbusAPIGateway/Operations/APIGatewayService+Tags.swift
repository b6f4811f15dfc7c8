import NimbusCore
package import NimbusWire

/// TagResource, UntagResource, GetTags for APIs (`arn:aws:apigateway:<region>::/apis/<id>`)
/// and stages (`…/apis/<id>/stages/<name>`).
extension APIGatewayService {
    package func tagResource(
        _ input: APIGatewayShapes.TagResourceRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.TagResourceResponse {
        let tags = input.tags ?? [:]
        try await editTags(input.resourceArn) { $0.merge(tags) { $1 } }
        return APIGatewayShapes.TagResourceResponse()
    }

    package func untagResource(_ input: APIGatewayShapes.UntagResourceRequest, context: RequestContext) async throws {
        let keys = input.tagKeys
        try await editTags(input.resourceArn) { tags in for key in keys { tags[key] = nil } }
    }

    package func getTags(_ input: APIGatewayShapes.GetTagsRequest, context: RequestContext) async throws -> APIGatewayShapes.GetTagsResponse {
        let (apiId, stageName) = try Self.resource(input.resourceArn)
        let state = try await registry.state(apiId)
        if let stageName {
            guard let stage = state.stages[stageName] else { throw AWSError.notFound("Stage", stageName) }
            return APIGatewayShapes.GetTagsResponse(tags: stage.tags ?? [:])
        }
        return APIGatewayShapes.GetTagsResponse(tags: state.api.tags ?? [:])
    }

    private func editTags(_ arn: String, _ edit: @escaping @Sendable (inout [String: String]) -> Void) async throws {
        let (apiId, stageName) = try Self.resource(arn)
        try await registry.change(apiId) { state in
            if let stageName {
                guard var stage = state.stages[stageName] else { throw AWSError.notFound("Stage", stageName) }
                var tags = stage.tags ?? [:]
                edit(&tags)
                guard tags.count <= 50 else { throw AWSError.badRequest("A resource has at most 50 tags") }
                stage.tags = tags
                state.stages[stageName] = stage
                return ((), [.item(.stage, id: stageName, stage.wire)])
            }
            var tags = state.api.tags ?? [:]
            edit(&tags)
            guard tags.count <= 50 else { throw AWSError.badRequest("A resource has at most 50 tags") }
            state.api.tags = tags
            return ((), [.api(state.api)])
        }
    }

    /// The API id and stage name of a resource ARN.
    static func resource(_ arn: String) throws(AWSError) -> (String, String?) {
        guard let parsed = ARN(arn), parsed.service == "apigateway", parsed.resource.hasPrefix("/apis/") else {
            throw .badRequest("Invalid resource ARN \(arn)")
        }
        let parts = parsed.resource.dropFirst("/apis/".count).split(separator: "/").map(String.init)
        switch parts.count {
        case 1: return (parts[0], nil)
        case 3 where parts[1] == "stages": return (parts[0], parts[2])
        default: throw .badRequest("Nimbus tags APIs and stages; \(arn) names neither")
        }
    }
}
