import HTTPTypes
import Hummingbird
import NIOCore
import NimbusAPIGateway

/// The edge's side of API Gateway's data plane: requests addressed to an API (by
/// `<apiId>.execute-api.localhost` or `/_aws/execute-api/<apiId>/…`) become plain
/// `GatewayRequest`s for the gateway, and its answers become responses.
struct GatewayEndpoint: EdgeEndpoint {
    let gateway: Gateway

    func claims(_ request: EdgeRequest) -> Bool {
        Self.address(of: request) != nil
    }

    func respond(to request: EdgeRequest) async throws -> Response? {
        guard let api = Self.address(of: request) else { return nil }
        return try await response(to: request, apiId: api.apiId, target: api.target)
    }

    /// The API a request is for, or `nil` when it is not for the gateway.
    static func address(of request: EdgeRequest) -> (apiId: String, target: String)? {
        GatewayAddress.resolve(host: request.host, target: request.target)
    }

    /// The gateway's answer to `request`, addressed to `target` (path and query) of API `apiId`.
    private func response(to edge: EdgeRequest, apiId: String, target: String) async throws -> Response {
        var request = edge.http
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Gateway.maximumPayload {
            return Self.response(.message(413, "Request Entity Too Large"))
        }
        let body: ByteBuffer
        do {
            body = try await request.collectBody(upTo: Gateway.maximumPayload)
        } catch is NIOTooManyBytesError {
            return Self.response(.message(413, "Request Entity Too Large"))
        }
        let queryStart = target.firstIndex(of: "?")
        let gatewayRequest = GatewayRequest(
            method: request.method.rawValue,
            path: String(target[..<(queryStart ?? target.endIndex)]),
            rawQuery: queryStart.map { String(target[target.index(after: $0)...]) } ?? "",
            headers: request.headers.map { ($0.name.rawName, $0.value) },
            body: Array(buffer: body),
            sourceIP: edge.context.sourceIP,
            host: edge.host ?? "localhost"
        )
        return Self.response(await gateway.serve(gatewayRequest, apiId: apiId))
    }

    private static func response(_ answer: GatewayResponse) -> Response {
        var headers = HTTPFields()
        for (name, value) in answer.headers {
            if let field = HTTPField.Name(name) { headers.append(HTTPField(name: field, value: value)) }
        }
        return Response(
            status: HTTPResponse.Status(code: answer.status),
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body))
        )
    }
}
