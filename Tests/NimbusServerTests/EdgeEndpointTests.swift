import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NimbusStore
import NimbusTesting
import Testing

@testable import NimbusServer

/// The edge asks its endpoints in order: the first that claims a request and answers it wins;
/// one that declines passes the request on.
@Suite struct EdgeEndpointTests {
    @Test func endpointsAnswerInPriorityOrderAndDeclinesFallThrough() async throws {
        try await withPlatform { platform async throws in
            let base = platform.edgeResponder()
            let responder = EdgeResponder(
                endpoints: [
                    FixedEndpoint(prefix: "/a", status: .accepted),
                    FixedEndpoint(prefix: "/a", status: .created),
                    FixedEndpoint(prefix: "/b", status: nil),
                    FixedEndpoint(prefix: "/b", status: .noContent),
                ] + base.endpoints,
                pipeline: base.pipeline,
                s3: base.s3,
                maxBodySize: base.maxBodySize
            )
            #expect(try await responder.respond(to: Self.get("/a"), context: EdgeRequestContext(logger: Logger(label: "t"))).status == .accepted)
            #expect(try await responder.respond(to: Self.get("/b"), context: EdgeRequestContext(logger: Logger(label: "t"))).status == .noContent)
            // Unclaimed: the platform's own endpoints, then the AWS dispatch.
            #expect(
                try await responder.respond(to: Self.get("/_nimbus/health"), context: EdgeRequestContext(logger: Logger(label: "t"))).status == .ok
            )
        }
    }

    private static func get(_ path: String) -> Request {
        Request(head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: path), body: RequestBody(buffer: ByteBuffer()))
    }
}

/// Claims paths with `prefix`; answers `status`, or declines when it is `nil`.
private struct FixedEndpoint: EdgeEndpoint {
    let prefix: String
    let status: HTTPResponse.Status?

    func claims(_ request: EdgeRequest) -> Bool { request.target.hasPrefix(prefix) }

    func respond(to request: EdgeRequest) async throws -> Response? {
        status.map { Response(status: $0) }
    }
}
