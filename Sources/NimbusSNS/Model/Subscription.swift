import NimbusCore
import NimbusWire

/// A subscription as stored.
struct Subscription: Sendable, Hashable {
    var arn: String
    var topicARN: String
    var `protocol`: String
    var endpoint: String
    var owner: String
    var confirmed: Bool
    var token: String?
    var tokenExpiresAt: Double?
    var authenticated: Bool
    /// The attributes set through Subscribe/SetSubscriptionAttributes.
    var attributes: [String: String]
    var createdAt: Double

    var rawMessageDelivery: Bool { attributes["RawMessageDelivery"] == "true" }

    /// The parsed filter policy, when one is set (it was validated when set).
    var filterPolicy: FilterPolicy? {
        guard let text = attributes["FilterPolicy"], !text.isEmpty else { return nil }
        let scope = FilterPolicy.Scope(rawValue: attributes["FilterPolicyScope"] ?? "") ?? .messageAttributes
        return try? FilterPolicy(text, scope: scope)
    }

    /// The dead-letter queue of the subscription's `RedrivePolicy`, when one is set.
    var deadLetterTarget: ARN? {
        guard let text = attributes["RedrivePolicy"], let object = DeliveryPolicy.object(text),
            case .string(let target)? = object["deadLetterTargetArn"]
        else { return nil }
        return ARN(target)
    }

    /// Whether a message with these attributes and body passes the subscription's filter.
    func accepts(attributes: [String: MessageAttribute], body: String) -> Bool {
        filterPolicy?.matches(attributes: attributes, body: body) ?? true
    }
}

/// The subscription protocols Nimbus delivers to, and their endpoint checks.
/// See https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
enum SubscriptionProtocols {
    static let delivered: Set<String> = ["sqs", "lambda", "http", "https"]
    static let known: Set<String> = ["sqs", "lambda", "http", "https", "email", "email-json", "sms", "application", "firehose"]

    /// Checks `endpoint` for `protocol`; returns the endpoint as stored.
    static func validateEndpoint(_ endpoint: String?, protocol name: String) throws(AWSError) -> String {
        guard known.contains(name) else { throw .invalidParameter("Invalid protocol type: \(name)") }
        guard delivered.contains(name) else {
            throw AWSError(
                code: "InvalidParameter",
                message: "Invalid parameter: Nimbus does not deliver to \(name) endpoints (supported: http, https, lambda, sqs)"
            )
        }
        guard let endpoint, !endpoint.isEmpty else { throw .invalidParameter("Endpoint") }
        switch name {
        case "sqs":
            guard let arn = ARN(endpoint), arn.service == "sqs", !arn.resource.contains(":") else {
                throw .invalidParameter("SQS endpoint ARN")
            }
        case "lambda":
            guard let arn = ARN(endpoint), arn.service == "lambda", arn.resource.hasPrefix("function:") else {
                throw .invalidParameter("Lambda endpoint ARN")
            }
        case "http":
            guard endpoint.lowercased().hasPrefix("http://"), endpoint.utf8.count > 7 else {
                throw .invalidParameter("Endpoint must match the specified protocol")
            }
        default:
            guard endpoint.lowercased().hasPrefix("https://"), endpoint.utf8.count > 8 else {
                throw .invalidParameter("Endpoint must match the specified protocol")
            }
        }
        return endpoint
    }
}
