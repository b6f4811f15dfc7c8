import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NimbusCore
import NimbusS3
import NimbusSNS
import NimbusWire

/// Hummingbird's side of the edge: collects the body (up to the cap), answers the health
/// endpoint, and hands every other request to the `EdgePipeline`.
struct EdgeResponder: HTTPResponder {
    typealias Context = EdgeRequestContext

    private static let host = HTTPField.Name("Host")!

    var pipeline: EdgePipeline
    let health: HealthEndpoint
    let functions: FunctionsEndpoint
    let codeDownloads: CodeDownloads
    /// SNS, whose signing certificate is served at its envelopes' `SigningCertURL`.
    let sns: SNSService
    /// API Gateway's data plane, for requests addressed to an API.
    let gateway: GatewayEndpoint
    /// S3, which answers its website endpoint and browsers' CORS preflights outside the pipeline.
    let s3: S3Service
    let maxBodySize: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let target = request.head.path ?? "/"
        if let api = GatewayEndpoint.address(of: request) {
            return try await gateway.response(to: request, apiId: api.apiId, target: api.target, sourceIP: context.sourceIP)
        }
        if request.method == .get, target == HealthEndpoint.path || target.hasPrefix(HealthEndpoint.path + "?") {
            return health.response()
        }
        if request.method == .get, target == FunctionsEndpoint.path {
            return try await functions.response()
        }
        if request.method == .get, let response = try await codeDownloads.response(for: target) {
            return response
        }
        if request.method == .get, let certificate = sns.signingCertificate(forRequestTarget: target) {
            return Response(
                status: .ok,
                headers: [.contentType: "application/x-pem-file"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: certificate))
            )
        }
        var headers = request.headers
        // HTTP/1.1's Host arrives as the request's authority; SigV4 signs it as `host`.
        if headers[Self.host] == nil, let authority = request.head.authority { headers[Self.host] = authority }
        let head = AWSRequest(method: request.method, target: target, headers: headers, sourceIP: context.sourceIP)
        if let site = WebsiteSettings.target(host: head.header("Host"), path: head.path) {
            return Self.response(await s3.website(head, bucket: site.bucket, path: site.path))
        }
        if request.method == .options, let preflight = await s3.preflight(head) {
            return Self.response(preflight)
        }
        var awsRequest = head
        if StreamingEdge.streams(head) {
            awsRequest.bodyStream = StreamingEdge.requestStream(request.body)
        } else {
            guard let body = try await collect(request, context: context) else { return tooLarge(head, context: context) }
            awsRequest.body = body
        }
        var outcome = await pipeline.handle(awsRequest)
        if outcome.service == "s3", head.header("Origin") != nil { await s3.addCORSHeaders(for: head, to: &outcome.response) }
        let elapsed = ContinuousClock.now - started
        context.logger.debug(
            "\(request.method) \(head.path) → \(outcome.response.status)",
            metadata: [
                "request_id": "\(outcome.requestID)",
                "service": "\(outcome.service ?? "-")",
                "operation": "\(outcome.operation ?? "-")",
                "error": "\(outcome.errorCode ?? "-")",
                "duration_us": "\(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)",
            ]
        )
        return Self.response(outcome.response)
    }

    private static func response(_ response: AWSResponse) -> Response {
        Response(
            status: HTTPResponse.Status(code: response.status),
            headers: response.headers,
            body: StreamingEdge.responseBody(response)
        )
    }

    /// The body in memory, or `nil` when it is over `--max-body-size`.
    private func collect(_ request: Request, context: Context) async throws -> [UInt8]? {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > maxBodySize { return nil }
        var request = request
        do {
            return Array(buffer: try await request.collectBody(upTo: maxBodySize))
        } catch is NIOTooManyBytesError {
            return nil
        }
    }

    private func tooLarge(_ request: AWSRequest, context: Context) -> Response {
        let error = AWSError(
            code: "RequestEntityTooLarge",
            status: 413,
            message: "The request body is larger than the \(maxBodySize)-byte limit of this server (--max-body-size)"
        )
        let rendered = ErrorEncoder.encode(error, protocol: OperationRouter.protocolHint(for: request), requestID: RequestID.make())
        context.logger.debug("\(request.method) \(request.path) → 413 (body over \(maxBodySize) bytes)")
        var headers = rendered.headers
        headers[.connection] = "close"
        return Response(
            status: .contentTooLarge,
            headers: headers,
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: rendered.body))
        )
    }
}
