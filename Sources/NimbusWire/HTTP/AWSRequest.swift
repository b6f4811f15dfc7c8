package import HTTPTypes

/// An HTTP request as the edge received it, before any AWS interpretation.
package struct AWSRequest: Sendable {
    package var method: HTTPRequest.Method
    /// The path exactly as sent, still percent-encoded (SigV4 signs the raw form).
    package var path: String
    /// The query string after `?`, still percent-encoded; empty when there is none.
    package var rawQuery: String
    package var headers: HTTPFields {
        didSet { hostBucket = S3Addressing.bucket(fromHost: header(.hostHeader)) }
    }
    /// The bucket a virtual-hosted-style S3 request names in its `Host` header
    /// (`bucket.s3.localhost`), read once from the headers: the edge and the router ask for it
    /// several times per request.
    package private(set) var hostBucket: String?
    package var body: [UInt8]
    /// The body still arriving, when the edge streams it (S3 uploads); `body` is then empty.
    /// Authentication wraps it to decode `aws-chunked` framing and check signatures and
    /// checksums as the bytes pass; operations without a streaming payload get it collected.
    package var bodyStream: ByteStream?
    /// The caller's IP address: the TCP peer of the edge connection, IPv4 in dotted form
    /// (IPv4-mapped IPv6 unmapped). `unknownSourceIP` when the edge does not know it
    /// (requests made in-process, as in tests). Headers such as `X-Forwarded-For` are not
    /// trusted for it, as AWS does not trust them.
    package var sourceIP: String

    /// What `sourceIP` says when the peer address is unknown: the loopback address.
    package static let unknownSourceIP = "127.0.0.1"

    package init(
        method: HTTPRequest.Method,
        target: String,
        headers: HTTPFields = [:],
        body: [UInt8] = [],
        sourceIP: String = AWSRequest.unknownSourceIP
    ) {
        self.method = method
        self.sourceIP = sourceIP
        if let question = target.firstIndex(of: "?") {
            self.path = String(target[..<question])
            self.rawQuery = String(target[target.index(after: question)...])
        } else {
            self.path = target
            self.rawQuery = ""
        }
        if self.path.isEmpty { self.path = "/" }
        self.headers = headers
        self.body = body
        hostBucket = S3Addressing.bucket(fromHost: header(.hostHeader))
    }

    /// The query parameters, percent-decoded, in the order sent.
    package var queryItems: [(name: String, value: String)] {
        FormEncoding.decode(rawQuery)
    }

    /// The value of the header `name` (case-insensitive); repeated headers are joined with commas.
    package func header(_ name: String) -> String? {
        guard let field = HTTPField.Name(name) else { return nil }
        return header(field)
    }

    /// The value of the header `field`; repeated headers are joined with commas.
    package func header(_ field: HTTPField.Name) -> String? {
        var result: String?
        for candidate in headers where candidate.name == field {
            result = result.map { $0 + "," + candidate.value } ?? candidate.value
        }
        return result
    }

    /// The media type of the body, lower-cased and without parameters (`application/json`).
    package var mediaType: String? {
        guard let contentType = headers[.contentType] else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(contentType.utf8.count)
        for byte in contentType.utf8 {
            if byte == UInt8(ascii: ";") { break }
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { continue }
            bytes.append(byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte)
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Whether the raw query string contains `text` (cheap when there is no query at all).
    package func queryContains(_ text: String) -> Bool {
        !rawQuery.isEmpty && rawQuery.utf8.firstRange(of: text.utf8) != nil
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters from `set` (ASCII characters only).
    func trimming(_ set: StaticString) -> String {
        let utf8 = Array(self.utf8)
        let members = UnsafeBufferPointer(start: set.utf8Start, count: set.utf8CodeUnitCount)
        var start = 0
        var end = utf8.count
        while start < end, members.contains(utf8[start]) { start += 1 }
        while end > start, members.contains(utf8[end - 1]) { end -= 1 }
        return String(decoding: utf8[start..<end], as: UTF8.self)
    }
}
