import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Testing

@testable import NimbusAPIGateway

/// The data plane through the service: an API made with the control plane, requests served
/// by `Gateway`, the function played by a fake dispatcher.
@Suite struct GatewayTests {
    private func makeAPI(_ service: APIGatewayService, version: String = "2.0", routeKey: String = "GET /items/{id}") async throws -> String {
        let api = try await service.createApi(.init(name: "shop", protocolType: "HTTP"), context: context())
        let apiId = try #require(api.apiId)
        let integration = try await service.createIntegration(
            .init(apiId: apiId, integrationType: "AWS_PROXY", integrationUri: functionARN, payloadFormatVersion: version),
            context: context()
        )
        _ = try await service.createRoute(
            .init(apiId: apiId, routeKey: routeKey, target: "integrations/\(integration.integrationId ?? "")"),
            context: context()
        )
        _ = try await service.createStage(
            .init(apiId: apiId, autoDeploy: true, stageName: "$default", stageVariables: ["color": "blue"]),
            context: context()
        )
        return apiId
    }

    @Test func payload2EventCarriesTheRequest() async throws {
        let functions = FakeFunctions { _, _ in DispatchReply(payload: Array(#"{"statusCode":200,"body":"ok"}"#.utf8)) }
        try await withGateway(functions: functions) { service in
            let apiId = try await makeAPI(service)
            let request = GatewayRequest(
                method: "GET",
                path: "/items/42",
                rawQuery: "a=1&a=2&b=x%20y",
                headers: [("X-Multi", "one"), ("x-multi", "two"), ("Cookie", "c1=v1; c2=v2"), ("User-Agent", "test-agent")],
                host: "127.0.0.1:4566"
            )
            let response = await service.gateway.serve(request, apiId: apiId)
            #expect(response.status == 200)
            #expect(response.text == "ok")
            #expect(response.header("apigw-requestid") != nil)
            let event = try #require(functions.lastEvent)
            #expect(event["version"]?.string == "2.0")
            #expect(event["routeKey"]?.string == "GET /items/{id}")
            #expect(event["rawPath"]?.string == "/items/42")
            #expect(event["rawQueryString"]?.string == "a=1&a=2&b=x%20y")
            #expect(event["headers"]?["x-multi"]?.string == "one,two")
            #expect(event["headers"]?["cookie"] == nil)
            #expect(event["cookies"] == .array([.string("c1=v1"), .string("c2=v2")]))
            #expect(event["queryStringParameters"]?["a"]?.string == "1,2")
            #expect(event["queryStringParameters"]?["b"]?.string == "x y")
            #expect(event["pathParameters"]?["id"]?.string == "42")
            #expect(event["stageVariables"]?["color"]?.string == "blue")
            #expect(event["requestContext"]?["http"]?["userAgent"]?.string == "test-agent")
            #expect(event["requestContext"]?["stage"]?.string == "$default")
            #expect(event["requestContext"]?["apiId"]?.string == apiId)
            #expect(event["isBase64Encoded"] == .bool(false))
        }
    }

    @Test func payload1EventAndBinaryBodies() async throws {
        let functions = FakeFunctions { _, _ in DispatchReply(payload: Array(#"{"statusCode":200,"body":"ok"}"#.utf8)) }
        try await withGateway(functions: functions) { service in
            let apiId = try await makeAPI(service, version: "1.0", routeKey: "POST /items/{id}")
            let request = GatewayRequest(
                method: "POST",
                path: "/items/7",
                rawQuery: "k=1&k=2",
                headers: [("Content-Type", "application/octet-stream"), ("X-A", "1"), ("x-a", "2")],
                body: [0, 255, 1]
            )
            let response = await service.gateway.serve(request, apiId: apiId)
            #expect(response.status == 200)
            let event = try #require(functions.lastEvent)
            #expect(event["version"]?.string == "1.0")
            #expect(event["resource"]?.string == "/items/{id}")
            #expect(event["httpMethod"]?.string == "POST")
            #expect(event["headers"]?["x-a"]?.string == "2")
            #expect(event["multiValueHeaders"]?["x-a"] == .array([.string("1"), .string("2")]))
            #expect(event["queryStringParameters"]?["k"]?.string == "2")
            #expect(event["multiValueQueryStringParameters"]?["k"] == .array([.string("1"), .string("2")]))
            #expect(event["isBase64Encoded"] == .bool(true))
            #expect(event["body"]?.string == "AP8B")
        }
    }

    @Test func gatewayErrors() async throws {
        let functions = FakeFunctions { _, event in
            switch event["pathParameters"]?["id"]?.string {
            case "fail": DispatchReply(payload: Array(#"{"errorMessage":"boom"}"#.utf8), attributes: ["functionError": "Unhandled"])
            case "garbage": DispatchReply(payload: Array("not json".utf8))
            default: throw AWSError(code: "ResourceNotFoundException", status: 404, message: "Function not found")
            }
        }
        try await withGateway(functions: functions) { service in
            let apiId = try await makeAPI(service)
            func status(_ path: String, query: String = "") async -> (Int, String) {
                let response = await service.gateway.serve(GatewayRequest(method: "GET", path: path, rawQuery: query), apiId: apiId)
                return (response.status, response.text)
            }
            #expect(await status("/nothing") == (404, #"{"message":"Not Found"}"#))
            #expect(await status("/items/fail") == (500, #"{"message":"Internal Server Error"}"#))
            #expect(await status("/items/garbage") == (500, #"{"message":"Internal Server Error"}"#))
            #expect(await status("/items/missing") == (500, #"{"message":"Internal Server Error"}"#))
            #expect(await status("/items/%zz").0 == 400)
            #expect(await status("/items/1", query: "a=%G1").0 == 400)
            let huge = await service.gateway.serve(
                GatewayRequest(method: "GET", path: "/items/1", headers: [("x-big", String(repeating: "a", count: 10_300))]),
                apiId: apiId
            )
            #expect(huge.status == 431)
            let large = await service.gateway.serve(
                GatewayRequest(method: "POST", path: "/items/1", body: Array(repeating: 1, count: 10 * 1024 * 1024 + 1)),
                apiId: apiId
            )
            #expect(large.status == 413)
            let unknown = await service.gateway.serve(GatewayRequest(method: "GET", path: "/items/1"), apiId: "nosuchapi0")
            #expect(unknown.status == 404)
        }
    }

    @Test func integrationTimeoutAnswers503() async throws {
        // The function answers long after the 100 ms timeout, so a 503 can only come from the deadline,
        // however slowly a loaded host runs the timer.
        let functions = FakeFunctions { _, _ in
            try await Task.sleep(for: .seconds(60))
            return DispatchReply(payload: Array("{}".utf8))
        }
        try await withGateway(functions: functions) { service in
            let api = try await service.createApi(.init(name: "slow", protocolType: "HTTP"), context: context())
            let apiId = try #require(api.apiId)
            let integration = try await service.createIntegration(
                .init(apiId: apiId, integrationType: "AWS_PROXY", integrationUri: functionARN, payloadFormatVersion: "2.0", timeoutInMillis: 100),
                context: context()
            )
            _ = try await service.createRoute(
                .init(apiId: apiId, routeKey: "$default", target: "integrations/\(integration.integrationId ?? "")"),
                context: context()
            )
            _ = try await service.createStage(.init(apiId: apiId, autoDeploy: true, stageName: "$default"), context: context())
            let response = await service.gateway.serve(GatewayRequest(method: "GET", path: "/x"), apiId: apiId)
            #expect(response.status == 503)
            #expect(response.text == #"{"message":"Service Unavailable"}"#)
        }
    }

    @Test func throttlingRefusesPastTheBurstAndRefills() async throws {
        let clock = TestWallClock()
        try await withGateway(clock: clock) { service in
            let apiId = try await makeAPI(service)
            _ = try await service.updateStage(
                .init(apiId: apiId, defaultRouteSettings: .init(throttlingBurstLimit: 2, throttlingRateLimit: 1), stageName: "$default"),
                context: context()
            )
            let request = GatewayRequest(method: "GET", path: "/items/1")
            #expect(await service.gateway.serve(request, apiId: apiId).status == 200)
            #expect(await service.gateway.serve(request, apiId: apiId).status == 200)
            let refused = await service.gateway.serve(request, apiId: apiId)
            #expect(refused.status == 429)
            #expect(refused.text == #"{"message":"Too Many Requests"}"#)
            clock.advance(by: 1.1)
            #expect(await service.gateway.serve(request, apiId: apiId).status == 200)
        }
    }

    @Test func corsPreflightAndResponseHeaders() async throws {
        try await withGateway { service in
            let apiId = try await makeAPI(service)
            _ = try await service.updateApi(
                .init(
                    apiId: apiId,
                    corsConfiguration: .init(
                        allowHeaders: ["content-type"],
                        allowMethods: ["GET", "POST"],
                        allowOrigins: ["https://app.example"],
                        maxAge: 300
                    )
                ),
                context: context()
            )
            let preflight = await service.gateway.serve(
                GatewayRequest(
                    method: "OPTIONS",
                    path: "/items/1",
                    headers: [
                        ("Origin", "https://app.example"), ("Access-Control-Request-Method", "POST"),
                        ("Access-Control-Request-Headers", "Content-Type"),
                    ]
                ),
                apiId: apiId
            )
            #expect(preflight.status == 204)
            #expect(preflight.header("access-control-allow-origin") == "https://app.example")
            #expect(preflight.header("access-control-allow-methods") == "GET,POST")
            #expect(preflight.header("access-control-allow-headers") == "content-type")
            #expect(preflight.header("access-control-max-age") == "300")
            let actual = await service.gateway.serve(
                GatewayRequest(method: "GET", path: "/items/1", headers: [("Origin", "https://app.example")]),
                apiId: apiId
            )
            #expect(actual.header("access-control-allow-origin") == "https://app.example")
            let foreign = await service.gateway.serve(
                GatewayRequest(method: "GET", path: "/items/1", headers: [("Origin", "https://evil.example")]),
                apiId: apiId
            )
            #expect(foreign.header("access-control-allow-origin") == nil)
        }
    }

    @Test func namedStagesServeTheirDeployment() async throws {
        try await withGateway { service in
            let apiId = try await makeAPI(service)
            _ = try await service.createStage(.init(apiId: apiId, stageName: "prod"), context: context())
            // Never deployed: nothing to serve.
            #expect(await service.gateway.serve(GatewayRequest(method: "GET", path: "/prod/items/1"), apiId: apiId).status == 404)
            _ = try await service.createDeployment(.init(apiId: apiId, stageName: "prod"), context: context())
            #expect(await service.gateway.serve(GatewayRequest(method: "GET", path: "/prod/items/1"), apiId: apiId).status == 200)
            // A route added later is live on the auto-deployed $default stage only.
            let routes = try await service.getRoutes(.init(apiId: apiId), context: context())
            let target = routes.items?.first?.target
            _ = try await service.createRoute(.init(apiId: apiId, routeKey: "GET /new", target: target), context: context())
            #expect(await service.gateway.serve(GatewayRequest(method: "GET", path: "/new"), apiId: apiId).status == 200)
            #expect(await service.gateway.serve(GatewayRequest(method: "GET", path: "/prod/new"), apiId: apiId).status == 404)
        }
    }

    @Test func httpProxyMapsPathQueryAndHeaders() async throws {
        try await withGateway { service in
            let api = try await service.createApi(.init(name: "legacy", protocolType: "HTTP"), context: context())
            let apiId = try #require(api.apiId)
            let integration = try await service.createIntegration(
                .init(
                    apiId: apiId,
                    integrationMethod: "ANY",
                    integrationType: "HTTP_PROXY",
                    integrationUri: "http://backend:8080/{proxy}",
                    requestParameters: ["append:header.x-added": "$request.header.x-in", "overwrite:querystring.q": "fixed"]
                ),
                context: context()
            )
            _ = try await service.createRoute(
                .init(apiId: apiId, routeKey: "ANY /{proxy+}", target: "integrations/\(integration.integrationId ?? "")"),
                context: context()
            )
            _ = try await service.createStage(.init(apiId: apiId, autoDeploy: true, stageName: "$default"), context: context())
            let response = await service.gateway.serve(
                GatewayRequest(method: "PUT", path: "/a/b", rawQuery: "q=1&r=2", headers: [("X-In", "hello")]),
                apiId: apiId
            )
            #expect(response.header("x-echo-method") == "PUT")
            #expect(response.header("x-echo-url") == "http://backend:8080/a/b?r=2&q=fixed")
            #expect(response.text.contains("x-added=hello"))
        }
    }

    @Test func stateSurvivesARestart() async throws {
        try await TemporaryDirectory.with { directory in
            let functions = FakeFunctions { _, _ in DispatchReply(payload: Array(#"{"statusCode":204}"#.utf8)) }
            let store = try NimbusStoreSQLite.SQLiteStore(path: directory.path + "/db.sqlite")
            let first = try await APIGatewayService(store: store, dispatcher: functions, forwarder: FakeForwarder())
            let apiId = try await makeAPI(first)
            let second = try await APIGatewayService(store: store, dispatcher: functions, forwarder: FakeForwarder())
            #expect(try await second.getApi(.init(apiId: apiId), context: context()).name == "shop")
            #expect(await second.gateway.serve(GatewayRequest(method: "GET", path: "/items/1"), apiId: apiId).status == 204)
            try await store.close()
        }
    }
}
