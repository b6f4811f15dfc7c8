import Testing

@testable import NimbusAPIGateway

/// A request names its API by host (`<apiId>.execute-api.localhost`, any case, any port) or by
/// the path form; any other host is not the gateway's.
@Suite struct GatewayAddressTests {
    @Test func theHostFormNamesTheAPI() throws {
        let hosted = try #require(GatewayAddress.resolve(host: "a1b2c3.Execute-API.LocalHost:4566", target: "/prod/items?x=1"))
        #expect(hosted.apiId == "a1b2c3" && hosted.target == "/prod/items?x=1")
        #expect(GatewayAddress.resolve(host: "a1b2c3.execute-api.localhost", target: "/")?.apiId == "a1b2c3")
    }

    @Test(arguments: [
        "bench.s3.localhost", "localhost:4566", ".execute-api.localhost", "a.b.execute-api.localhost",
        "a.execute-api.localhost.example", "a.execute-api.example.com", "execute-api.localhost",
    ])
    func otherHostsAreNotTheGateway(host: String) {
        #expect(GatewayAddress.resolve(host: host, target: "/prod/items") == nil)
    }

    @Test func thePathFormWorksWithAnyHost() throws {
        let path = try #require(GatewayAddress.resolve(host: "localhost:4566", target: "/_aws/execute-api/abc/prod/items"))
        #expect(path.apiId == "abc" && path.target == "/prod/items")
    }
}
