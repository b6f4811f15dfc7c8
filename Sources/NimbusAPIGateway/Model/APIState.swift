import NimbusWire

/// One HTTP API as the control plane holds it: the API and its items by id.
struct APIState: Sendable {
    var api: APIGatewayShapes.Api
    var routes: [String: APIGatewayShapes.Route] = [:]
    var integrations: [String: APIGatewayShapes.Integration] = [:]
    var authorizers: [String: APIGatewayShapes.Authorizer] = [:]
    var stages: [String: APIGatewayShapes.Stage] = [:]
    var deployments: [String: APIGatewayShapes.Deployment] = [:]
    /// What each deployment froze: the definition a stage without `AutoDeploy` serves.
    var snapshots: [String: Definition] = [:]

    /// The routes, integrations and authorizers a stage serves.
    struct Definition: Sendable, Hashable {
        var routes: [String: APIGatewayShapes.Route]
        var integrations: [String: APIGatewayShapes.Integration]
        var authorizers: [String: APIGatewayShapes.Authorizer]

        var wire: WireValue {
            .object([
                "routes": .list(routes.values.map(\.wire)),
                "integrations": .list(integrations.values.map(\.wire)),
                "authorizers": .list(authorizers.values.map(\.wire)),
            ])
        }

        init(
            routes: [String: APIGatewayShapes.Route],
            integrations: [String: APIGatewayShapes.Integration],
            authorizers: [String: APIGatewayShapes.Authorizer]
        ) {
            self.routes = routes
            self.integrations = integrations
            self.authorizers = authorizers
        }

        init(wire: WireValue) throws(WireError) {
            let members = wire.objectValue ?? [:]
            var routes: [String: APIGatewayShapes.Route] = [:]
            for item in Self.list(members["routes"]) {
                let route = try APIGatewayShapes.Route(wire: item, path: "routes")
                routes[route.routeId ?? ""] = route
            }
            var integrations: [String: APIGatewayShapes.Integration] = [:]
            for item in Self.list(members["integrations"]) {
                let integration = try APIGatewayShapes.Integration(wire: item, path: "integrations")
                integrations[integration.integrationId ?? ""] = integration
            }
            var authorizers: [String: APIGatewayShapes.Authorizer] = [:]
            for item in Self.list(members["authorizers"]) {
                let authorizer = try APIGatewayShapes.Authorizer(wire: item, path: "authorizers")
                authorizers[authorizer.authorizerId ?? ""] = authorizer
            }
            self.init(routes: routes, integrations: integrations, authorizers: authorizers)
        }

        private static func list(_ value: WireValue?) -> [WireValue] {
            if case .list(let items) = value { return items }
            return []
        }
    }

    /// The current definition (what an `AutoDeploy` stage serves and a deployment freezes).
    var definition: Definition { Definition(routes: routes, integrations: integrations, authorizers: authorizers) }

    /// Adds a stored item.
    mutating func load(_ kind: GatewayStore.Kind, id: String, wire: WireValue) throws(WireError) {
        switch kind {
        case .route: routes[id] = try APIGatewayShapes.Route(wire: wire, path: "")
        case .integration: integrations[id] = try APIGatewayShapes.Integration(wire: wire, path: "")
        case .authorizer: authorizers[id] = try APIGatewayShapes.Authorizer(wire: wire, path: "")
        case .stage: stages[id] = try APIGatewayShapes.Stage(wire: wire, path: "")
        case .deployment: deployments[id] = try APIGatewayShapes.Deployment(wire: wire, path: "")
        case .snapshot: snapshots[id] = try Definition(wire: wire)
        }
    }
}
