import Foundation
import NimbusWire

/// An `HTTP_PROXY` integration: the request passed on to the integration's URL (path
/// parameters such as `{proxy}` filled in, the query string kept, `RequestParameters`
/// applied), and the server's answer passed back.
///
/// When the URL has no path of its own, the request's path (within the stage) is appended,
/// so `http://backend` in front of `ANY /{proxy+}` or `$default` reaches the same path there.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-http.html
struct HTTPIntegration: Sendable {
    let forwarder: any HTTPForwarder

    /// Hop-by-hop fields and those the forwarder sets itself.
    static let unforwarded: Set<String> = [
        "connection", "content-length", "host", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailer",
        "transfer-encoding", "upgrade",
    ]

    func forward(
        _ integration: APIGatewayShapes.Integration,
        request: GatewayRequest,
        facts: RequestFacts,
        stagePath: String
    ) async -> GatewayResponse {
        var url = StageVariables.substitute(integration.integrationUri ?? "", facts.stageVariables)
        for (name, value) in facts.pathParameters {
            let encoded = value.split(separator: "/", omittingEmptySubsequences: false).map { FormEncoding.uriEncode($0) }.joined(separator: "/")
            url = url.replacingOccurrences(of: "{\(name)}", with: encoded).replacingOccurrences(of: "{\(name)+}", with: encoded)
        }
        let schemeEnd = url.range(of: "://")?.upperBound ?? url.startIndex
        let pathStart = url[schemeEnd...].firstIndex(of: "/") ?? url.endIndex
        var origin = String(url[..<pathStart])
        var path = String(url[pathStart...])
        if let queryStart = path.firstIndex(of: "?") { path = String(path[..<queryStart]) }
        if path.isEmpty || path == "/" { path = stagePath }
        var headers = request.headers.filter { !Self.unforwarded.contains($0.name.lowercased()) }
        var query = request.rawQuery.split(separator: "&").map(String.init)
        let source = ParameterMapping.Source(
            request: request,
            query: facts.query,
            pathParameters: facts.pathParameters,
            stagePath: stagePath,
            stageVariables: facts.stageVariables,
            context: ["requestId": facts.requestID, "apiId": facts.apiId, "stage": facts.stage, "routeKey": facts.routeKey]
        )
        for (key, expression) in (integration.requestParameters ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let target = ParameterMapping.Target(key) else { continue }
            let value = ParameterMapping.evaluate(expression, source)
            switch target {
            case .path:
                path = value.hasPrefix("/") ? value : "/" + value
            case .header(let action, let name):
                if action != .append { headers.removeAll { $0.name.lowercased() == name } }
                if action != .remove { headers.append((name, value)) }
            case .query(let action, let name):
                let encodedName = FormEncoding.uriEncode(name)
                if action != .append { query.removeAll { $0 == encodedName || $0.hasPrefix(encodedName + "=") } }
                if action != .remove { query.append(encodedName + "=" + FormEncoding.uriEncode(value)) }
            }
        }
        headers.append(("forwarded", "for=\(facts.sourceIP);host=\(facts.domainName);proto=http"))
        if origin.hasSuffix("/") { origin.removeLast() }
        let target = origin + path + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
        let method = integration.integrationMethod == "ANY" || integration.integrationMethod == nil ? request.method : integration.integrationMethod!
        let forwarded = ForwardedRequest(method: method, url: target, headers: headers, body: request.body)
        let timeout = Double(integration.timeoutInMillis ?? IntegrationRules.maximumTimeout) / 1000
        let forwarder = self.forwarder
        do {
            guard var response = try await Deadline.race(seconds: timeout, { try await forwarder.send(forwarded, timeout: timeout) }) else {
                return .serviceUnavailable
            }
            response.headers.removeAll { Self.unforwarded.contains($0.name.lowercased()) }
            return response
        } catch {
            return .internalError
        }
    }
}
