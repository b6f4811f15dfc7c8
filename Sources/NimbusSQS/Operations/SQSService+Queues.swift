import NimbusCore
package import NimbusWire

extension SQSService {
    /// Creates a queue, or returns the URL of the existing one when every attribute given
    /// matches it. See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_CreateQueue.html
    package func createQueue(_ input: SQSShapes.CreateQueueRequest, context: RequestContext) async throws -> SQSShapes.CreateQueueResult {
        let attributes = input.attributes ?? [:]
        let fifo = attributes["FifoQueue"]?.lowercased() == "true"
        try QueueName.validate(input.queueName, fifo: fifo)
        var configuration = QueueConfiguration(fifo: fifo)
        try configuration.apply(attributes, creating: true)
        let key = QueueKey(account: context.account.accountID, name: input.queueName)
        if await engine.deletedRecently(key, at: clock.now()) { throw AWSError.queueDeletedRecently }
        try await checkRedrive(configuration, sourceARN: QueueName.arn(key, account: account))
        let tags = input.tags ?? [:]
        try Self.validateTags(tags)
        let (row, created) = try await store.createQueue(key, attributes: configuration.attributes, tags: tags, now: clock.now().rounded(.down))
        if !created {
            var existing = QueueConfiguration(fifo: row.key.isFIFO)
            try? existing.apply(row.attributes, creating: true)
            if let different = existing.firstDifference(from: configuration, names: attributes.keys) {
                throw AWSError.queueNameExists(different)
            }
        }
        try await engine.install(row)
        return .init(queueUrl: url(key, context: context))
    }

    /// Deletes a queue and its messages; its name can be used again a minute later.
    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_DeleteQueue.html
    package func deleteQueue(_ input: SQSShapes.DeleteQueueRequest, context: RequestContext) async throws {
        let queue = try await queue(url: input.queueUrl)
        try await store.deleteQueue(id: queue.id)
        await engine.remove(queue.id, at: clock.now())
    }

    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_GetQueueUrl.html
    package func getQueueUrl(_ input: SQSShapes.GetQueueUrlRequest, context: RequestContext) async throws -> SQSShapes.GetQueueUrlResult {
        let owner = input.queueOwnerAWSAccountId ?? context.account.accountID
        let key = QueueKey(account: owner, name: input.queueName)
        _ = try await engine.snapshot(key)
        return .init(queueUrl: url(key, context: context))
    }

    /// Queues of the caller's account by name, optionally by prefix; with `MaxResults`, a page
    /// and a `NextToken`. See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_ListQueues.html
    package func listQueues(_ input: SQSShapes.ListQueuesRequest, context: RequestContext) async throws -> SQSShapes.ListQueuesResult {
        let all = await engine.list(account: context.account.accountID, prefix: input.queueNamePrefix)
        let page = try Self.page(all.map(\.key.name), maxResults: input.maxResults, nextToken: input.nextToken)
        let urls = page.items.map { url(QueueKey(account: context.account.accountID, name: $0), context: context) }
        return .init(nextToken: page.nextToken, queueUrls: urls.isEmpty ? nil : urls)
    }

    /// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_PurgeQueue.html
    package func purgeQueue(_ input: SQSShapes.PurgeQueueRequest, context: RequestContext) async throws {
        let queue = try await queue(url: input.queueUrl)
        try await commit(try await engine.purge(queue.id, at: clock.now()))
    }

    /// One page of `names` (sorted): without `maxResults` the first 1,000 and no token.
    static func page(_ names: [String], maxResults: Int?, nextToken: String?) throws(AWSError) -> (items: [String], nextToken: String?) {
        guard let maxResults else { return (Array(names.prefix(1_000)), nil) }
        guard (1...1_000).contains(maxResults) else {
            throw AWSError.invalidParameter("MaxResults", value: "\(maxResults)", reason: "MaxResults must be an integer between 1 and 1000")
        }
        var remaining = names[...]
        if let nextToken {
            guard let bytes = Base64.decode(nextToken), let after = String(validating: bytes, as: UTF8.self) else {
                throw AWSError.invalidParameterValue("Invalid NextToken value.")
            }
            remaining = names.drop { $0 <= after }
        }
        let items = Array(remaining.prefix(maxResults))
        let more = remaining.count > maxResults
        return (items, more ? items.last.map { Base64.encode(Array($0.utf8)) } : nil)
    }

    /// At most 50 tags; keys of 1–128 characters, values of at most 256.
    static func validateTags(_ tags: [String: String], existing: Int = 0) throws(AWSError) {
        guard tags.count + existing <= 50 else { throw AWSError.invalidParameterValue("Too many tags added for queue. Maximum is 50.") }
        for (key, value) in tags {
            guard (1...128).contains(key.count), value.count <= 256 else {
                throw AWSError.invalidParameterValue("Tag keys must be 1 to 128 characters and values at most 256.")
            }
        }
    }

    /// A redrive policy's dead-letter queue must exist, be of the same kind and allow the source.
    func checkRedrive(_ configuration: QueueConfiguration, sourceARN: String) async throws {
        guard let policy = configuration.redrivePolicy else { return }
        guard let target = await engine.snapshot(arn: policy.deadLetterTargetArn) else {
            throw AWSError.invalidParameter("RedrivePolicy", value: policy.json, reason: "Dead letter target does not exist")
        }
        guard target.configuration.fifo == configuration.fifo else {
            throw AWSError.invalidParameter(
                "RedrivePolicy",
                value: policy.json,
                reason: "Dead-letter queue must be the same type of queue as the source queue (standard or FIFO)"
            )
        }
        if let allowText = target.configuration.redriveAllowPolicy, let allow = try? RedriveAllowPolicy(json: allowText),
            !allow.allows(source: sourceARN)
        {
            throw AWSError.invalidParameter(
                "RedrivePolicy",
                value: policy.json,
                reason: "Dead-letter queue's RedriveAllowPolicy does not allow this source queue"
            )
        }
    }
}
