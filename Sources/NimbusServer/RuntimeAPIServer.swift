package import NIOCore
import NIOHTTP1
import NIOPosix
package import NimbusLambda
import NimbusSandbox

/// The Runtime API's listeners: one port on 127.0.0.1 per instance, served on the server's
/// event loops, so the port an instance is given is the only Runtime API it can reach.
package struct RuntimeAPIServer: RuntimeAPIListener {
    let group: any EventLoopGroup

    package init(group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.group = group
    }

    package func open(for session: RuntimeSession, on home: ObjectIdentifier?) async throws -> any RuntimeAPIBinding {
        // One event loop serves the listener and its connection, so that the instance can run on
        // that loop's CPU (`EventLoopPlacement`) and invocations arriving there can prefer it: the
        // loop asked for (a standby's), else the loop of the invocation that launches the instance,
        // so that a caller's later invocations on the same connection find it there; the next loop
        // for launches from elsewhere.
        let loop = home.flatMap(loop(identifiedBy:)) ?? currentLoop() ?? group.next()
        let cpus = try await loop.submit { CPUAffinity.ofCurrentThread() }.get()
        let channel = try await ServerBootstrap(group: loop)
            .serverChannelOption(.backlog, value: 8)
            .childChannelOption(.tcpOption(.tcp_nodelay), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    // No pipelining assistance: a runtime waits for each answer before its next request,
                    // and the assistant stopped and restarted reading around every parked `next` (two
                    // `epoll_ctl` calls per invocation).
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withPipeliningAssistance: false, withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(RuntimeAPIHandler(session: session))
                }
            }
            // An address, not a host name: `bind(host:)` resolves it with getaddrinfo, which asks the
            // kernel for every interface address (a netlink dump) on each instance's launch.
            .bind(to: try SocketAddress(ipAddress: "127.0.0.1", port: 0))
            .get()
        return Binding(channel: channel, home: ObjectIdentifier(loop), cpus: cpus)
    }

    package var homes: [ObjectIdentifier] {
        group.makeIterator().map { ObjectIdentifier($0) }
    }

    private func loop(identifiedBy home: ObjectIdentifier) -> (any EventLoop)? {
        group.makeIterator().first { ObjectIdentifier($0) == home }
    }

    package func currentHome() -> ObjectIdentifier? {
        MultiThreadedEventLoopGroup.currentEventLoop.map { ObjectIdentifier($0) }
    }

    /// The loop of `group` the caller runs on, if any.
    private func currentLoop() -> (any EventLoop)? {
        guard let current = MultiThreadedEventLoopGroup.currentEventLoop else { return nil }
        return group.makeIterator().first { $0 === current }
    }

    private struct Binding: RuntimeAPIBinding {
        let channel: any Channel
        let home: ObjectIdentifier
        let cpus: [Int]

        var address: String { "127.0.0.1:\(channel.localAddress?.port ?? 0)" }

        func close() async {
            try? await channel.close()
        }
    }
}

/// Reads one Runtime API request at a time (bodies up to 6 MB; beyond that only the fact
/// that it was too large), hands it to the instance's session and writes its answer.
final class RuntimeAPIHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let session: RuntimeSession
    private var head: HTTPRequestHead?
    private var body = ByteBuffer()
    private var bodyTooLarge = false

    init(session: RuntimeSession) {
        self.session = session
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body.clear()
            bodyTooLarge = false
        case .body(var chunk):
            guard !bodyTooLarge else { return }
            if body.readableBytes + chunk.readableBytes > RuntimeAPIRequest.maximumBody {
                bodyTooLarge = true
                body = ByteBuffer()
            } else {
                body.writeBuffer(&chunk)
            }
        case .end:
            guard let head else { return }
            self.head = nil
            let request = RuntimeAPIRequest(
                method: head.method.rawValue,
                path: head.uri,
                errorType: head.headers.first(name: "Lambda-Runtime-Function-Error-Type"),
                standbyToken: head.uri == RuntimeAPIRequest.assignmentPath ? head.headers.first(name: RuntimeAPIRequest.standbyTokenHeader) : nil,
                body: body.readBytes(length: body.readableBytes) ?? [],
                bodyTooLarge: bodyTooLarge
            )
            let keepAlive = head.isKeepAlive
            let version = head.version
            let bound = NIOLoopBound((context, self), eventLoop: context.eventLoop)
            let eventLoop = context.eventLoop
            session.handle(request) { response in
                if eventLoop.inEventLoop {
                    bound.value.1.write(response, version: version, keepAlive: keepAlive, context: bound.value.0)
                } else {
                    eventLoop.execute { bound.value.1.write(response, version: version, keepAlive: keepAlive, context: bound.value.0) }
                }
            }
        }
    }

    private func write(_ response: RuntimeAPIResponse, version: HTTPVersion, keepAlive: Bool, context: ChannelHandlerContext) {
        guard context.channel.isActive else { return }
        var headers = HTTPHeaders()
        for header in response.headers { headers.add(name: header.name, value: header.value) }
        if !headers.contains(name: "Content-Type") { headers.add(name: "Content-Type", value: "application/json") }
        headers.add(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: version, status: .init(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: response.body)))), promise: nil)
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !keepAlive {
            let channel = context.channel
            done.whenComplete { _ in channel.close(promise: nil) }
        }
    }
}
