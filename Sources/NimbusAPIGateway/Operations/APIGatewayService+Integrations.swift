import NimbusCore
package import NimbusWire

/// CreateIntegration, GetIntegration(s), UpdateIntegration, DeleteIntegration.
extension APIGatewayService {
    package func createIntegration(
        _ input: APIGatewayShapes.CreateIntegrationRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.CreateIntegrationResult {
        var integration = try APIGatewayShapes.Integration.converting(input)
        integration.integrationId = ResourceID.integration()
        try IntegrationRules.check(&integration)
        return try .converting(try await registry.insert(integration, as: .integration, in: input.apiId))
    }

    package func getIntegration(
        _ input: APIGatewayShapes.GetIntegrationRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.GetIntegrationResult {
        try .converting(try await registry.item(.integration, input.integrationId, in: input.apiId))
    }

    package func getIntegrations(
        _ input: APIGatewayShapes.GetIntegrationsRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.GetIntegrationsResponse {
        let page = try await registry.page(.integration, in: input.apiId, maxResults: input.maxResults, nextToken: input.nextToken)
        return APIGatewayShapes.GetIntegrationsResponse(items: page.items, nextToken: page.nextToken)
    }

    package func updateIntegration(
        _ input: APIGatewayShapes.UpdateIntegrationRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.UpdateIntegrationResult {
        let updated = try await registry.update(.integration, input.integrationId, in: input.apiId) { integration, _ in
            if let type = input.integrationType { integration.integrationType = type }
            if let uri = input.integrationUri { integration.integrationUri = uri }
            if let method = input.integrationMethod { integration.integrationMethod = method }
            if let version = input.payloadFormatVersion { integration.payloadFormatVersion = version }
            if let timeout = input.timeoutInMillis { integration.timeoutInMillis = timeout }
            if let parameters = input.requestParameters { integration.requestParameters = parameters }
            if let parameters = input.responseParameters { integration.responseParameters = parameters }
            if let description = input.description { integration.description = description }
            if let connection = input.connectionType { integration.connectionType = connection }
            try IntegrationRules.check(&integration)
        }
        return try .converting(updated)
    }

    package func deleteIntegration(_ input: APIGatewayShapes.DeleteIntegrationRequest, context: RequestContext) async throws {
        try await registry.delete(.integration, input.integrationId, in: input.apiId) { state in
            let target = "integrations/" + input.integrationId
            if let route = state.routes.values.first(where: { $0.target == target }) {
                throw AWSError.conflict("Cannot delete integration \(input.integrationId): route \(route.routeKey) targets it")
            }
        }
    }
}
