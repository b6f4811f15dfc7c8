import Foundation
import NimbusCore
package import NimbusWire

extension SNSService {
    /// How long a confirmation token is valid (AWS: three days).
    static let tokenLifetime: Double = 3 * 86_400

    /// Subscribes an endpoint. SQS and Lambda subscriptions (same account) are confirmed at once;
    /// HTTP/S endpoints receive a `SubscriptionConfirmation` and stay pending until confirmed.
    /// See https://docs.aws.amazon.com/sns/latest/api/API_Subscribe.html
    package func subscribe(_ input: SNSShapes.SubscribeInput, context: RequestContext) async throws -> SNSShapes.SubscribeResponse {
        let topic = try await existingTopic(input.topicArn)
        let name = input.protocol.lowercased()
        let endpoint = try SubscriptionProtocols.validateEndpoint(input.endpoint, protocol: name)
        if topic.fifo && name != "sqs" {
            throw AWSError.invalidParameter("Invalid protocol type: \(name). FIFO topics deliver to Amazon SQS queues only")
        }
        var attributes: [String: String] = [:]
        // The scope first, so that a FilterPolicy given with it is checked in that scope.
        let given = (input.attributes ?? [:]).sorted {
            ($0.key == "FilterPolicyScope" ? 0 : 1, $0.key) < ($1.key == "FilterPolicyScope" ? 0 : 1, $1.key)
        }
        for (key, value) in given {
            attributes = try Self.settingSubscriptionAttribute(key, value, on: attributes, protocol: name)
        }
        let pending = name == "http" || name == "https"
        let now = clock.now()
        let token = pending ? Self.makeToken() : nil
        let subscription = Subscription(
            arn: topic.arn + ":" + UUID().uuidString.lowercased(),
            topicARN: topic.arn,
            protocol: name,
            endpoint: endpoint,
            owner: context.account.accountID,
            confirmed: !pending,
            token: token,
            tokenExpiresAt: token.map { _ in now + Self.tokenLifetime },
            authenticated: false,
            attributes: attributes,
            createdAt: now
        )
        var confirmation: StoredMessage?
        if let token {
            var message = StoredMessage(
                id: UUID().uuidString.lowercased(),
                kind: .subscriptionConfirmation,
                topicARN: topic.arn,
                message: "You have chosen to subscribe to the topic \(topic.arn).\n"
                    + "To confirm the subscription, visit the SubscribeURL included in this message.",
                timestamp: now,
                baseURL: baseURL(context),
                signatureVersion: topic.signatureVersion
            )
            message.token = token
            confirmation = message
        }
        let stored: Subscription
        switch try await store.subscribe(subscription, confirmation: confirmation, now: now) {
        case .noTopic: throw AWSError.topicNotFound
        case .created(let created):
            stored = created
            if confirmation != nil { worker.wake.signal() }
        case .existing(let existing):
            if !existing.confirmed && confirmation != nil { worker.wake.signal() }
            if input.attributes != nil && existing.attributes != attributes {
                throw AWSError.invalidParameter("Attributes Reason: Subscription already exists with different attributes")
            }
            stored = existing
        }
        let arn = stored.confirmed || input.returnSubscriptionArn == true ? stored.arn : "pending confirmation"
        return .init(subscriptionArn: arn)
    }

