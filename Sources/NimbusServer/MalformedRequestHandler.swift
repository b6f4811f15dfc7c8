import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes
import NimbusCore
import NimbusWire

/// Answers requests that are not valid HTTP (or whose headers exceed the limits) with an
/// AWS-style error carrying a request id, then closes the connection.
///
/// Without it the parser error reaches Hummingbird, which answers a bare `400` with no body.
final class MalformedRequestHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundOut = HTTPResponsePart

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
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in context.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
    }
}
