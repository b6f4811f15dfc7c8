import Hummingbird
import HummingbirdCore
import Logging
import NIOCore

/// Hummingbird's HTTP/1 connection, with each connection's requests handled on the
/// connection's own event loop (see `EventLoopTaskExecutor`).
struct EdgeHTTP1Channel: ServerChildChannel, HTTPChannelHandler {
    let http1: HTTP1Channel

    var responder: Responder { http1.responder }

    /// NIO's default reads at most 64 KiB at a time; a large upload then crosses the body
    /// stream's hand-offs a thousand times for 64 MiB. Reads grow to 1 MiB while the socket keeps
    /// them full and shrink back when it does not, so small requests keep small buffers.
    static let receiveAllocator = AdaptiveRecvByteBufferAllocator(minimum: 64, initial: 2048, maximum: 1 << 20)

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<HTTP1Channel.Value> {
        channel.setOption(ChannelOptions.recvAllocator, value: Self.receiveAllocator).flatMap {
            http1.setup(channel: channel, logger: logger)
        }
    }

    func handle(value: HTTP1Channel.Value, logger: Logger) async {
        await withTaskExecutorPreference(EventLoopTaskExecutor(value.channel.eventLoop)) {
            await http1.handle(value: value, logger: logger)
        }
    }
}

extension HTTPServerBuilder {
    /// HTTP/1 with request handling on each connection's event loop.
    static func edgeHTTP1(configuration: HTTP1Channel.Configuration) -> HTTPServerBuilder {
        .init { responder in EdgeHTTP1Channel(http1: HTTP1Channel(responder: responder, configuration: configuration)) }
    }
}
