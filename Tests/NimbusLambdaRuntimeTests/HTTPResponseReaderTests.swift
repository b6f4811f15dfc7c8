import Testing

@testable import NimbusLambdaRuntime

/// The HTTP/1.1 response reader on bytes that arrive in pieces of every size.
struct HTTPResponseReaderTests {
    /// Hands out `bytes` `pieceSize` at a time, then reports the end of the stream.
    final class Pieces: ByteSource {
        private var bytes: ArraySlice<UInt8>
        private let pieceSize: Int

        init(_ text: String, pieceSize: Int) {
            self.bytes = Array(text.utf8)[...]
            self.pieceSize = pieceSize
        }

        func receive(appendingTo buffer: inout [UInt8]) throws(LambdaRuntimeError) -> Bool {
            guard !bytes.isEmpty else { return false }
            buffer.append(contentsOf: bytes.prefix(pieceSize))
            bytes = bytes.dropFirst(pieceSize)
            return true
        }
    }

    static func read(_ text: String, pieceSize: Int, method: String = "GET") throws(LambdaRuntimeError) -> HTTPResponse {
        var reader = HTTPResponseReader(source: Pieces(text, pieceSize: pieceSize))
        return try reader.readResponse(method: method)
    }

    @Test(arguments: [1, 2, 7, 4096])
    func contentLengthBodyAndHeaders(pieceSize: Int) throws {
        let response = try Self.read(
            "HTTP/1.1 200 OK\r\nLambda-Runtime-Aws-Request-Id:  abc \r\nContent-Length: 5\r\n\r\nhello",
            pieceSize: pieceSize
        )
        #expect(response.status == 200)
        #expect(response.headers["lambda-runtime-aws-request-id"] == "abc")
        #expect(response.body == Array("hello".utf8))
        #expect(response.keepAlive)
    }

    @Test(arguments: [1, 3, 4096])
    func chunkedBodyWithExtensionsAndTrailers(pieceSize: Int) throws {
        let response = try Self.read(
            "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;x=y\r\nWiki\r\nA\r\npedia in\r\n\r\n0\r\nT: v\r\n\r\n",
            pieceSize: pieceSize
        )
        #expect(String(decoding: response.body, as: UTF8.self) == "Wikipedia in\r\n")
    }

    @Test func interimResponsesAreSkipped() throws {
        let response = try Self.read("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\nContent-Length: 0\r\n\r\n", pieceSize: 5)
        #expect(response.status == 202 && response.body.isEmpty)
    }

    @Test func bodyUntilCloseEndsTheConnection() throws {
        let response = try Self.read("HTTP/1.1 200 OK\r\n\r\nall of it", pieceSize: 4)
        #expect(response.body == Array("all of it".utf8) && !response.keepAlive)
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n", false),
        ("HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false),
        ("HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 0\r\n\r\n", true),
    ])
    func connectionPersistence(text: String, keepAlive: Bool) throws {
        #expect(try Self.read(text, pieceSize: 8).keepAlive == keepAlive)
    }

    @Test func noBodyForHeadAnd204() throws {
        #expect(try Self.read("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\n", pieceSize: 8, method: "HEAD").body.isEmpty)
        #expect(try Self.read("HTTP/1.1 204 No Content\r\n\r\n", pieceSize: 8).keepAlive)
    }

    @Test func twoResponsesInOneRead() throws {
        var reader = HTTPResponseReader(
            source: Pieces("HTTP/1.1 200 OK\r\nContent-Length: 1\r\n\r\nAHTTP/1.1 202 OK\r\nContent-Length: 1\r\n\r\nB", pieceSize: 4096)
        )
        #expect(try reader.readResponse(method: "GET").body == [UInt8(ascii: "A")])
        #expect(try reader.readResponse(method: "GET").body == [UInt8(ascii: "B")])
    }

    @Test(arguments: [
        ("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nshort", LambdaRuntimeError.Code.connectionClosed),
        ("HTTP/1.1 200 OK\r\nContent-Le", .connectionClosed),
        ("", .connectionClosed),
        ("SSH-2.0-OpenSSH\r\n\r\n", .malformedResponse("status line 'SSH-2.0-OpenSSH'")),
        ("HTTP/1.1 OK\r\n\r\n", .malformedResponse("status line 'HTTP/1.1 OK'")),
        ("HTTP/1.1 200 OK\r\nno colon\r\n\r\n", .malformedResponse("header line 'no colon'")),
        ("HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n", .malformedResponse("Content-Length '-1'")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n", .malformedResponse("chunk size 'zz'")),
        ("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n1\r\nabc\r\n", .malformedResponse("chunk longer than its size 1")),
    ])
    func truncatedOrMalformedResponses(text: String, expected: LambdaRuntimeError.Code) {
        #expect(throws: LambdaRuntimeError(expected)) {
            try Self.read(text, pieceSize: 3)
        }
    }

    @Test func overlongLineIsRejected() {
        let text = "HTTP/1.1 200 OK\r\nX: " + String(repeating: "a", count: 70_000) + "\r\n\r\n"
        #expect(throws: LambdaRuntimeError(.malformedResponse("line longer than 65536 bytes"))) {
            try Self.read(text, pieceSize: 4096)
        }
    }
}
