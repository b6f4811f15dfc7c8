import HTTPTypes
import Hummingbird
import NimbusWire

/// One request as the edge's endpoints see it: Hummingbird's request (with its body still
/// unread), the same head as Wire reads it, and the request's context.
struct EdgeRequest {
    private static let host = HTTPField.Name("Host")!

    /// The request as received; endpoints that need the body collect it from here.
    var http: Request
    /// Method, raw path, raw query and headers as an `AWSRequest` without a body, with `Host`
    /// filled in from the authority and the caller's IP address (`sourceIP`).
    var head: AWSRequest
    var context: EdgeRequestContext

    init(_ request: Request, context: EdgeRequestContext) {
        var headers = request.headers
        // HTTP/1.1's Host arrives as the request's authority; SigV4 signs it as `host`.
        if headers[Self.host] == nil, let authority = request.head.authority { headers[Self.host] = authority }
        self.http = request
        self.head = AWSRequest(method: request.method, target: request.head.path ?? "/", headers: headers, sourceIP: context.sourceIP)
        self.context = context
    }

    /// The request target exactly as sent: path and query.
    var target: String { http.head.path ?? "/" }

    var method: HTTPRequest.Method { http.method }

    /// The `Host` the client addressed, as sent (the first field) or as the HTTP/1.1 authority.
    var host: String? { http.headers[Self.host] ?? http.head.authority }
}
