import NimbusCore
import NimbusWire

/// The data plane: serves requests to the deployed APIs.
///
/// It reads the API's current `DeployedAPI` without waiting for the control plane, chooses
/// the stage and route, applies throttling, CORS and authorizers, and calls the integration;
/// every answer carries `apigw-requestid`. Errors are API Gateway's own (`{"message":…}`).
package struct Gateway: Sendable {
    /// HTTP APIs' payload limit.
    package static let maximumPayload = 10 * 1024 * 1024
    /// HTTP APIs' limit on the request line and headers together.
    static let maximumHeaderBytes = 10_240

    let table: GatewayTable
    let dispatcher: any Dispatcher
    let forwarder: any HTTPForwarder
    let account: AccountContext
    let clock: any WallClock
    let throttle: Throttle
    let authorizers: AuthorizerRunner
    /// Where stages with `AccessLogSettings` write their access logs.
    let logSink: (any LogSink)?

    init(
        table: GatewayTable,
        dispatcher: any Dispatcher,
        forwarder: any HTTPForwarder,
        logSink: (any LogSink)?,
        account: AccountContext,
        clock: any WallClock
    ) {
        self.logSink = logSink
        self.table = table
        self.dispatcher = dispatcher
        self.forwarder = forwarder
        self.account = account
        self.clock = clock
        throttle = Throttle(clock: clock)
        authorizers = AuthorizerRunner(dispatcher: dispatcher, forwarder: forwarder, clock: clock)
    }

    /// Serves `request` to the API `apiId`.
    package func serve(_ request: GatewayRequest, apiId: String) async -> GatewayResponse {
        let requestID = RequestID.make()
        var response = await answer(request, apiId: apiId, requestID: requestID)
        response.headers.append(("apigw-requestid", requestID))
        return response
    }

    private func answer(_ request: GatewayRequest, apiId: String, requestID: String) async -> GatewayResponse {
        guard let api = table.api(apiId), !api.disabled else { return .notFound }
        guard request.body.count <= Self.maximumPayload else { return .tooLarge }
        // HTTP APIs take at most 10,240 bytes of request line and headers.
        let headerBytes = request.headers.reduce(request.method.utf8.count + request.path.utf8.count + request.rawQuery.utf8.count + 12) {
            $0 + $1.name.utf8.count + $1.value.utf8.count + 4
        }
        guard headerBytes <= Self.maximumHeaderBytes else { return .headersTooLarge }
        guard FormEncoding.percentDecode(request.path) != nil, let query = RequestFacts.parseQuery(request.rawQuery) else { return .badRequest }
        let cors = api.cors.map(CORS.init)
        if let cors, CORS.isPreflight(request) { return cors.preflight(request) }
        let origin = request.header("origin")
        let response = await route(request, api: api, query: query, requestID: requestID)
        return cors?.decorate(response, origin: origin) ?? response
    }

    private func route(
        _ request: GatewayRequest,
        api: DeployedAPI,
        query: [(name: String, value: String)],
        requestID: String
    ) async -> GatewayResponse {
        guard let (stage, path) = api.stage(for: request.path) else { return .notFound }
        guard let destination = stage.accessLog, let logSink else {
            return await serve(request, api: api, stage: stage, path: path, query: query, requestID: requestID).response
        }
        let started = clock.now()
        let (response, routeKey) = await serve(request, api: api, stage: stage, path: path, query: query, requestID: requestID)
        let line = AccessLog.render(
            destination.format,
            AccessLog.values(
                request: request,
                response: response,
                apiId: api.apiId,
                stage: stage.name,
                routeKey: routeKey,
                requestID: requestID,
                started: started,
                finished: clock.now()
            )
        )
        // As on AWS, a failure to write the access log does not fail the request.
        try? await logSink.append(
            [LogEvent(timestamp: Int64((started * 1000).rounded(.down)), message: line)],
            group: destination.group,
            stream: "\(api.apiId)_\(stage.name)"
        )
        return response
    }

    /// Serves a request within its stage: route, throttle, authorize, integrate. Also returns
    /// the route key matched (`-` when none), for the access log.
    private func serve(
        _ request: GatewayRequest,
        api: DeployedAPI,
        stage: DeployedAPI.Stage,
        path: String,
        query: [(name: String, value: String)],
        requestID: String
    ) async -> (response: GatewayResponse, routeKey: String) {
        guard let routes = stage.routes, let match = routes.match(method: request.method, path: path) else { return (.notFound, "-") }
        return (await serve(request, api: api, stage: stage, path: path, match: match, query: query, requestID: requestID), match.key.description)
    }

    private func serve(
        _ request: GatewayRequest,
        api: DeployedAPI,
        stage: DeployedAPI.Stage,
        path: String,
        match: RouteMatcher<DeployedAPI.Route>.Match,
        query: [(name: String, value: String)],
        requestID: String
    ) async -> GatewayResponse {
        let settings = stage.routeSettings[match.key.description] ?? stage.defaultSettings
        if settings?.throttlingRateLimit != nil || settings?.throttlingBurstLimit != nil {
            let key = "\(api.apiId)/\(stage.name)/\(match.key.description)"
            guard throttle.admit(key, rate: settings?.throttlingRateLimit ?? 10_000, burst: settings?.throttlingBurstLimit ?? 5_000) else {
                return .tooManyRequests
            }
        }
        let now = Int64((clock.now() * 1000).rounded(.down))
        // API Gateway passes the caller's X-Ray header on, or starts a trace.
        var headers = request.headers
        let traceID = request.header("x-amzn-trace-id") ?? Self.traceID(now: clock.now(), requestID: requestID)
        if request.header("x-amzn-trace-id") == nil { headers.append(("x-amzn-trace-id", traceID)) }
        var facts = RequestFacts(
            accountID: account.accountID,
            apiId: api.apiId,
            stage: stage.name,
            routeKey: match.key.description,
            resourcePath: match.key.path,
            method: request.method,
            rawPath: request.path,
            rawQuery: request.rawQuery,
            query: query,
            headers: headers,
            pathParameters: match.pathParameters,
            stageVariables: stage.variables,
            body: request.body,
            sourceIP: request.sourceIP,
            domainName: String(request.host.prefix { $0 != ":" }),
            requestID: requestID,
            timeEpochMilliseconds: now,
            authorizer: nil
        )
        switch await authorizers.authorize(match.target, facts: facts) {
        case .allowed(let context): facts.authorizer = context
        case .denied(let response): return response
        }
        guard let integration = match.target.integration else { return .internalError }
        switch integration.integrationType {
        case "AWS_PROXY":
            return await LambdaIntegration(dispatcher: dispatcher).invoke(integration, facts: facts, traceID: traceID)
        case "HTTP_PROXY":
            var forwarded = request
            forwarded.headers = headers
            return await HTTPIntegration(forwarder: forwarder).forward(integration, request: forwarded, facts: facts, stagePath: path)
        default:
            return .internalError
        }
    }

    /// A new X-Ray trace header: `Root=1-<epoch hex>-<24 hex>`.
    static func traceID(now: Double, requestID: String) -> String {
        let random = requestID.utf8.filter { $0 != UInt8(ascii: "-") }
        return "Root=1-\(String(Int(now), radix: 16))-\(String(decoding: random.prefix(24), as: UTF8.self))"
    }
}
