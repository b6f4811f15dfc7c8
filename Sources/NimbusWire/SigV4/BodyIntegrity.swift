import Crypto
import HTTPTypes
import NimbusCore

/// The body checks every request gets, signed or not: `aws-chunked` framing is removed
/// (verifying chunk and trailer signatures when a key is known), and every declared
/// checksum (`x-amz-checksum-*` header or trailer) must match the payload.
enum BodyIntegrity {
    static func decode(_ request: inout AWSRequest, authorization: SigV4Authorization?, key: SymmetricKey?) throws(AWSError) {
        if let stream = request.bodyStream {
            StreamingIntegrity.wrap(&request, stream: stream, authorization: authorization, key: key)
            return
        }
        let contentHash = request.header(.xAmzContentSHA256) ?? ""
        let encodings = (request.header(.contentEncoding) ?? "").split(separator: ",").map { $0.trimming(" ") }
        var checksums: [(name: String, value: String)] = request.headers.compactMap { field in
            ChecksumAlgorithm(headerName: field.name.canonicalName) == nil ? nil : (field.name.canonicalName, field.value)
        }
        if contentHash.hasPrefix("STREAMING-") || encodings.contains("aws-chunked") {
            let body = try AWSChunkedBody.parse(request.body)
            if contentHash.hasPrefix("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), let key, let authorization {
                try body.verifySignatures(
                    seedSignature: authorization.signature,
                    key: key,
                    requestDate: authorization.requestDate,
                    scope: authorization.scope
                )
            }
            request.body = body.payload
            checksums += body.trailers.filter { ChecksumAlgorithm(headerName: $0.name) != nil }
            let remaining = encodings.filter { $0 != "aws-chunked" && !$0.isEmpty }
            request.headers[.contentEncoding] = remaining.isEmpty ? nil : remaining.joined(separator: ",")
            if let declared = request.header(.xAmzDecodedContentLength), Int(declared) != request.body.count {
                throw AWSError(
                    code: "IncompleteBody",
                    message: "x-amz-decoded-content-length is \(declared) but the decoded body has \(request.body.count) bytes"
                )
            }
        }
        for checksum in checksums {
            guard let algorithm = ChecksumAlgorithm(headerName: checksum.name) else { continue }
            guard algorithm.digest(request.body) == checksum.value else {
                throw AWSError(
                    code: "BadDigest",
                    message: "The \(algorithm.rawValue.uppercased()) you specified did not match the calculated checksum."
                )
            }
        }
    }
}
