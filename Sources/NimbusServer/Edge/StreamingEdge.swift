import HTTPTypes
import Hummingbird
import NIOCore
import NimbusWire

/// The edge's streaming path: S3 request bodies reach the pipeline as a `ByteStream` read
/// from the socket as the service consumes it (no `--max-body-size` cap, no whole-object
/// buffer), and responses with a `bodyStream` are written as their chunks are read.
/// Hummingbird types stop here; Wire and the services only see `ByteStream`.
enum StreamingEdge {
    /// Whether the body of `request` streams: requests signed for S3 (header or presigned,
    /// SigV4 or SigV2) and virtual-hosted-style S3 requests.
    static func streams(_ request: AWSRequest) -> Bool {
        SigV4Scope.service(of: request) == "s3" || request.queryContains("AWSAccessKeyId=")
            || request.hostBucket != nil
    }

    /// The HTTP body as a `ByteStream` of its chunks, in arrival order.
    static func requestStream(_ body: RequestBody) -> ByteStream {
        let source = BodySource(body.makeAsyncIterator())
        return ByteStream { try await source.next() }
    }

    /// The response body: the streamed one when there is one, else the bytes. A stream over
    /// one buffer in memory (a small S3 object) is sent as that buffer, without a writer task.
    static func responseBody(_ response: AWSResponse) -> ResponseBody {
        guard let stream = response.bodyStream else { return ResponseBody(byteBuffer: ByteBuffer(bytes: response.body)) }
        if let bytes = stream.takeBuffered() { return ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)) }
        return ResponseBody(contentLength: response.bodyStreamLength) { writer in
            while let chunk = try await stream.next() {
                try await writer.write(ByteBuffer(bytes: chunk))
            }
            try await writer.finish(nil)
        }
    }
}

/// One consumer's hold on a request body iterator (the pipeline reads it from one task at a time).
private final class BodySource: @unchecked Sendable {
    private var iterator: RequestBody.AsyncIterator

    init(_ iterator: RequestBody.AsyncIterator) {
        self.iterator = iterator
    }

    func next() async throws -> [UInt8]? {
        guard let buffer = try await iterator.next() else { return nil }
        return Array(buffer: buffer)
    }
}
