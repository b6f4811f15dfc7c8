import NimbusCore
package import NimbusWire

/// CreateRoute, GetRoute(s), UpdateRoute, DeleteRoute.
extension APIGatewayService {
    package func createRoute(_ input: APIGatewayShapes.CreateRouteRequest, context: RequestContext) async throws -> APIGatewayShapes.CreateRouteResult
    {
        let key = try RouteKey(parsing: input.routeKey)
        var route = try APIGatewayShapes.Route.converting(input)
        route.routeId = ResourceID.route()
        route.apiGatewayManaged = nil
        route.authorizationType = input.authorizationType ?? "NONE"
        let created = try await registry.insert(route, as: .route, in: input.apiId) { [route] state in
            try Self.check(route, key: key, in: state)
        }
        return try .converting(created)
    }

    package func getRoute(_ input: APIGatewayShapes.GetRouteRequest, context: RequestContext) async throws -> APIGatewayShapes.GetRouteResult {
        try .converting(try await registry.item(.route, input.routeId, in: input.apiId))
    }

    package func getRoutes(_ input: APIGatewayShapes.GetRoutesRequest, context: RequestContext) async throws -> APIGatewayShapes.GetRoutesResponse {
        let page = try await registry.page(.route, in: input.apiId, maxResults: input.maxResults, nextToken: input.nextToken)
        return APIGatewayShapes.GetRoutesResponse(items: page.items, nextToken: page.nextToken)
    }

    package func updateRoute(_ input: APIGatewayShapes.UpdateRouteRequest, context: RequestContext) async throws -> APIGatewayShapes.UpdateRouteResult
    {
        let updated = try await registry.update(.route, input.routeId, in: input.apiId) { route, state in
            if let routeKey = input.routeKey { route.routeKey = routeKey }
            if let target = input.target { route.target = target.isEmpty ? nil : target }
            if let type = input.authorizationType { route.authorizationType = type }
            if let authorizer = input.authorizerId { route.authorizerId = authorizer.isEmpty ? nil : authorizer }
            if let scopes = input.authorizationScopes { route.authorizationScopes = scopes }
            if let required = input.apiKeyRequired { route.apiKeyRequired = required }
            if let name = input.operationName { route.operationName = name }
            if let parameters = input.requestParameters { route.requestParameters = parameters }
            if route.authorizationType == "NONE" { route.authorizerId = nil }
            var others = state
            others.routes[input.routeId] = nil
            try Self.check(route, key: try RouteKey(parsing: route.routeKey), in: others)
        }
        return try .converting(updated)
    }

    package func deleteRoute(_ input: APIGatewayShapes.DeleteRouteRequest, context: RequestContext) async throws {
        try await registry.delete(.route, input.routeId, in: input.apiId)
    }

    /// AWS's checks of a route against the rest of its API: a unique key (parameter names
    /// aside), a target that names an integration of the API, a matching authorizer.
    static func check(_ route: APIGatewayShapes.Route, key: RouteKey, in state: APIState) throws(AWSError) {
        for other in state.routes.values where other.routeId != route.routeId {
            if let otherKey = try? RouteKey(parsing: other.routeKey), otherKey.shape == key.shape {
                throw .conflict("Unable to create route \(key). The route key conflicts with the existing route \(other.routeKey)")
            }
        }
        if let target = route.target {
            guard target.hasPrefix("integrations/") else { throw .badRequest("Invalid target \(target): it must be integrations/<IntegrationId>") }
            let id = String(target.dropFirst("integrations/".count))
            guard state.integrations[id] != nil else { throw .notFound("Integration", id) }
        }
        switch route.authorizationType ?? "NONE" {
        case "NONE", "AWS_IAM":
            break
        case "JWT", "CUSTOM":
            guard let id = route.authorizerId, let authorizer = state.authorizers[id] else {
                throw .badRequest("AuthorizationType \(route.authorizationType ?? "") needs the AuthorizerId of an authorizer of this API")
            }
            let expected = route.authorizationType == "JWT" ? "JWT" : "REQUEST"
            guard authorizer.authorizerType == expected else {
                throw .badRequest(
                    "AuthorizationType \(route.authorizationType ?? "") does not match the \(authorizer.authorizerType ?? "") authorizer \(id)"
                )
            }
        case let other:
            throw .badRequest("Invalid AuthorizationType \(other)")
        }
    }
}
