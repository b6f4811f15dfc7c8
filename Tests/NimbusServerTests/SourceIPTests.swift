import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NimbusAPIGateway
import NimbusCore
import NimbusStore
import NimbusTesting
import NimbusWire
import Synchronization
import Testing

@testable import NimbusServer

/// The caller's IP address is the edge connection's TCP peer, and it reaches the services.
@Suite struct SourceIPTests {
    @Test func peerAddressesPrintAsAWSPrintsThem() throws {
        #expect(EdgeRequestContext.sourceIP(of: try SocketAddress(ipAddress: "203.0.113.9", port: 5)) == "203.0.113.9")
        #expect(EdgeRequestContext.sourceIP(of: try SocketAddress(ipAddress: "::ffff:198.51.100.4", port: 5)) == "198.51.100.4")
        #expect(EdgeRequestContext.sourceIP(of: try SocketAddress(ipAddress: "2001:db8::1", port: 5)) == "2001:db8::1")
        #expect(EdgeRequestContext.sourceIP(of: try SocketAddress(ipAddress: "::1", port: 5)) == "::1")
        #expect(EdgeRequestContext.sourceIP(of: nil) == "127.0.0.1")
    }

    @Test func peerAddressReachesTheServiceRequest() async throws {
        try await withPlatform { platform async throws in
            let recorder = SourceRecorder()
            var responder = platform.edgeResponder()
            responder.pipeline = EdgePipeline(
                router: OperationRouter(),
                authenticator: RequestAuthenticator(mode: .open),
                handlers: [recorder],
                account: platform.configuration.account
            )
            let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            let body = ByteBuffer(string: "Action=GetCallerIdentity&Version=2011-06-15")
            let request = Request(
                head: HTTPRequest(method: .post, scheme: "http", authority: "localhost", path: "/", headerFields: form),
                body: RequestBody(buffer: body)
            )
            let response = try await responder.respond(to: request, context: Self.context(peer: "::ffff:203.0.113.9"))
            #expect(response.status == .ok)
            #expect(recorder.sourceIPs == ["203.0.113.9"])
        }
    }

    @Test func peerAddressReachesTheGatewayAndItsIntegrations() async throws {
        try await withPlatform { platform async throws in
            // An HTTP_PROXY integration whose service answers 200 only when the `forwarded`
            // header the gateway adds names the caller.
            let router = Router()
            router.get("/echo") { request, _ -> HTTPResponse.Status in
                let forwarded = request.headers[HTTPField.Name("forwarded")!] ?? ""
                return forwarded.hasPrefix("for=198.51.100.4;") ? .ok : .preconditionFailed
            }
            try await Application(router: router).test(.live) { client in
                let port = try #require(client.port)
                let api = try await platform.apigateway.createApi(
                    .init(name: "peer", protocolType: "HTTP", routeKey: "GET /echo", target: "http://127.0.0.1:\(port)/echo"),
                    context: Self.serviceContext(platform.configuration)
                )
                let apiId = try #require(api.apiId)
                let request = Request(
                    head: HTTPRequest(method: .get, scheme: "http", authority: "localhost", path: "/_aws/execute-api/\(apiId)/echo"),
                    body: RequestBody(buffer: ByteBuffer())
                )
                let response = try await platform.edgeResponder().respond(to: request, context: Self.context(peer: "198.51.100.4"))
                #expect(response.status == .ok)
            }
        }
    }

    private static func context(peer: String) throws -> EdgeRequestContext {
        var context = EdgeRequestContext(logger: Logger(label: "test"))
        context.remoteAddress = try SocketAddress(ipAddress: peer, port: 40_000)
        return context
    }

    private static func serviceContext(_ configuration: ServerConfiguration) -> NimbusWire.RequestContext {
        NimbusWire.RequestContext(
            requestID: "t",
            account: configuration.account,
            caller: CallerIdentity(accessKeyID: "AKIDTEST", principal: nil),
            request: AWSRequest(method: .post, target: "/")
        )
    }
}

/// An STS stand-in that records the source IP of each request it answers.
private final class SourceRecorder: ServiceHandler {
    let serviceName = "sts"
    let implementedOperations: Set<String> = ["GetCallerIdentity"]
    private let seen = Mutex<[String]>([])

    var sourceIPs: [String] { seen.withLock { $0 } }

    func perform(_ call: OperationCall) async throws -> OperationResult {
        seen.withLock { $0.append(call.context.request.sourceIP) }
        return .empty
    }
}
