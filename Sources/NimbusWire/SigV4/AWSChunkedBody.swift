package import Crypto
package import NimbusCore

/// An `aws-chunked` body decoded to its payload, with its trailing headers.
///
/// Format (https://docs.aws.amazon.com/AmazonS3/latest/API/sigv4-streaming.html):
/// `hex-size[;chunk-signature=sig]\r\n<bytes>\r\n` … `0[;chunk-signature=sig]\r\n`
/// then optional trailer lines `name:value\r\n`, optional `x-amz-trailer-signature:sig\r\n`, and `\r\n`.
package struct AWSChunkedBody: Sendable {
    package struct Chunk: Sendable {
        package var data: ArraySlice<UInt8>
        package var signature: String?
    }

    package var chunks: [Chunk]
    /// Trailer headers, lower-cased names.
    package var trailers: [(name: String, value: String)]
    package var trailerSignature: String?

    /// The decoded payload.
    package var payload: [UInt8] { chunks.reduce(into: []) { $0.append(contentsOf: $1.data) } }

    /// Splits `body` into chunks and trailers.
    /// - Throws: `AWSError` `IncompleteBody`/`InvalidChunkSizeError`-style 400s naming what is wrong.
    package static func parse(_ body: [UInt8]) throws(AWSError) -> AWSChunkedBody {
        var result = AWSChunkedBody(chunks: [], trailers: [], trailerSignature: nil)
        var index = 0
        func line() throws(AWSError) -> Substring {
            var end = index
            while end + 1 < body.count, !(body[end] == 13 && body[end + 1] == 10) { end += 1 }
            guard end + 1 < body.count else { throw malformed("a chunk header is not terminated by CRLF") }
            let text = String(decoding: body[index..<end], as: UTF8.self)
            index = end + 2
            return Substring(text)
        }
        while true {
            let header = try line()
            let parts = header.split(separator: ";", maxSplits: 1)
            guard let sizeText = parts.first, let size = Int(sizeText.trimming(" "), radix: 16), size >= 0 else {
                throw malformed("invalid chunk size '\(header.prefix(32))'")
            }
            var signature: String?
            if parts.count == 2 {
                let extensionPair = parts[1].split(separator: "=", maxSplits: 1)
                guard extensionPair.count == 2, extensionPair[0] == "chunk-signature" else { throw malformed("unknown chunk extension") }
                signature = String(extensionPair[1])
            }
            guard size <= body.count - index else { throw malformed("a chunk is shorter than its declared size") }
            result.chunks.append(Chunk(data: body[index..<(index + size)], signature: signature))
            index += size
            if size == 0 { break }
            guard index + 1 < body.count, body[index] == 13, body[index + 1] == 10 else { throw malformed("a chunk is not followed by CRLF") }
            index += 2
        }
        // Trailers (possibly none), then an empty line or the end of the body.
        while index < body.count {
            let trailer = try line()
            if trailer.isEmpty { break }
            guard let colon = trailer.firstIndex(of: ":") else { throw malformed("malformed trailer '\(trailer.prefix(64))'") }
            let name = trailer[..<colon].lowercased()
            let value = trailer[trailer.index(after: colon)...].trimming(" ")
            if name == "x-amz-trailer-signature" {
                result.trailerSignature = value
            } else {
                result.trailers.append((name, value))
            }
        }
        guard index == body.count else { throw malformed("unexpected data after the final chunk") }
        return result
    }

    private static func malformed(_ reason: String) -> AWSError {
        AWSError(code: "IncompleteBody", message: "The aws-chunked body is malformed: \(reason)")
    }

    /// Checks every chunk signature (and the trailer signature) of a signed stream, chained from `seedSignature`.
    /// - Throws: `SignatureDoesNotMatch` naming the first chunk that fails.
    package func verifySignatures(seedSignature: String, key: SymmetricKey, requestDate: String, scope: String) throws(AWSError) {
        var previous = seedSignature
        for (position, chunk) in chunks.enumerated() {
            guard let signature = chunk.signature else {
                throw AWSError(code: "SignatureDoesNotMatch", status: 403, message: "Chunk \(position) has no chunk-signature")
            }
            let text = [
                "AWS4-HMAC-SHA256-PAYLOAD", requestDate, scope, previous, SigV4Signer.emptyPayloadHash,
                SigV4Signer.hexSHA256(Array(chunk.data)),
            ].joined(separator: "\n")
            let expected = SigV4Signer.signature(of: text, key: key)
            guard SigV4Signer.constantTimeEqual(expected, signature) else {
                throw AWSError(code: "SignatureDoesNotMatch", status: 403, message: "The signature of chunk \(position) does not match")
            }
            previous = signature
        }
        if let trailerSignature {
            let canonical = trailers.map { "\($0.name):\($0.value)\n" }.joined()
            let text = ["AWS4-HMAC-SHA256-TRAILER", requestDate, scope, previous, SigV4Signer.hexSHA256(Array(canonical.utf8))].joined(
                separator: "\n"
            )
            guard SigV4Signer.constantTimeEqual(SigV4Signer.signature(of: text, key: key), trailerSignature) else {
                throw AWSError(code: "SignatureDoesNotMatch", status: 403, message: "The trailer signature does not match")
            }
        }
    }
}
