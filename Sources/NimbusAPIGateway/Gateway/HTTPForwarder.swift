/// Outbound HTTP for `HTTP_PROXY` integrations and JWKS fetches; the server provides it, so
/// that this target needs no HTTP client of its own.
package protocol HTTPForwarder: Sendable {
    /// Sends `request` to `url` (absolute, `http://` or `https://`) and returns the answer
    /// without following redirects.
    /// - Throws: when the server cannot be reached or does not answer within `timeout` seconds.
    func send(_ request: ForwardedRequest, timeout: Double) async throws -> GatewayResponse
}

/// A request to an integration's HTTP server.
package struct ForwardedRequest: Sendable {
    package var method: String
    package var url: String
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(method: String, url: String, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
    }
}
