import NimbusCore
import NimbusWire

/// Checks of control-plane input that AWS answers with `BadRequestException`.
enum Validation {
    static func name(_ name: String) throws(AWSError) {
        guard (1...128).contains(name.count) else { throw .badRequest("Name must be between 1 and 128 characters") }
    }

    static func cors(_ cors: APIGatewayShapes.Cors) throws(AWSError) {
        if let maxAge = cors.maxAge, !(-1...86400).contains(maxAge) {
            throw .badRequest("CorsConfiguration.MaxAge must be between -1 and 86400")
        }
        for method in cors.allowMethods ?? [] where method != "*" && !RouteKey.methods.contains(method.uppercased()) {
            throw .badRequest("Invalid HTTP method \(method) in CorsConfiguration.AllowMethods")
        }
        for origin in cors.allowOrigins ?? [] where origin != "*" && !origin.contains("://") {
            throw .badRequest("Invalid origin \(origin) in CorsConfiguration.AllowOrigins")
        }
        if cors.allowCredentials == true, cors.allowOrigins?.contains("*") == true {
            throw .badRequest("CorsConfiguration: AllowCredentials is not supported with AllowOrigins *")
        }
    }

    /// A stage name: `$default`, or 1–128 letters, digits, `-` and `_`.
    static func stageName(_ name: String) throws(AWSError) {
        guard
            name == "$default"
                || ((1...128).contains(name.count) && name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }))
        else { throw .badRequest("Invalid stage name \(name): use $default or letters, digits, - and _") }
    }

    /// Stage variables: names of letters, digits and `_`; values of letters, digits and `-._~:/?#&=,` (at most 2048).
    static func stageVariables(_ variables: [String: String]) throws(AWSError) {
        for (name, value) in variables {
            guard !name.isEmpty, name.count <= 64, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw .badRequest("Invalid stage variable name \(name)")
            }
            guard value.count <= 2048, value.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-._~:/?#&=, ".contains($0)) }) else {
                throw .badRequest("Invalid value for stage variable \(name)")
            }
        }
    }

    /// Throttling settings: rate and burst must not be negative.
    static func routeSettings(_ settings: APIGatewayShapes.RouteSettings?) throws(AWSError) {
        guard let settings else { return }
        if let rate = settings.throttlingRateLimit, rate < 0 { throw .badRequest("ThrottlingRateLimit must not be negative") }
        if let burst = settings.throttlingBurstLimit, burst < 0 { throw .badRequest("ThrottlingBurstLimit must not be negative") }
    }

    /// Access log settings: a log group ARN and a format with `$context.requestId`.
    static func accessLog(_ settings: APIGatewayShapes.AccessLogSettings?) throws(AWSError) {
        guard let settings, settings.destinationArn != nil || settings.format != nil else { return }
        guard let arn = settings.destinationArn, AccessLog.group(ofARN: arn) != nil else {
            throw .badRequest("AccessLogSettings.DestinationArn must be a CloudWatch Logs log group ARN")
        }
        guard let format = settings.format, format.contains("$context.requestId") else {
            throw .badRequest("AccessLogSettings.Format must contain $context.requestId")
        }
    }
}
