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
