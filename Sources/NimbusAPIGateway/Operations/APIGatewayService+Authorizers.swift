import NimbusCore
package import NimbusWire

/// CreateAuthorizer, GetAuthorizer(s), UpdateAuthorizer, DeleteAuthorizer: `JWT` authorizers
/// and `REQUEST` Lambda authorizers.
extension APIGatewayService {
    package func createAuthorizer(
        _ input: APIGatewayShapes.CreateAuthorizerRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.CreateAuthorizerResponse {
        var authorizer = try APIGatewayShapes.Authorizer.converting(input)
        authorizer.authorizerId = ResourceID.authorizer()
        try Self.check(&authorizer)
        let created = try await registry.insert(authorizer, as: .authorizer, in: input.apiId) { state in
            guard state.authorizers.count < 10 else { throw AWSError.badRequest("An HTTP API has at most 10 authorizers") }
        }
        return try .converting(created)
    }

    package func getAuthorizer(
        _ input: APIGatewayShapes.GetAuthorizerRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.GetAuthorizerResponse {
        try .converting(try await registry.item(.authorizer, input.authorizerId, in: input.apiId))
    }

    package func getAuthorizers(
        _ input: APIGatewayShapes.GetAuthorizersRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.GetAuthorizersResponse {
        let page = try await registry.page(.authorizer, in: input.apiId, maxResults: input.maxResults, nextToken: input.nextToken)
        return APIGatewayShapes.GetAuthorizersResponse(items: page.items, nextToken: page.nextToken)
    }

    package func updateAuthorizer(
        _ input: APIGatewayShapes.UpdateAuthorizerRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.UpdateAuthorizerResponse {
        let updated = try await registry.update(.authorizer, input.authorizerId, in: input.apiId) { authorizer, _ in
            if let name = input.name { authorizer.name = name }
            if let type = input.authorizerType { authorizer.authorizerType = type }
            if let uri = input.authorizerUri { authorizer.authorizerUri = uri }
            if let version = input.authorizerPayloadFormatVersion { authorizer.authorizerPayloadFormatVersion = version }
            if let ttl = input.authorizerResultTtlInSeconds { authorizer.authorizerResultTtlInSeconds = ttl }
            if let simple = input.enableSimpleResponses { authorizer.enableSimpleResponses = simple }
            if let sources = input.identitySource { authorizer.identitySource = sources }
            if let jwt = input.jwtConfiguration { authorizer.jwtConfiguration = jwt }
            try Self.check(&authorizer)
        }
        return try .converting(updated)
    }

    package func deleteAuthorizer(_ input: APIGatewayShapes.DeleteAuthorizerRequest, context: RequestContext) async throws {
        try await registry.delete(.authorizer, input.authorizerId, in: input.apiId) { state in
            if let route = state.routes.values.first(where: { $0.authorizerId == input.authorizerId }) {
                throw AWSError.conflict("Cannot delete authorizer \(input.authorizerId): route \(route.routeKey) uses it")
            }
        }
    }

    /// AWS's rules for HTTP API authorizers.
    static func check(_ authorizer: inout APIGatewayShapes.Authorizer) throws(AWSError) {
        for source in authorizer.identitySource ?? [] where !IdentitySource.isValid(source) {
            throw .badRequest("Invalid identity source \(source)")
        }
        switch authorizer.authorizerType {
        case "JWT":
            guard let jwt = authorizer.jwtConfiguration, let issuer = jwt.issuer, !(jwt.audience ?? []).isEmpty else {
                throw .badRequest("A JWT authorizer needs JwtConfiguration with Issuer and Audience")
            }
            guard issuer.hasPrefix("https://") || issuer.hasPrefix("http://") else { throw .badRequest("Invalid JWT issuer \(issuer)") }
            guard authorizer.identitySource?.count == 1 else { throw .badRequest("A JWT authorizer takes exactly one identity source") }
        case "REQUEST":
            guard let uri = authorizer.authorizerUri, LambdaTarget.functionARN(uri) != nil else {
                throw .badRequest("A REQUEST authorizer needs AuthorizerUri naming a Lambda function")
            }
            guard let version = authorizer.authorizerPayloadFormatVersion, version == "1.0" || version == "2.0" else {
                throw .badRequest("AuthorizerPayloadFormatVersion must be 1.0 or 2.0")
            }
            if authorizer.enableSimpleResponses == true, version != "2.0" {
                throw .badRequest("EnableSimpleResponses needs AuthorizerPayloadFormatVersion 2.0")
            }
            let ttl = authorizer.authorizerResultTtlInSeconds ?? 0
            guard (0...3600).contains(ttl) else { throw .badRequest("AuthorizerResultTtlInSeconds must be between 0 and 3600") }
            if ttl > 0, (authorizer.identitySource ?? []).isEmpty {
                throw .badRequest("Caching an authorizer's results needs at least one identity source")
            }
            authorizer.authorizerResultTtlInSeconds = ttl
            authorizer.enableSimpleResponses = authorizer.enableSimpleResponses ?? false
        default:
            throw .badRequest("AuthorizerType must be JWT or REQUEST for HTTP APIs")
        }
    }
}
