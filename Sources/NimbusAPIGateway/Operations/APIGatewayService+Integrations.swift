package import NimbusCore
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
        let created = try await registry.change(input.apiId) { [integration] state in
            state.integrations[integration.integrationId ?? ""] = integration
            return (integration, [.item(.integration, id: integration.integrationId ?? "", integration.wire)])
        }
        return try .converting(created)
    }

    package func getIntegration(
        _ input: APIGatewayShapes.GetIntegrationRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.GetIntegrationResult {
        guard let integration = try await registry.state(input.apiId).integrations[input.integrationId] else {
            throw AWSError.notFound("Integration", input.integrationId)
        }
        return try .converting(integration)
    }

    package func getIntegrations(
        _ input: APIGatewayShapes.GetIntegrationsRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.GetIntegrationsResponse {
        let integrations = Array(try await registry.state(input.apiId).integrations.values)
        let page = try Paging.page(integrations, id: { $0.integrationId ?? "" }, maxResults: input.maxResults, nextToken: input.nextToken)
        return APIGatewayShapes.GetIntegrationsResponse(items: page.items, nextToken: page.nextToken)
    }

    package func updateIntegration(
        _ input: APIGatewayShapes.UpdateIntegrationRequest,
        context: RequestContext
    ) async throws -> APIGatewayShapes.UpdateIntegrationResult {
        let updated = try await registry.change(input.apiId) { state in
            guard var integration = state.integrations[input.integrationId] else { throw AWSError.notFound("Integration", input.integrationId) }
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
            state.integrations[input.integrationId] = integration
            return (integration, [.item(.integration, id: input.integrationId, integration.wire)])
        }
        return try .converting(updated)
    }

    package func deleteIntegration(_ input: APIGatewayShapes.DeleteIntegrationRequest, context: RequestContext) async throws {
        try await registry.change(input.apiId) { state in
            guard state.integrations[input.integrationId] != nil else { throw AWSError.notFound("Integration", input.integrationId) }
            let target = "integrations/" + input.integrationId
            if let route = state.routes.values.first(where: { $0.target == target }) {
                throw AWSError.conflict("Cannot delete integration \(input.integrationId): route \(route.routeKey) targets it")
            }
            state.integrations[input.integrationId] = nil
            return ((), [.delete(.integration, id: input.integrationId)])
        }
    }
}
