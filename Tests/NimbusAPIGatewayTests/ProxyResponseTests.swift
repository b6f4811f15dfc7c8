import Testing

@testable import NimbusAPIGateway

@Suite struct ProxyResponseTests {
    private func map(_ json: String, _ version: String) -> GatewayResponse? {
        ProxyResponse.map(Array(json.utf8), version: version)
    }

    @Test func version2StructuredResponse() throws {
        let response = try #require(
            map(#"{"statusCode":201,"headers":{"x-a":"1","x-n":5},"cookies":["a=1","b=2"],"body":"made"}"#, "2.0")
        )
        #expect(response.status == 201)
        #expect(response.header("x-a") == "1")
        #expect(response.header("x-n") == "5")
        #expect(response.headers.filter { $0.name == "set-cookie" }.map(\.value) == ["a=1", "b=2"])
        #expect(response.text == "made")
    }

    @Test func version2InfersA200JSONResponse() throws {
        let object = try #require(map(#"{"message":"hi"}"#, "2.0"))
        #expect(object.status == 200)
        #expect(object.header("content-type") == "application/json")
        #expect(object.text == #"{"message":"hi"}"#)
        let string = try #require(map(#""plain""#, "2.0"))
        #expect(string.text == "plain")
    }

    @Test func base64BodiesAreDecoded() throws {
        let response = try #require(map(#"{"statusCode":200,"body":"AAEC/w==","isBase64Encoded":true}"#, "2.0"))
        #expect(response.body == [0, 1, 2, 255])
        #expect(map(#"{"statusCode":200,"body":"!!!","isBase64Encoded":true}"#, "2.0") == nil)
    }

    @Test func version1NeedsAStatusCodeAndTakesMultiValueHeaders() throws {
        #expect(map(#"{"message":"hi"}"#, "1.0") == nil)
        let response = try #require(map(#"{"statusCode":200,"multiValueHeaders":{"x-m":["a","b"]},"body":"x"}"#, "1.0"))
        #expect(response.headers.filter { $0.name == "x-m" }.map(\.value) == ["a", "b"])
    }

    @Test func malformedAnswersAreRefused() {
        #expect(map("not json", "2.0") == nil)
        #expect(map(#"{"statusCode":"abc"}"#, "2.0") == nil)
        #expect(map(#"{"statusCode":700}"#, "1.0") == nil)
        #expect(map(#"{"statusCode":200,"headers":{"x":{"y":1}}}"#, "2.0") == nil)
    }
}

@Suite struct ParameterMappingTests {
    let source = ParameterMapping.Source(
        request: GatewayRequest(method: "GET", path: "/users/7", headers: [("X-Tenant", "acme")]),
        query: [("q", "1"), ("q", "2")],
        pathParameters: ["id": "7"],
        stagePath: "/users/7",
        stageVariables: ["version": "v2"],
        context: ["requestId": "r-1"]
    )

    @Test func mixesTextAndReferences() {
        #expect(ParameterMapping.evaluate("/$stageVariables.version/items/$request.path.id", source) == "/v2/items/7")
        #expect(ParameterMapping.evaluate("${request.header.x-tenant}-${context.requestId}", source) == "acme-r-1")
        #expect(ParameterMapping.evaluate("$request.querystring.q", source) == "1,2")
        #expect(ParameterMapping.evaluate("$request.path", source) == "/users/7")
        #expect(ParameterMapping.evaluate("static", source) == "static")
        #expect(ParameterMapping.evaluate("$request.header.missing", source) == "")
        #expect(ParameterMapping.evaluate("cost: 5$", source) == "cost: 5$")
    }

    @Test func parsesMappingKeys() {
        #expect(ParameterMapping.Target("overwrite:path") == .path)
        #expect(ParameterMapping.Target("append:header.X-A") == .header(.append, "x-a"))
        #expect(ParameterMapping.Target("remove:querystring.q") == .query(.remove, "q"))
        #expect(ParameterMapping.Target("append:path") == nil)
        #expect(ParameterMapping.Target("bogus:header.x") == nil)
        #expect(ParameterMapping.Target("overwrite:header.") == nil)
    }
}
