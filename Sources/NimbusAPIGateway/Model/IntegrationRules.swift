import NimbusCore
import NimbusWire

/// What AWS accepts in an HTTP API's integration.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations.html
enum IntegrationRules {
    /// HTTP APIs' integration timeout: 50 ms to 30 s (a hard limit).
    static let minimumTimeout = 50
    static let maximumTimeout = 30_000

    /// The integration as AWS would store it, or `BadRequestException`.
    static func check(_ integration: inout APIGatewayShapes.Integration) throws(AWSError) {
        guard let type = integration.integrationType else { throw .badRequest("IntegrationType is required") }
        integration.connectionType = integration.connectionType ?? "INTERNET"
        guard integration.connectionType == "INTERNET" else { throw .badRequest("Nimbus supports ConnectionType INTERNET only") }
        let timeout = integration.timeoutInMillis ?? maximumTimeout
        guard (minimumTimeout...maximumTimeout).contains(timeout) else {
            throw .badRequest("TimeoutInMillis must be between \(minimumTimeout) and \(maximumTimeout) for HTTP APIs")
        }
        integration.timeoutInMillis = timeout
        switch type {
        case "AWS_PROXY":
            guard let uri = integration.integrationUri else { throw .badRequest("IntegrationUri is required for AWS_PROXY integrations") }
            guard uri.contains("${stageVariables.") || LambdaTarget.functionARN(uri) != nil else {
                throw .badRequest("Invalid IntegrationUri \(uri): an AWS_PROXY integration needs a Lambda function ARN")
            }
            let version = integration.payloadFormatVersion ?? "1.0"
            guard version == "1.0" || version == "2.0" else { throw .badRequest("PayloadFormatVersion must be 1.0 or 2.0") }
            integration.payloadFormatVersion = version
            integration.integrationMethod = integration.integrationMethod ?? "POST"
        case "HTTP_PROXY":
            guard let uri = integration.integrationUri else { throw .badRequest("IntegrationUri is required for HTTP_PROXY integrations") }
            guard uri.hasPrefix("http://") || uri.hasPrefix("https://") else {
                throw .badRequest("Invalid IntegrationUri \(uri): an HTTP_PROXY integration needs an http(s) URL")
            }
            guard let method = integration.integrationMethod else { throw .badRequest("IntegrationMethod is required for HTTP_PROXY integrations") }
            guard RouteKey.methods.contains(method) else { throw .badRequest("Invalid IntegrationMethod \(method)") }
            guard (integration.payloadFormatVersion ?? "1.0") == "1.0" else {
                throw .badRequest("HTTP_PROXY integrations support PayloadFormatVersion 1.0 only")
            }
            integration.payloadFormatVersion = "1.0"
        default:
            throw .badRequest("Nimbus supports IntegrationType AWS_PROXY and HTTP_PROXY for HTTP APIs, not \(type)")
        }
        for (key, value) in integration.requestParameters ?? [:] {
            guard ParameterMapping.Target(key) != nil else { throw .badRequest("Invalid request parameter mapping key \(key)") }
            guard !value.isEmpty else { throw .badRequest("Invalid request parameter mapping value for \(key)") }
        }
    }
}
