import NimbusWire
import Synchronization

/// What the data plane serves of one API: an immutable value rebuilt on every change.
struct DeployedAPI: Sendable {
    /// A route ready to serve: its integration and authorizer resolved.
    struct Route: Sendable {
        var key: RouteKey
        var integration: APIGatewayShapes.Integration?
        var authorizationType: String
        var authorizer: APIGatewayShapes.Authorizer?
        var scopes: [String]
    }

    /// A stage: its variables, throttling, and the routes it serves (`nil` when it was never
    /// deployed).
    struct Stage: Sendable {
        var name: String
        var variables: [String: String]
        var defaultSettings: APIGatewayShapes.RouteSettings?
        var routeSettings: [String: APIGatewayShapes.RouteSettings]
        var routes: RouteMatcher<Route>?
        /// Where the stage's access log goes, when it has one.
        var accessLog: AccessLog.Destination?
    }

    var apiId: String
    var cors: APIGatewayShapes.Cors?
    var disabled: Bool
    var stages: [String: Stage]

    init(_ state: APIState) {
        apiId = state.api.apiId ?? ""
        cors = state.api.corsConfiguration
        disabled = state.api.disableExecuteApiEndpoint ?? false
        var live: RouteMatcher<Route>?
        var stages: [String: Stage] = [:]
        for (name, stage) in state.stages {
            let routes: RouteMatcher<Route>?
            if stage.autoDeploy == true {
                if live == nil { live = Self.matcher(state.definition) }
                routes = live
            } else if let deployment = stage.deploymentId, let snapshot = state.snapshots[deployment] {
                routes = Self.matcher(snapshot)
            } else {
                routes = nil
            }
            stages[name] = Stage(
                name: name,
                variables: stage.stageVariables ?? [:],
                defaultSettings: stage.defaultRouteSettings,
                routeSettings: stage.routeSettings ?? [:],
                routes: routes,
                accessLog: AccessLog.Destination(stage.accessLogSettings)
            )
        }
        self.stages = stages
    }

    private static func matcher(_ definition: APIState.Definition) -> RouteMatcher<Route> {
        RouteMatcher(
            definition.routes.values.compactMap { route in
                guard let key = try? RouteKey(parsing: route.routeKey) else { return nil }
                let integration = route.target.flatMap { target in
                    definition.integrations[String(target.dropFirst("integrations/".count))]
                }
                let authorizer = route.authorizerId.flatMap { definition.authorizers[$0] }
                let served = Route(
                    key: key,
                    integration: integration,
                    authorizationType: route.authorizationType ?? "NONE",
                    authorizer: authorizer,
                    scopes: route.authorizationScopes ?? []
                )
                return (key, served)
            }
        )
    }

    /// The stage a request path selects, and the path within the stage: a first segment that
    /// names a stage other than `$default` selects it; any other path goes to `$default`.
    func stage(for path: String) -> (stage: Stage, path: String)? {
        let first = path.dropFirst().prefix { $0 != "/" }
        if !first.isEmpty, first != "$default", let stage = stages[String(first)] {
            let rest = path.dropFirst(1 + first.count)
            return (stage, rest.isEmpty ? "/" : String(rest))
        }
        return stages["$default"].map { ($0, path) }
    }
}

/// The deployed APIs by id; the control plane publishes, the data plane reads.
final class GatewayTable: Sendable {
    private let apis = Mutex<[String: DeployedAPI]>([:])

    func publish(_ api: DeployedAPI, id: String) {
        apis.withLock { $0[id] = api }
    }

    func remove(id: String) {
        apis.withLock { $0[id] = nil }
    }

    func api(_ id: String) -> DeployedAPI? {
        apis.withLock { $0[id] }
    }
}
