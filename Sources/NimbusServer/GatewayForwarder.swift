import NIOCore
import NIOHTTP1
import NIOPosix
import NimbusAPIGateway
import Synchronization

/// Outbound HTTP/1.1 for API Gateway (`HTTP_PROXY` integrations, JWKS fetches): keep-alive
/// connections pooled per host and port (at most `maximumIdle` idle ones each), no redirects
/// followed, plain `http://` only. A request on a pooled connection that the server closed
/// meanwhile is sent again once on a new connection.
final class GatewayForwarder: HTTPForwarder {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static let maximumIdle = 64
    private let idle = Mutex<[String: [any Channel]]>([:])

    func send(_ request: ForwardedRequest, timeout: Double) async throws -> GatewayResponse {
        guard request.url.hasPrefix("http://") else { throw Failure(description: "only http:// integrations are supported: \(request.url)") }
        let rest = request.url.dropFirst("http://".count)
        let slash = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = String(rest[..<slash])
        let target = slash == rest.endIndex ? "/" : String(rest[slash...])
        var host = authority
        var port = 80
        if let colon = authority.lastIndex(of: ":"), let number = Int(authority[authority.index(after: colon)...]) {
            host = String(authority[..<colon])
            port = number
        }
        var headers = HTTPHeaders()
        for (name, value) in request.headers { headers.add(name: name, value: value) }
        headers.replaceOrAdd(name: "host", value: authority)
        headers.replaceOrAdd(name: "content-length", value: String(request.body.count))
        let head = HTTPRequestHead(version: .http1_1, method: HTTPMethod(rawValue: request.method), uri: target, headers: headers)
        if let channel = takeIdle(authority) {
            if let response = try? await exchange(on: channel, head: head, body: request.body, key: authority) { return response }
        }
        let channel = try await connect(host: host, port: port, timeout: timeout)
        return try await exchange(on: channel, head: head, body: request.body, key: authority)
    }

    private func takeIdle(_ key: String) -> (any Channel)? {
        idle.withLock { idle in
            while let channel = idle[key]?.popLast() {
                if channel.isActive { return channel }
            }
            return nil
        }
    }

    private func release(_ channel: any Channel, key: String) {
        let kept = idle.withLock { idle in
            guard (idle[key]?.count ?? 0) < Self.maximumIdle else { return false }
            idle[key, default: []].append(channel)
            return true
        }
        if !kept { channel.close(promise: nil) }
    }

    private func connect(host: String, port: Int, timeout: Double) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout * 1000)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers()
                    try channel.pipeline.syncOperations.addHandler(ResponseCollector())
                }
            }
            .connect(host: host, port: port).get()
    }

    /// Sends one request on `channel` and waits for its response; the channel goes back to
    /// the pool when the server keeps it open.
    private func exchange(on channel: any Channel, head: HTTPRequestHead, body: [UInt8], key: String) async throws -> GatewayResponse {
        let promise = channel.eventLoop.makePromise(of: (GatewayResponse, Bool).self)
        try await channel.eventLoop.submit {
            try channel.pipeline.syncOperations.handler(type: ResponseCollector.self).expect(promise)
            channel.write(HTTPClientRequestPart.head(head), promise: nil)
            if !body.isEmpty { channel.write(HTTPClientRequestPart.body(.byteBuffer(ByteBuffer(bytes: body))), promise: nil) }
            channel.writeAndFlush(HTTPClientRequestPart.end(nil), promise: nil)
        }.get()
        do {
            let (response, reusable) = try await promise.futureResult.get()
            if reusable { release(channel, key: key) } else { channel.close(promise: nil) }
            return response
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    /// Collects the response to the request in flight and completes its promise (failing it
    /// if the connection closes first); `true` beside the response when the connection may be reused.
    private final class ResponseCollector: ChannelInboundHandler {
        typealias InboundIn = HTTPClientResponsePart

        private var promise: EventLoopPromise<(GatewayResponse, Bool)>?
        private var response = GatewayResponse(status: 502)
        private var keepAlive = true

        func expect(_ promise: EventLoopPromise<(GatewayResponse, Bool)>) {
            self.promise = promise
            response = GatewayResponse(status: 502)
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            switch unwrapInboundIn(data) {
            case .head(let head):
                response.status = Int(head.status.code)
                response.headers = head.headers.map { ($0.name, $0.value) }
                keepAlive = head.isKeepAlive
            case .body(var buffer):
                response.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                if response.body.count > 10 * 1024 * 1024 {
                    fail(Failure(description: "integration response over 10 MB"))
                    context.close(promise: nil)
                }
            case .end:
                let promise = self.promise
                self.promise = nil
                promise?.succeed((response, keepAlive))
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
            let promise = self.promise
            self.promise = nil
            promise?.fail(error)
        }
    }
}
