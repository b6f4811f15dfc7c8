import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NimbusCore
import NimbusWire

/// What the edge adds to Hummingbird's HTTP/1.1 channel, in one handler (each handler is a
/// hop for every request part):
///
/// - `Expect: 100-continue` gets an interim `100 Continue` as soon as the head arrives, so
///   clients that wait for it before sending a body (botocore does, for S3 uploads) do not
///   stall for a second. Hummingbird does not send interim responses itself.
/// - A request that is not valid HTTP, or whose headers exceed the limits, gets an AWS-style
///   error with a request id and the connection is closed. Without this the parser error
///   reaches Hummingbird, which answers a bare `400` with no body.
final class EdgeChannelHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if case .head(let head) = unwrapInboundIn(data), let expect = head.headerFields[.expect],
            expect.lowercased() == "100-continue"
        {
            context.writeAndFlush(wrapOutboundOut(.head(HTTPResponse(status: .continue))), promise: nil)
        }
        context.fireChannelRead(data)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        let failure: AWSError
        switch parserError {
        case .headerOverflow:
            failure = AWSError(code: "RequestHeaderFieldsTooLarge", status: 431, message: "The request's headers exceed the server's limit")
        default:
            failure = AWSError(code: "BadRequest", message: "The request is not valid HTTP/1.1: \(parserError)")
        }
        let rendered = ErrorEncoder.encode(failure, protocol: .restJson1, requestID: RequestID.make())
        var fields = rendered.headers
        fields[.connection] = "close"
        fields[.contentLength] = String(rendered.body.count)
        let head = HTTPResponse(status: HTTPResponse.Status(code: failure.status), headerFields: fields)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(ByteBuffer(bytes: rendered.body))), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { [channel = context.channel] _ in channel.close(promise: nil) }
    }
}
