import NIOCore
import NIOHTTP1
import NIOPosix
import NimbusAPIGateway

/// Outbound HTTP/1.1 for API Gateway (`HTTP_PROXY` integrations, JWKS fetches): one
/// connection per request, `Connection: close`, no redirects followed. Plain `http://` only.
struct GatewayForwarder: HTTPForwarder {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    func send(_ request: ForwardedRequest, timeout: Double) async throws -> GatewayResponse {
        guard request.url.hasPrefix("http://") else { throw Failure(description: "only http:// integrations are supported: \(request.url)") }
        let rest = request.url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        let host: String
        let port: Int
        if let colon = authority.lastIndex(of: ":"), let number = Int(authority[authority.index(after: colon)...]) {
            host = String(authority[..<colon])
            port = number
        } else {
            host = authority
            port = 80
        }
        let promise = MultiThreadedEventLoopGroup.singleton.next().makePromise(of: GatewayResponse.self)
        let bootstrap = ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector(promise: promise))
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            promise.fail(error)
            throw error
        }
        var headers = HTTPHeaders()
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "host", value: authority)
        headers.replaceOrAdd(name: "connection", value: "close")
        headers.replaceOrAdd(name: "content-length", value: String(request.body.count))
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target, headers: headers)
        channel.write(HTTPClientRequestPart.head(head), promise: nil)
        if !request.body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: request.body))), promise: nil) }
        channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        defer { channel.close(promise: nil) }
        return try await promise.futureResult.get()
    }

    /// Collects one response and completes the promise with it (or fails it if the
    /// connection closes first).
    private final class ResponseCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart

        private let promise: EventLoopPromise<GatewayResponse>
        private var response = GatewayResponse(status: 502)
        private var done = false

        init(promise: EventLoopPromise<GatewayResponse>) {
            self.promise = promise
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                response.status = Int(head.status.code)
                response.headers = head.headers.map { ($0.name, $0.value) }
            case .body(var buffer):
                response.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                if response.body.count > 10 * 1024 * 1024 {
                    fail(Failure(description: "integration response over 10 MB"))
                    context.close(promise: nil)
                }
            case .end:
                guard !done else { return }
                done = true
                promise.succeed(response)
                context.close(promise: nil)
            }
        }

        func channelInactive(context: ChannelHandlerContext) {
            fail(Failure(description: "the integration closed the connection before answering"))
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            fail(error)
            context.close(promise: nil)
        }

        private func fail(_ error: any Error) {
            guard !done else { return }
            done = true
            promise.fail(error)
        }
    }
}
