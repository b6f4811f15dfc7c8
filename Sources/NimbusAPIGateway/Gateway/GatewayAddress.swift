import NimbusWire

/// How a request names its API: by host (`<apiId>.execute-api.localhost[:port]`) or by the
/// path form that always works from this machine, `/_aws/execute-api/<apiId>/…`.
package enum GatewayAddress {
    /// The prefix of the path form, after which come the API id and the API's own path.
    package static let pathPrefix = "/_aws/execute-api/"

    /// The API id and the API's path (starting with `/`) of a request to `target` (path and
    /// query, as sent) with `Host` `host`; `nil` when the request is not for the gateway.
    package static func resolve(host: String?, target: String) -> (apiId: String, target: String)? {
        if target.hasPrefix(pathPrefix) {
            let rest = target.dropFirst(pathPrefix.count)
            let end = rest.firstIndex { $0 == "/" || $0 == "?" } ?? rest.endIndex
            let apiId = String(rest[..<end])
            guard !apiId.isEmpty else { return nil }
            var remainder = String(rest[end...])
            if !remainder.hasPrefix("/") { remainder = "/" + remainder }
            return (apiId, remainder)
        }
        // Every request to the edge asks: a host of another name is turned down without a copy.
        guard let (apiId, domain) = HostName.split(host, at: ".execute-api."),
            !apiId.contains("."), Substring(domain).lowercased() == "localhost"
        else { return nil }
        return (apiId, target)
    }
}
