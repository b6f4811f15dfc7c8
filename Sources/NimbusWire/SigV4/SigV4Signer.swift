package import Crypto
import Foundation
import HTTPTypes
import NimbusCore

/// The SigV4 computations shared by verification and by tests that sign requests:
/// canonical request, string to sign, signing key and signature.
package enum SigV4Signer {
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The canonical request of `request` for the given signed headers and payload hash.
    ///
    /// S3 signs the path as sent; every other service signs it normalised and encoded once
    /// more, as botocore does. Presigned requests leave `X-Amz-Signature` out of the query.
    package static func canonicalRequest(_ request: AWSRequest, signedHeaders: [String], payloadHash: String, service: String) -> String {
        let path = service == "s3" ? request.path : FormEncoding.uriEncode(removeDotSegments(request.path), keepSlash: true)
        var headerLines = ""
        for name in signedHeaders {
            let values = name.utf8.isEmpty ? [] : request.headerValues(name)
            let value = values.map { $0.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ") }.joined(separator: ",")
            headerLines += "\(name):\(value)\n"
        }
        return [
            request.method.rawValue,
            path.isEmpty ? "/" : path,
            canonicalQuery(request.rawQuery),
            headerLines,
            signedHeaders.joined(separator: ";"),
            payloadHash,
        ].joined(separator: "\n")
    }

    /// The query string with each name and value strictly URI-encoded, sorted by name then value.
    package static func canonicalQuery(_ rawQuery: String) -> String {
        guard !rawQuery.isEmpty else { return "" }
        var pairs: [(String, String)] = []
        for item in rawQuery.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = item.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = FormEncoding.percentDecode(parts[0]) ?? String(parts[0])
            guard name != "X-Amz-Signature" else { continue }
            let value = parts.count > 1 ? (FormEncoding.percentDecode(parts[1]) ?? String(parts[1])) : ""
            pairs.append((FormEncoding.uriEncode(name), FormEncoding.uriEncode(value)))
        }
        pairs.sort { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
        return pairs.map { "\($0.0)=\($0.1)" }.joined(separator: "&")
    }

    /// RFC 3986 dot-segment removal, also collapsing repeated slashes (as AWS services require).
    package static func removeDotSegments(_ path: String) -> String {
        guard !path.isEmpty else { return "/" }
        var output: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) where segment != "." {
            if segment == ".." {
                if !output.isEmpty { output.removeLast() }
            } else {
                output.append(segment)
            }
        }
        let leading = path.hasPrefix("/") ? "/" : ""
        let trailing = path.hasSuffix("/") && !output.isEmpty ? "/" : ""
        return leading + output.joined(separator: "/") + trailing
    }

    /// `AWS4-HMAC-SHA256\n<date>\n<scope>\n<hex sha256 of the canonical request>`.
    package static func stringToSign(canonicalRequest: String, requestDate: String, scope: String) -> String {
        "AWS4-HMAC-SHA256\n\(requestDate)\n\(scope)\n\(hexSHA256(Array(canonicalRequest.utf8)))"
    }

    /// The key derived from the secret for one day, region and service.
    package static func signingKey(secret: String, date: String, region: String, service: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array(("AWS4" + secret).utf8))
        for part in [date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// Lower-case hex HMAC-SHA256 of `text`.
    package static func signature(of text: String, key: SymmetricKey) -> String {
        Hex.encode(HMAC<SHA256>.authenticationCode(for: Array(text.utf8), using: key))
    }

    package static func hexSHA256(_ bytes: [UInt8]) -> String {
        Hex.encode(SHA256.hash(data: bytes))
    }

    /// Compares two signatures in time independent of where they differ.
    package static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        let left = Array(lhs.utf8)
        let right = Array(rhs.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

extension AWSRequest {
    /// Every value of header `name`, in order.
    func headerValues(_ name: String) -> [String] {
        guard let field = HTTPField.Name(name) else { return [] }
        return headers[values: field]
    }
}
