import NimbusCore
import NimbusWire

/// HTTP/S delivery policies: a subscription's `DeliveryPolicy`
/// (`{"healthyRetryPolicy": {…}, "throttlePolicy": {…}, "requestPolicy": {"headerContentType": …}}`)
/// and a topic's (`{"http": {"defaultHealthyRetryPolicy": {…}, "disableSubscriptionOverrides": …, "defaultRequestPolicy": {…}}}`).
///
/// See https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html#creating-delivery-policy
enum DeliveryPolicy {
    /// What one delivery policy says.
    struct Settings: Sendable, Hashable {
        var retry: RetryPolicy?
        var contentType: String?
        var disableSubscriptionOverrides = false
    }

    static let defaultContentType = "text/plain; charset=UTF-8"

    /// The members of `text` when it is a JSON object.
    static func object(_ text: String) -> [String: JSONValue]? {
        guard let value = try? JSONParser.parse(Array(text.utf8)), case .object(let members) = value else { return nil }
        return members
    }

    /// A subscription's policy, validated.
    static func subscriptionPolicy(_ text: String) throws(AWSError) -> Settings {
        guard let members = object(text) else { throw .invalidParameter("DeliveryPolicy: failed to parse JSON") }
        var settings = Settings()
        if let retry = members["healthyRetryPolicy"] { settings.retry = try retryPolicy(retry, member: "healthyRetryPolicy") }
        if let request = members["requestPolicy"] { settings.contentType = try contentType(request) }
        return settings
    }

    /// A topic's policy, validated.
    static func topicPolicy(_ text: String) throws(AWSError) -> Settings {
        guard let members = object(text) else { throw .invalidParameter("DeliveryPolicy: failed to parse JSON") }
        var settings = Settings()
        guard let http = members["http"] else { return settings }
        guard case .object(let inner) = http else { throw .invalidParameter("DeliveryPolicy: http must be an object") }
        if let retry = inner["defaultHealthyRetryPolicy"] { settings.retry = try retryPolicy(retry, member: "defaultHealthyRetryPolicy") }
        if let request = inner["defaultRequestPolicy"] { settings.contentType = try contentType(request) }
        if case .bool(let flag)? = inner["disableSubscriptionOverrides"] { settings.disableSubscriptionOverrides = flag }
        return settings
    }

    /// The retry policy and content type an HTTP/S delivery uses: the subscription's, then the topic's, then AWS's default.
    static func effective(subscription: String?, topic: String?) -> (retry: RetryPolicy, contentType: String) {
        let topicSettings = topic.flatMap { try? topicPolicy($0) } ?? Settings()
        var retry = topicSettings.retry ?? .httpDefault
        var contentType = topicSettings.contentType ?? defaultContentType
        if !topicSettings.disableSubscriptionOverrides, let own = subscription.flatMap({ try? subscriptionPolicy($0) }) {
            retry = own.retry ?? retry
            contentType = own.contentType ?? contentType
        }
        return (retry, contentType)
    }

    /// AWS's `EffectiveDeliveryPolicy` attribute for an HTTP/S subscription or a topic.
    static func effectiveJSON(retry: RetryPolicy, contentType: String, topic: Bool) -> String {
        let policy =
            "{\"minDelayTarget\":\(Int(retry.minDelay)),\"maxDelayTarget\":\(Int(retry.maxDelay)),\"numRetries\":\(retry.numRetries),"
            + "\"numMaxDelayRetries\":\(retry.numMaxDelayRetries),\"numNoDelayRetries\":\(retry.numNoDelayRetries),"
            + "\"numMinDelayRetries\":\(retry.numMinDelayRetries),\"backoffFunction\":\"\(retry.backoff.rawValue)\"}"
        let request = "{\"headerContentType\":\(String(decoding: JSONWriter.encode(.string(contentType)), as: UTF8.self))}"
        if topic {
            return "{\"http\":{\"defaultHealthyRetryPolicy\":\(policy),\"disableSubscriptionOverrides\":false,\"defaultRequestPolicy\":\(request)}}"
        }
        return "{\"healthyRetryPolicy\":\(policy),\"requestPolicy\":\(request)}"
    }

    private static func contentType(_ value: JSONValue) throws(AWSError) -> String? {
        guard case .object(let request) = value else { throw .invalidParameter("DeliveryPolicy: requestPolicy must be an object") }
        guard let header = request["headerContentType"] else { return nil }
        guard case .string(let type) = header, !type.isEmpty else {
            throw .invalidParameter("DeliveryPolicy: headerContentType must be a string")
        }
        return type
    }

    private static func retryPolicy(_ value: JSONValue, member: String) throws(AWSError) -> RetryPolicy {
        guard case .object(let fields) = value else { throw .invalidParameter("DeliveryPolicy: \(member) must be an object") }
        func integer(_ name: String, default fallback: Int) throws(AWSError) -> Int {
            guard let field = fields[name] else { return fallback }
            guard let number = field.doubleValue, number >= 0, number == number.rounded(), number <= 100_000_000 else {
                throw .invalidParameter("DeliveryPolicy: \(member).\(name) must be a non-negative integer")
            }
            return Int(number)
        }
        let minDelay = try integer("minDelayTarget", default: 20)
        let maxDelay = try integer("maxDelayTarget", default: 20)
        let numRetries = try integer("numRetries", default: 3)
        let noDelay = try integer("numNoDelayRetries", default: 0)
        let minRetries = try integer("numMinDelayRetries", default: 0)
        let maxRetries = try integer("numMaxDelayRetries", default: 0)
        guard minDelay >= 1 else { throw .invalidParameter("DeliveryPolicy: \(member).minDelayTarget must be at least 1") }
        guard maxDelay >= minDelay, maxDelay <= 3600 else {
            throw .invalidParameter("DeliveryPolicy: \(member).maxDelayTarget must be between minDelayTarget and 3600")
        }
        guard numRetries <= 100 else { throw .invalidParameter("DeliveryPolicy: \(member).numRetries must be between 0 and 100") }
        guard noDelay + minRetries + maxRetries <= numRetries else {
            throw .invalidParameter(
                "DeliveryPolicy: \(member).numRetries must be at least numNoDelayRetries + numMinDelayRetries + numMaxDelayRetries"
            )
        }
        var backoff = RetryPolicy.Backoff.linear
        if let field = fields["backoffFunction"] {
            guard case .string(let name) = field, let parsed = RetryPolicy.Backoff(rawValue: name) else {
                throw .invalidParameter("DeliveryPolicy: \(member).backoffFunction must be one of arithmetic, exponential, geometric, linear")
            }
            backoff = parsed
        }
        let policy = RetryPolicy(
            minDelay: Double(minDelay),
            maxDelay: Double(maxDelay),
            numRetries: numRetries,
            numNoDelayRetries: noDelay,
            numMinDelayRetries: minRetries,
            numMaxDelayRetries: maxRetries,
            backoff: backoff
        )
        guard policy.totalDelay <= 3600 else {
            throw .invalidParameter("DeliveryPolicy: the total retry time of \(member) may not exceed 3600 seconds")
        }
        return policy
    }
}
