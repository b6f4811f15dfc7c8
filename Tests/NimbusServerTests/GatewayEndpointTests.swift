import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NimbusAPIGateway
import NimbusStore
import NimbusTesting
import NimbusWire
import Testing

@testable import NimbusServer

/// The edge hands requests addressed to an API, by path or by host, to the gateway.
@Suite struct GatewayEndpointTests {
    @Test func pathAndHostFormsReachTheGateway() async throws {
        try await TemporaryDirectory.with { directory in
            var configuration = ServerConfiguration()
            configuration.dataDirectory = directory.path + "/data"
            configuration.port = 0
            let platform = try await Platform.open(configuration)
            let context = RequestContext(
                requestID: "t",
                account: configuration.account,
                caller: CallerIdentity(accessKeyID: "AKIDTEST", principal: nil),
                request: AWSRequest(method: .post, target: "/")
            )
            // A function that does not exist: the call reaches Lambda through the dispatcher and fails there.
            let api = try await platform.apigateway.createApi(
                .init(name: "edge", protocolType: "HTTP", target: "arn:aws:lambda:us-east-1:000000000000:function:absent"),
                context: context
            )
            let apiId = try #require(api.apiId)
            try await platform.application(logger: Logger(label: "test")).test(.router) { client in
                try await client.execute(uri: "/_aws/execute-api/\(apiId)/anything", method: .get) { response in
                    #expect(response.status == .internalServerError)
                    #expect(String(buffer: response.body) == #"{"message":"Internal Server Error"}"#)
                    #expect(response.headers[HTTPField.Name("apigw-requestid")!] != nil)
                }
                let host: HTTPFields = [HTTPField.Name("Host")!: "\(apiId).execute-api.localhost:4566"]
                try await client.execute(uri: "/anything", method: .get, headers: host) { response in
                    #expect(response.status == .internalServerError)
                }
                try await client.execute(uri: "/_aws/execute-api/nosuchapi0/x", method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(String(buffer: response.body) == #"{"message":"Not Found"}"#)
                }
                let body = ByteBuffer(repeating: 0, count: Gateway.maximumPayload + 1)
                try await client.execute(uri: "/_aws/execute-api/\(apiId)/x", method: .post, body: body) { response in
                    #expect(response.status == .contentTooLarge)
                }
                // Other requests still reach the AWS pipeline.
                try await client.execute(uri: "/_nimbus/health", method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
            try await platform.store.close()
        }
    }
}
