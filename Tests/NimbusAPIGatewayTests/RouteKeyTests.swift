import NimbusCore
import Testing

@testable import NimbusAPIGateway

@Suite struct RouteKeyTests {
    @Test func parsesMethodsPathsParametersAndDefault() throws {
        let key = try RouteKey(parsing: "GET /items/{id}")
        #expect(key.method == "GET")
        #expect(key.segments == [.literal("items"), .parameter("id")])
        #expect(key.path == "/items/{id}")
        #expect(try RouteKey(parsing: "ANY /{proxy+}").segments == [.greedy("proxy")])
        #expect(try RouteKey(parsing: "$default").isDefault)
        #expect(try RouteKey(parsing: "GET /").segments.isEmpty)
    }

    @Test(arguments: [
        "GET", "get /items", "FETCH /items", "GET items", "GET /items/", "GET /a//b", "GET /{proxy+}/more", "GET /a{id}",
        "GET /{}", "GET /{id}/{id}", "GET  /x", "",
    ])
    func rejectsKeysAWSRejects(_ text: String) {
        #expect(throws: AWSError.self) { try RouteKey(parsing: text) }
        do {
            _ = try RouteKey(parsing: text)
        } catch {
            #expect(error.code == "BadRequestException")
        }
    }

    @Test func shapeIgnoresParameterNames() throws {
        #expect(try RouteKey(parsing: "GET /items/{id}").shape == RouteKey(parsing: "GET /items/{name}").shape)
        #expect(try RouteKey(parsing: "GET /items/{id}").shape != RouteKey(parsing: "POST /items/{id}").shape)
    }
}

@Suite struct RouteMatcherTests {
    let matcher = RouteMatcher<String>(
        [
            "GET /items", "GET /items/{id}", "GET /items/special", "ANY /items/{id}", "GET /items/{proxy+}", "ANY /{proxy+}",
            "POST /items/{id}/parts/{part}", "$default",
        ].map { (try! RouteKey(parsing: $0), $0) }
    )

    @Test func exactBeatsParameterBeatsGreedyBeatsDefault() {
        #expect(matcher.match(method: "GET", path: "/items/special")?.target == "GET /items/special")
        #expect(matcher.match(method: "GET", path: "/items/42")?.target == "GET /items/{id}")
        #expect(matcher.match(method: "GET", path: "/items/42/more")?.target == "GET /items/{proxy+}")
        #expect(matcher.match(method: "DELETE", path: "/other/path")?.target == "ANY /{proxy+}")
        #expect(matcher.match(method: "GET", path: "/")?.target == "$default")
    }

    @Test func methodBeatsAny() {
        #expect(matcher.match(method: "GET", path: "/items/7")?.target == "GET /items/{id}")
        #expect(matcher.match(method: "PUT", path: "/items/7")?.target == "ANY /items/{id}")
    }

    @Test func bindsDecodedParameters() {
        let match = matcher.match(method: "POST", path: "/items/a%20b/parts/9")
        #expect(match?.target == "POST /items/{id}/parts/{part}")
        #expect(match?.pathParameters == ["id": "a b", "part": "9"])
        #expect(matcher.match(method: "GET", path: "/items/x/y/z")?.pathParameters == ["proxy": "x/y/z"])
    }

    @Test func noDefaultMeansNoMatch() {
        let strict = RouteMatcher<String>([(try! RouteKey(parsing: "GET /a"), "a")])
        #expect(strict.match(method: "GET", path: "/b") == nil)
        #expect(strict.match(method: "POST", path: "/a") == nil)
        #expect(strict.match(method: "GET", path: "/a")?.target == "a")
    }
}
