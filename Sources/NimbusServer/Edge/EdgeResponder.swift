import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NimbusCore
import NimbusS3
import NimbusWire

/// Hummingbird's side of the edge: the edge's own endpoints first, in priority order, then
/// the AWS protocol dispatch through the `EdgePipeline` (the body streamed or collected up to
/// the cap, S3's CORS headers added, one debug log line per request).
struct EdgeResponder: HTTPResponder {
    typealias Context = EdgeRequestContext

    /// The edge's own routes, in priority order (see `Platform.edgeEndpoints`).
    let endpoints: [any EdgeEndpoint]
    var pipeline: EdgePipeline
    /// S3, whose CORS rules add headers to its answers to browsers.
    let s3: S3Service
    let maxBodySize: Int

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        let edge = EdgeRequest(request, context: context)
        for endpoint in endpoints where endpoint.claims(edge) {
            if let response = try await endpoint.respond(to: edge) { return response }
        }
        return try await dispatch(edge, started: started)
    }

    /// The AWS protocol dispatch: the request through the `EdgePipeline`.
    private func dispatch(_ edge: EdgeRequest, started: ContinuousClock.Instant) async throws -> Response {
        let head = edge.head
        var awsRequest = head
        if StreamingEdge.streams(head) {
            awsRequest.bodyStream = StreamingEdge.requestStream(edge.http.body)
        } else {
            guard let body = try await collect(edge.http) else { return tooLarge(head, context: edge.context) }
            awsRequest.body = body
        }
        var outcome = await pipeline.handle(awsRequest)
        if outcome.service == "s3", head.header("Origin") != nil { await s3.addCORSHeaders(for: head, to: &outcome.response) }
        let elapsed = ContinuousClock.now - started
        edge.context.logger.debug(
            "\(edge.method) \(head.path) → \(outcome.response.status)",
            metadata: [
                "request_id": "\(outcome.requestID)",
                "service": "\(outcome.service ?? "-")",
                "operation": "\(outcome.operation ?? "-")",
                "error": "\(outcome.errorCode ?? "-")",
                "duration_us": "\(elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000)",
            ]
        )
        return Response(outcome.response)
    }

    /// The body in memory, or `nil` when it is over `--max-body-size`.
    private func collect(_ request: Request) async throws -> [UInt8]? {
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
