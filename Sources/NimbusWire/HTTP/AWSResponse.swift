package import HTTPTypes

/// An HTTP response ready for the edge to send.
package struct AWSResponse: Sendable {
    package var status: Int
    package var headers: HTTPFields
    package var body: [UInt8]
    /// A body sent as it is read (S3 downloads) instead of `body`, with its length when known.
    package var bodyStream: ByteStream?
    package var bodyStreamLength: Int?

    package init(status: Int = 200, headers: HTTPFields = [:], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// Sets header `name` to `value`, replacing earlier values; ignores invalid names.
    package mutating func setHeader(_ name: String, _ value: String) {
        guard let field = HTTPField.Name(name) else { return }
        headers[field] = value
    }
}