    /// A confirmation token: 128 random hex digits (AWS's are long opaque hex strings).
    static func makeToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return Hex.encode((0..<64).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// Confirms a pending HTTP/S subscription with the token of its `SubscriptionConfirmation`;
    /// also reached by fetching the `SubscribeURL` with GET, as AWS's is.
    /// See https://docs.aws.amazon.com/sns/latest/api/API_ConfirmSubscription.html
    package func confirmSubscription(
        _ input: SNSShapes.ConfirmSubscriptionInput,
        context: RequestContext
    ) async throws -> SNSShapes.ConfirmSubscriptionResponse {
        let topic = try await existingTopic(input.topicArn)
        guard let subscription = try await store.subscription(topicARN: topic.arn, token: input.token) else {
            throw AWSError.invalidParameter("Token")
        }
        if !subscription.confirmed {
            guard (subscription.tokenExpiresAt ?? .infinity) > clock.now() else { throw AWSError.invalidParameter("Token") }
            try await store.confirm(arn: subscription.arn, authenticated: input.authenticateOnUnsubscribe?.lowercased() == "true")
        }
        return .init(subscriptionArn: subscription.arn)
    }

    /// Deletes a subscription; one that does not exist is already gone.
    /// See https://docs.aws.amazon.com/sns/latest/api/API_Unsubscribe.html
    package func unsubscribe(_ input: SNSShapes.UnsubscribeInput, context: RequestContext) async throws {
        try Self.validateSubscriptionARN(input.subscriptionArn)
        _ = try await store.unsubscribe(arn: input.subscriptionArn)
    }

    /// See https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptions.html
    package func listSubscriptions(
        _ input: SNSShapes.ListSubscriptionsInput,
        context: RequestContext
    ) async throws -> SNSShapes.ListSubscriptionsResponse {
        let page = try await subscriptionsPage(topicARN: nil, token: input.nextToken)
        return .init(nextToken: page.next, subscriptions: page.items)
    }

    /// See https://docs.aws.amazon.com/sns/latest/api/API_ListSubscriptionsByTopic.html
    package func listSubscriptionsByTopic(
        _ input: SNSShapes.ListSubscriptionsByTopicInput,
        context: RequestContext
    ) async throws -> SNSShapes.ListSubscriptionsByTopicResponse {
        let topic = try await existingTopic(input.topicArn)
        let page = try await subscriptionsPage(topicARN: topic.arn, token: input.nextToken)
        return .init(nextToken: page.next, subscriptions: page.items)
    }

    private func subscriptionsPage(topicARN: String?, token: String?) async throws -> (items: [SNSShapes.Subscription], next: String?) {
        let marker = try token.map(PageToken.decode)
        let found = try await store.subscriptions(topicARN: topicARN, after: marker, limit: 101)
        let page = found.prefix(100)
        let items = page.map { subscription in
            SNSShapes.Subscription(
                endpoint: subscription.endpoint,
                owner: subscription.owner,
                protocol: subscription.protocol,
                subscriptionArn: subscription.confirmed ? subscription.arn : "PendingConfirmation",
                topicArn: subscription.topicARN
            )
        }
        return (Array(items), found.count > 100 ? page.last.map { PageToken.encode($0.arn) } : nil)
    }

    /// See https://docs.aws.amazon.com/sns/latest/api/API_GetSubscriptionAttributes.html
    package func getSubscriptionAttributes(
        _ input: SNSShapes.GetSubscriptionAttributesInput,
        context: RequestContext
    ) async throws -> SNSShapes.GetSubscriptionAttributesResponse {
        try Self.validateSubscriptionARN(input.subscriptionArn)
        guard let subscription = try await store.subscription(arn: input.subscriptionArn) else { throw AWSError.subscriptionNotFound }
        var attributes = subscription.attributes
        attributes["SubscriptionArn"] = subscription.arn
        attributes["TopicArn"] = subscription.topicARN
        attributes["Owner"] = subscription.owner
        attributes["Protocol"] = subscription.protocol
        attributes["Endpoint"] = subscription.endpoint
        attributes["PendingConfirmation"] = subscription.confirmed ? "false" : "true"
        attributes["ConfirmationWasAuthenticated"] =
            subscription.authenticated || subscription.protocol == "sqs" || subscription.protocol == "lambda" ? "true" : "false"
        attributes["RawMessageDelivery"] = subscription.rawMessageDelivery ? "true" : "false"
        if attributes["FilterPolicy"] != nil && attributes["FilterPolicyScope"] == nil {
            attributes["FilterPolicyScope"] = FilterPolicy.Scope.messageAttributes.rawValue
        }
        if subscription.protocol == "http" || subscription.protocol == "https" {
            let topic = try await store.topic(arn: subscription.topicARN)
            let effective = DeliveryPolicy.effective(
                subscription: subscription.attributes["DeliveryPolicy"],
                topic: topic?.attributes["DeliveryPolicy"]
            )
            attributes["EffectiveDeliveryPolicy"] = DeliveryPolicy.effectiveJSON(
                retry: effective.retry,
                contentType: effective.contentType,
                topic: false
            )
        }
        return .init(attributes: attributes)
    }

    /// See https://docs.aws.amazon.com/sns/latest/api/API_SetSubscriptionAttributes.html
    package func setSubscriptionAttributes(_ input: SNSShapes.SetSubscriptionAttributesInput, context: RequestContext) async throws {
        try Self.validateSubscriptionARN(input.subscriptionArn)
        guard let subscription = try await store.subscription(arn: input.subscriptionArn) else { throw AWSError.subscriptionNotFound }
        let attributes = try Self.settingSubscriptionAttribute(
            input.attributeName,
            input.attributeValue ?? "",
            on: subscription.attributes,
            protocol: subscription.protocol
        )
        guard try await store.updateSubscription(arn: subscription.arn, attributes: attributes) else { throw AWSError.subscriptionNotFound }
    }

    static func validateSubscriptionARN(_ text: String) throws(AWSError) {
        guard let arn = ARN(text), arn.service == "sns", arn.resource.split(separator: ":").count == 2 else {
            throw AWSError.invalidParameter("SubscriptionArn")
        }
    }

    /// `attributes` with `name` set to `value` (an empty value removes it), checked as AWS does.
    static func settingSubscriptionAttribute(
        _ name: String,
        _ value: String,
        on attributes: [String: String],
        protocol kind: String
    ) throws(AWSError) -> [String: String] {
        var result = attributes
        switch name {
        case "RawMessageDelivery":
            let flag = value.lowercased()
            guard flag == "true" || flag == "false" else {
                throw AWSError.invalidParameter("Attributes Reason: RawMessageDelivery: Invalid value [\(value)]. Must be true or false.")
            }
            guard kind != "lambda" || flag == "false" else {
                throw AWSError.invalidParameter("Attributes Reason: Delivery protocol [lambda] does not support raw message delivery.")
            }
            result[name] = flag
        case "FilterPolicy":
            if value.isEmpty {
                result[name] = nil
            } else {
                let scope = FilterPolicy.Scope(rawValue: attributes["FilterPolicyScope"] ?? "") ?? .messageAttributes
                _ = try FilterPolicy(value, scope: scope)
                result[name] = value
            }
        case "FilterPolicyScope":
            guard let scope = FilterPolicy.Scope(rawValue: value) else {
                throw AWSError.invalidParameter(
                    "Attributes Reason: FilterPolicyScope: Invalid value [\(value)]. Please use either MessageBody or MessageAttributes"
                )
            }
            if let policy = attributes["FilterPolicy"] { _ = try FilterPolicy(policy, scope: scope) }
            result[name] = value
        case "RedrivePolicy":
            if value.isEmpty {
                result[name] = nil
                break
            }
            guard let object = DeliveryPolicy.object(value), case .string(let target)? = object["deadLetterTargetArn"] else {
                throw AWSError.invalidParameter("RedrivePolicy: Invalid RedrivePolicy: deadLetterTargetArn is required")
            }
            guard let arn = ARN(target), arn.service == "sqs", !arn.resource.contains(":") else {
                throw AWSError.invalidParameter("RedrivePolicy: deadLetterTargetArn is an invalid arn")
            }
            result[name] = value
        case "DeliveryPolicy":
            guard kind == "http" || kind == "https" else {
                throw AWSError.invalidParameter("DeliveryPolicy: Delivery policies can only be set on HTTP/S subscriptions")
            }
            if value.isEmpty {
                result[name] = nil
            } else {
                _ = try DeliveryPolicy.subscriptionPolicy(value)
                result[name] = value
            }
        case "SubscriptionRoleArn", "ReplayPolicy":
            result[name] = value.isEmpty ? nil : value
        default:
            throw AWSError.invalidParameter("AttributeName")
        }
        return result
    }
}
