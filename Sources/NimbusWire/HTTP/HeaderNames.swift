package import HTTPTypes

/// Header names the edge reads on every request, made once instead of per lookup.
extension HTTPField.Name {
    package static let xAmzTarget = HTTPField.Name("X-Amz-Target")!
    package static let xAmzDate = HTTPField.Name("X-Amz-Date")!
    package static let xAmzContentSHA256 = HTTPField.Name("X-Amz-Content-SHA256")!
    package static let xAmzDecodedContentLength = HTTPField.Name("X-Amz-Decoded-Content-Length")!
    package static let smithyProtocol = HTTPField.Name("smithy-protocol")!
    package static let contentMD5 = HTTPField.Name("Content-MD5")!
    /// `Host` (HTTPTypes keeps its own `.host` for HTTP/2's `:authority`).
    package static let hostHeader = HTTPField.Name("Host")!
}
