import Foundation
import NimbusCore
package import NimbusWire

/// CreateApi (with quick create), GetApi(s), UpdateApi, DeleteApi, DeleteCorsConfiguration.
extension APIGatewayService {
    package func createApi(_ input: APIGatewayShapes.CreateApiRequest, context: RequestContext) async throws -> APIGatewayShapes.CreateApiResponse {
        guard input.protocolType == "HTTP" else {
            throw AWSError.badRequest("Nimbus serves HTTP APIs only; ProtocolType \(input.protocolType) is not supported")
        }
        try Validation.name(input.name)
        if let cors = input.corsConfiguration { try Validation.cors(cors) }
        let id = ResourceID.api()
        var api = APIGatewayShapes.Api(
            name: input.name,
            protocolType: "HTTP",
            routeSelectionExpression: input.routeSelectionExpression ?? "$request.method $request.path"
        )
        api.apiId = id
        api.apiKeySelectionExpression = input.apiKeySelectionExpression ?? "$request.header.x-api-key"
        api.corsConfiguration = input.corsConfiguration
        api.createdDate = now()
        api.description = input.description
        api.disableExecuteApiEndpoint = input.disableExecuteApiEndpoint ?? false
        api.ipAddressType = input.ipAddressType ?? "ipv4"
        api.tags = input.tags ?? [:]
        api.version = input.version
        var state = APIState(api: api)
        var writes: [GatewayWrite] = []
        if let target = input.target {
            writes = try quickCreate(target: target, routeKey: input.routeKey ?? RouteKey.defaultKey, into: &state)
        } else if input.routeKey != nil {
            throw AWSError.badRequest("RouteKey is only allowed with Target (quick create)")
        }
        try await registry.create(state, id: id, writes: writes)
        return try .converting(presented(state.api))
    }

    /// Quick create: an integration for `target`, a route for `routeKey` and a `$default`
    /// stage that deploys automatically, all managed by API Gateway.
    private func quickCreate(target: String, routeKey: String, into state: inout APIState) throws -> [GatewayWrite] {
        let key = try RouteKey(parsing: routeKey)
        var integration = APIGatewayShapes.Integration()
        integration.integrationId = ResourceID.integration()
        integration.apiGatewayManaged = true
        integration.connectionType = "INTERNET"
        integration.integrationUri = target
        integration.timeoutInMillis = IntegrationRules.maximumTimeout
        if target.hasPrefix("http://") || target.hasPrefix("https://") {
            integration.integrationType = "HTTP_PROXY"
            integration.integrationMethod = "ANY"
            integration.payloadFormatVersion = "1.0"
        } else {
            guard LambdaTarget.functionARN(target) != nil else {
                throw AWSError.badRequest("Target \(target) is neither a Lambda function ARN nor an HTTP URL")
            }
            integration.integrationType = "AWS_PROXY"
            integration.integrationMethod = "POST"
            integration.payloadFormatVersion = "2.0"
        }
        var route = APIGatewayShapes.Route(routeKey: key.description)
        route.routeId = ResourceID.route()
        route.apiGatewayManaged = true
        route.authorizationType = "NONE"
        route.target = "integrations/" + (integration.integrationId ?? "")
        var stage = APIGatewayShapes.Stage(stageName: "$default")
        stage.apiGatewayManaged = true
        stage.autoDeploy = true
        stage.createdDate = now()
        stage.lastUpdatedDate = stage.createdDate
        stage.defaultRouteSettings = APIGatewayShapes.RouteSettings(detailedMetricsEnabled: false)
        stage.routeSettings = [:]
        stage.stageVariables = [:]
        stage.tags = [:]
        state.integrations[integration.integrationId ?? ""] = integration
        state.routes[route.routeId ?? ""] = route
        state.stages[stage.stageName] = stage
        return [
            .item(.integration, id: integration.integrationId ?? "", integration.wire),
            .item(.route, id: route.routeId ?? "", route.wire),
            .item(.stage, id: stage.stageName, stage.wire),
        ]
    }

    package func getApi(_ input: APIGatewayShapes.GetApiRequest, context: RequestContext) async throws -> APIGatewayShapes.GetApiResponse {
        try .converting(presented(try await registry.state(input.apiId).api))
    }

    package func getApis(_ input: APIGatewayShapes.GetApisRequest, context: RequestContext) async throws -> APIGatewayShapes.GetApisResponse {
        let apis = await registry.all().map { presented($0.api) }
        let page = try Paging.page(apis, id: { $0.apiId ?? "" }, maxResults: input.maxResults, nextToken: input.nextToken)
        return APIGatewayShapes.GetApisResponse(items: page.items, nextToken: page.nextToken)
    }

    package func updateApi(_ input: APIGatewayShapes.UpdateApiRequest, context: RequestContext) async throws -> APIGatewayShapes.UpdateApiResponse {
        if let name = input.name { try Validation.name(name) }
        if let cors = input.corsConfiguration { try Validation.cors(cors) }
        let api = try await registry.change(input.apiId) { state in
            var api = state.api
            if let name = input.name { api.name = name }
            if let description = input.description { api.description = description }
            if let cors = input.corsConfiguration { api.corsConfiguration = cors }
            if let disabled = input.disableExecuteApiEndpoint { api.disableExecuteApiEndpoint = disabled }
            if let version = input.version { api.version = version }
            if let expression = input.routeSelectionExpression { api.routeSelectionExpression = expression }
            if let expression = input.apiKeySelectionExpression { api.apiKeySelectionExpression = expression }
            if let type = input.ipAddressType { api.ipAddressType = type }
            state.api = api
            var writes: [GatewayWrite] = [.api(api)]
            // Quick create's Target and RouteKey change the managed integration and route.
            if input.target != nil || input.routeKey != nil {
                guard let integration = state.integrations.values.first(where: { $0.apiGatewayManaged == true }),
                    let route = state.routes.values.first(where: { $0.apiGatewayManaged == true })
                else { throw AWSError.badRequest("Target and RouteKey can only be updated on an API made by quick create") }
                if let target = input.target {
                    var changed = integration
                    changed.integrationUri = target
                    try IntegrationRules.check(&changed)
                    state.integrations[changed.integrationId ?? ""] = changed
                    writes.append(.item(.integration, id: changed.integrationId ?? "", changed.wire))
                }
                if let routeKey = input.routeKey {
                    var changed = route
                    changed.routeKey = try RouteKey(parsing: routeKey).description
                    state.routes[changed.routeId ?? ""] = changed
                    writes.append(.item(.route, id: changed.routeId ?? "", changed.wire))
                }
            }
            return (api, writes)
        }
        return try .converting(presented(api))
    }

    package func deleteApi(_ input: APIGatewayShapes.DeleteApiRequest, context: RequestContext) async throws {
        try await registry.remove(input.apiId)
    }

    package func deleteCorsConfiguration(_ input: APIGatewayShapes.DeleteCorsConfigurationRequest, context: RequestContext) async throws {
        try await registry.change(input.apiId) { state in
            state.api.corsConfiguration = nil
            return ((), [.api(state.api)])
        }
    }

    /// The API as answered: with the `ApiEndpoint` of this server.
    func presented(_ api: APIGatewayShapes.Api) -> APIGatewayShapes.Api {
        var api = api
        api.apiEndpoint = apiEndpoint(api.apiId ?? "")
        return api
    }
}
