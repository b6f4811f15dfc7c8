import Foundation
import NimbusWire

/// The CORS answers API Gateway gives for an API with a `CorsConfiguration`: it answers
/// preflight requests itself and sets the CORS headers of every other response (ignoring
/// those of the integration).
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-cors.html
struct CORS: Sendable {
    var configuration: APIGatewayShapes.Cors

    /// `true` for a preflight request: `OPTIONS` with `Origin` and `Access-Control-Request-Method`.
    static func isPreflight(_ request: GatewayRequest) -> Bool {
        request.method == "OPTIONS" && request.header("origin") != nil && request.header("access-control-request-method") != nil
    }

    /// The value of `Access-Control-Allow-Origin` for `origin`, or `nil` when it is not allowed.
    func allowedOrigin(_ origin: String?) -> String? {
        guard let origin else { return nil }
        let origins = configuration.allowOrigins ?? []
        if origins.contains("*") { return "*" }
        return origins.contains { $0.caseInsensitiveCompare(origin) == .orderedSame } ? origin : nil
    }

    /// The answer to a preflight request.
    func preflight(_ request: GatewayRequest) -> GatewayResponse {
        var response = GatewayResponse(status: 204)
        guard let origin = allowedOrigin(request.header("origin")) else { return response }
        let method = request.header("access-control-request-method")?.uppercased() ?? ""
        let methods = (configuration.allowMethods ?? []).map { $0.uppercased() }
        guard methods.contains("*") || methods.contains(method) else { return response }
        response.headers.append(("access-control-allow-origin", origin))
        response.headers.append(("access-control-allow-methods", methods.contains("*") ? method : methods.joined(separator: ",")))
        if let requested = request.header("access-control-request-headers"), let allowed = configuration.allowHeaders, !allowed.isEmpty {
            let wanted = requested.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            let lowered = Set(allowed.map { $0.lowercased() })
            let granted = lowered.contains("*") ? wanted : wanted.filter { lowered.contains($0) }
            if !granted.isEmpty { response.headers.append(("access-control-allow-headers", granted.joined(separator: ","))) }
        }
        if configuration.allowCredentials == true { response.headers.append(("access-control-allow-credentials", "true")) }
        if let maxAge = configuration.maxAge, maxAge >= 0 { response.headers.append(("access-control-max-age", String(maxAge))) }
        return response
    }

    /// `response` with the CORS headers of an actual (non-preflight) request.
    func decorate(_ response: GatewayResponse, origin: String?) -> GatewayResponse {
        var response = response
        response.headers.removeAll { $0.name.lowercased().hasPrefix("access-control-") }
        guard let allowed = allowedOrigin(origin) else { return response }
        response.headers.append(("access-control-allow-origin", allowed))
        if configuration.allowCredentials == true { response.headers.append(("access-control-allow-credentials", "true")) }
        if let expose = configuration.exposeHeaders, !expose.isEmpty {
            response.headers.append(("access-control-expose-headers", expose.joined(separator: ",")))
        }
        return response
    }
}
