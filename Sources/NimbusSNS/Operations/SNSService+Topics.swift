import NimbusCore
package import NimbusWire

extension SNSService {
    /// Creates a topic, or returns the ARN of the one with that name (CreateTopic is idempotent).
    /// See https://docs.aws.amazon.com/sns/latest/api/API_CreateTopic.html
    package func createTopic(_ input: SNSShapes.CreateTopicInput, context: RequestContext) async throws -> SNSShapes.CreateTopicResponse {
        var attributes = input.attributes ?? [:]
        let fifo = attributes["FifoTopic"] == "true"
        try TopicNames.validate(input.name, fifo: fifo)
        if !fifo && input.name.hasSuffix(".fifo") {
            throw AWSError.invalidParameter("Topic Name: a topic whose name ends with .fifo must set the FifoTopic attribute to true")
        }
        for (name, value) in attributes {
            try TopicAttributes.validate(name, value, fifo: fifo, creating: true)
        }
        attributes["FifoTopic"] = nil
        if let policy = input.dataProtectionPolicy { attributes["DataProtectionPolicy"] = policy }
        let tags = try Self.validatedTags(input.tags ?? [])
        let arn = ARN(
            partition: context.account.partition,
            service: "sns",
            region: context.account.region,
            account: context.account.accountID,
            resource: input.name
        )
        let topic = Topic(
            arn: arn.description,
            name: input.name,
            fifo: fifo,
            attributes: attributes,
            tags: tags,
            createdAt: clock.now(),
            subscriptionsDeleted: 0
        )
        let stored = try await store.createTopic(topic)
        if !stored.created {
            if !tags.isEmpty && stored.topic.tags != tags {
                throw AWSError.invalidParameter("Tags Reason: Topic already exists with different tags")
            }
            if stored.topic.attributes.merging(attributes, uniquingKeysWith: { _, new in new }) != stored.topic.attributes {
                throw AWSError.invalidParameter("Attributes Reason: Topic already exists with different attributes")
            }
        }
        return .init(topicArn: stored.topic.arn)
    }

    /// Deletes a topic and its subscriptions; deleting a topic that does not exist succeeds, as on AWS.
    /// See https://docs.aws.amazon.com/sns/latest/api/API_DeleteTopic.html
    package func deleteTopic(_ input: SNSShapes.DeleteTopicInput, context: RequestContext) async throws {
        _ = try TopicNames.parseARN(input.topicArn)
        try await store.deleteTopic(arn: input.topicArn)
    }

    /// Topics in ARN order, 100 a page.
    /// See https://docs.aws.amazon.com/sns/latest/api/API_ListTopics.html
    package func listTopics(_ input: SNSShapes.ListTopicsInput, context: RequestContext) async throws -> SNSShapes.ListTopicsResponse {
        let marker = try input.nextToken.map(PageToken.decode)
        let topics = try await store.topics(after: marker, limit: 101)
        let page = topics.prefix(100)
        return .init(
            nextToken: topics.count > 100 ? page.last.map { PageToken.encode($0.arn) } : nil,
            topics: page.map { SNSShapes.Topic(topicArn: $0.arn) }
        )
    }

    /// See https://docs.aws.amazon.com/sns/latest/api/API_GetTopicAttributes.html
    package func getTopicAttributes(
        _ input: SNSShapes.GetTopicAttributesInput,
        context: RequestContext
    ) async throws -> SNSShapes.GetTopicAttributesResponse {
        let topic = try await existingTopic(input.topicArn)
        let counts = try await store.subscriptionCounts(topicARN: topic.arn)
        var attributes = topic.attributes
        attributes["TopicArn"] = topic.arn
        attributes["Owner"] = context.account.accountID
        attributes["Policy"] = topic.attributes["Policy"] ?? TopicAttributes.defaultPolicy(topicARN: topic.arn, account: context.account.accountID)
        attributes["DisplayName"] = topic.attributes["DisplayName"] ?? ""
        attributes["SubscriptionsConfirmed"] = "\(counts.confirmed)"
        attributes["SubscriptionsPending"] = "\(counts.pending)"
        attributes["SubscriptionsDeleted"] = "\(topic.subscriptionsDeleted)"
        let effective = DeliveryPolicy.effective(subscription: nil, topic: topic.attributes["DeliveryPolicy"])
        attributes["EffectiveDeliveryPolicy"] = DeliveryPolicy.effectiveJSON(retry: effective.retry, contentType: effective.contentType, topic: true)
        if topic.fifo {
            attributes["FifoTopic"] = "true"
            attributes["ContentBasedDeduplication"] = topic.contentBasedDeduplication ? "true" : "false"
        }
        return .init(attributes: attributes)
    }

    /// See https://docs.aws.amazon.com/sns/latest/api/API_SetTopicAttributes.html
    package func setTopicAttributes(_ input: SNSShapes.SetTopicAttributesInput, context: RequestContext) async throws {
        let topic = try await existingTopic(input.topicArn)
        let value = input.attributeValue ?? ""
        try TopicAttributes.validate(input.attributeName, value, fifo: topic.fifo, creating: false)
        var attributes = topic.attributes
        attributes[input.attributeName] = value.isEmpty && input.attributeName != "DisplayName" ? nil : value
        guard try await store.updateTopic(arn: topic.arn, attributes: attributes) else { throw AWSError.topicNotFound }
    }
}

/// `NextToken`s of the list operations: the last ARN of the page, base64-encoded.
enum PageToken {
    static func encode(_ arn: String) -> String {
        Base64.encode(Array(arn.utf8))
    }

    static func decode(_ token: String) throws(AWSError) -> String {
        guard let bytes = Base64.decode(token), let arn = String(validating: bytes, as: UTF8.self), arn.hasPrefix("arn:") else {
            throw AWSError.invalidParameter("NextToken")
        }
        return arn
    }
}
