import Foundation
import NimbusWire

/// A request to an API, as the edge received it (no server types).
package struct GatewayRequest: Sendable {
    package var method: String
    /// The path as sent, percent-encoded, without the query (for the path form, the part
    /// after `/_aws/execute-api/<apiId>`).
    package var path: String
    /// The query string as sent, without `?`.
    package var rawQuery: String
    /// Header fields in the order sent, names as sent.
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]
    /// The caller's IP address (the edge connection's peer), for `sourceIp`.
    package var sourceIP: String
    /// The host the client addressed (`Host`), for `domainName`.
    package var host: String

    package init(
        method: String,
        path: String,
        rawQuery: String = "",
        headers: [(name: String, value: String)] = [],
        body: [UInt8] = [],
        sourceIP: String = AWSRequest.unknownSourceIP,
        host: String = "localhost"
    ) {
        self.method = method
        self.path = path
        self.rawQuery = rawQuery
        self.headers = headers
        self.body = body
        self.sourceIP = sourceIP
        self.host = host
    }

    /// The values of header `name` (case-insensitive), in order.
    package func values(_ name: String) -> [String] {
        headers.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.map(\.value)
    }

    /// The header's values joined with commas, as API Gateway passes them on.
    package func header(_ name: String) -> String? {
        let values = values(name)
        return values.isEmpty ? nil : values.joined(separator: ",")
    }
}

/// The answer the gateway sends.
package struct GatewayResponse: Sendable {
    package var status: Int
    /// Header fields in order; a name may repeat (`set-cookie`).
    package var headers: [(name: String, value: String)]
    package var body: [UInt8]

    package init(status: Int, headers: [(name: String, value: String)] = [], body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// An API Gateway error: `{"message":"…"}` as AWS sends it.
    package static func message(_ status: Int, _ message: String) -> GatewayResponse {
        GatewayResponse(
            status: status,
            headers: [("content-type", "application/json")],
            body: Array("{\"message\":\"\(message)\"}".utf8)
        )
    }

    static let notFound = message(404, "Not Found")
    static let internalError = message(500, "Internal Server Error")
    static let serviceUnavailable = message(503, "Service Unavailable")
    static let tooManyRequests = message(429, "Too Many Requests")
    static let unauthorized = message(401, "Unauthorized")
    static let forbidden = message(403, "Forbidden")
    static let tooLarge = message(413, "Request Entity Too Large")
    static let headersTooLarge = message(431, "Request Header Fields Too Large")
    static let badRequest = message(400, "Bad Request")
    static let gatewayTimeout = message(504, "Gateway Timeout")

    /// The first value of header `name` (case-insensitive).
    package func header(_ name: String) -> String? {
        headers.first { $0.name.caseInsensitiveCompare(name) == .orderedSame }?.value
    }
}
