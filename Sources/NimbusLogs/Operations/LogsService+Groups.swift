import NimbusCore
package import NimbusWire

extension LogsService {
    static let logGroupClasses: Set<String> = ["STANDARD", "INFREQUENT_ACCESS", "DELIVERY"]

    /// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
    package func createLogGroup(_ input: LogsShapes.CreateLogGroupRequest, context: RequestContext) async throws {
        try LogNames.validateGroup(input.logGroupName)
        let logGroupClass = input.logGroupClass ?? "STANDARD"
        guard Self.logGroupClasses.contains(logGroupClass) else {
            throw AWSError.constraint(
                logGroupClass,
                at: "logGroupClass",
                "Member must satisfy enum value set: [STANDARD, INFREQUENT_ACCESS, DELIVERY]"
            )
        }
        if let tags = input.tags {
            guard (1...50).contains(tags.count) else {
                throw AWSError.constraint("\(tags.count) tags", at: "tags", "Member must have length between 1 and 50")
            }
        }
        if let key = input.kmsKeyId, key.utf8.count > 256 {
            throw AWSError.constraint(key, at: "kmsKeyId", "Member must have length less than or equal to 256")
        }
        let group = LogStore.Group(
            id: 0,
            name: input.logGroupName,
            creationTime: nowMilliseconds(),
            logGroupClass: logGroupClass,
            kmsKeyID: input.kmsKeyId,
            retentionInDays: nil,
            deletionProtection: input.deletionProtectionEnabled ?? false,
            tags: input.tags ?? [:],
            storedBytes: 0
        )
        guard try await logs.createGroup(group) else { throw AWSError.logGroupExists }
    }

    /// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DeleteLogGroup.html
    package func deleteLogGroup(_ input: LogsShapes.DeleteLogGroupRequest, context: RequestContext) async throws {
        try LogNames.validateGroup(input.logGroupName)
        guard let group = try await logs.group(named: input.logGroupName) else { throw AWSError.logGroupNotFound }
        guard !group.deletionProtection else {
            throw AWSError(
                code: "ValidationException",
                message: "Log group \(group.name) has deletion protection enabled; turn it off before deleting the log group."
            )
        }
        guard try await logs.deleteGroup(named: input.logGroupName) else { throw AWSError.logGroupNotFound }
    }

    /// Lists groups by name: `logGroupNamePrefix` or `logGroupNamePattern` (a case-insensitive
    /// substring), or the groups named by `logGroupIdentifiers`; 50 per page unless `limit`.
    /// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_DescribeLogGroups.html
    package func describeLogGroups(
        _ input: LogsShapes.DescribeLogGroupsRequest,
        context: RequestContext
    ) async throws
        -> LogsShapes.DescribeLogGroupsResponse
    {
        let account = context.account
        let limit = try Self.limit(input.limit, in: 1...50, default: 50)
        if let prefix = input.logGroupNamePrefix { try LogNames.validateGroup(prefix, member: "logGroupNamePrefix") }
        guard input.logGroupNamePrefix == nil || input.logGroupNamePattern == nil else {
            throw AWSError.invalidParameter("LogGroup name prefix and LogGroup name pattern are mutually exclusive parameters.")
        }
        if let identifiers = input.logGroupIdentifiers {
            guard input.logGroupNamePrefix == nil, input.logGroupNamePattern == nil else {
                throw AWSError.invalidParameter("logGroupIdentifiers cannot be combined with logGroupNamePrefix or logGroupNamePattern.")
            }
            var found: [LogStore.Group] = []
            for identifier in Set(identifiers) {
                if let group = try await logs.group(named: try LogNames.group(name: nil, identifier: identifier)) { found.append(group) }
            }
            let page = found.filter { input.logGroupClass == nil || $0.logGroupClass == input.logGroupClass }.sorted { $0.name < $1.name }
            return .init(logGroups: page.prefix(limit).map { Self.shape($0, account: account) })
        }
        let marker = try input.nextToken.map(ListingToken.key)
        let page = try await logs.groups(
            after: marker,
            prefix: input.logGroupNamePrefix,
            pattern: input.logGroupNamePattern,
            logGroupClass: input.logGroupClass,
            limit: limit + 1
        )
        let shown = page.prefix(limit)
        return .init(
            logGroups: shown.map { Self.shape($0, account: account) },
            nextToken: page.count > limit ? shown.last.map { ListingToken.text($0.name) } : nil
        )
    }

    static func shape(_ group: LogStore.Group, account: AccountContext) -> LogsShapes.LogGroup {
        LogsShapes.LogGroup(
            arn: LogNames.groupARN(group.name, account: account, wildcard: true),
            creationTime: group.creationTime,
            deletionProtectionEnabled: group.deletionProtection,
            kmsKeyId: group.kmsKeyID,
            logGroupArn: LogNames.groupARN(group.name, account: account, wildcard: false),
            logGroupClass: group.logGroupClass,
            logGroupName: group.name,
            metricFilterCount: 0,
            retentionInDays: group.retentionInDays,
            storedBytes: group.storedBytes
        )
    }
}
