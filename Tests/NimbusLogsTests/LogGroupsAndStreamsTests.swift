import HTTPTypes
import NimbusCore
import NimbusTesting
import NimbusWire
import Testing

@testable import NimbusLogs

/// A request's context as the edge builds it, for calling operations directly.
let context = RequestContext(requestID: "test", account: AccountContext(), caller: .anonymous, request: AWSRequest(method: .post, target: "/"))

@Suite struct LogGroupsTests {
    @Test func createDescribeDelete() async throws {
        try await withLogs { service, clock in
            try await service.createLogGroup(.init(kmsKeyId: "k", logGroupName: "/app/one", tags: ["team": "a"]), context: context)
            let page = try await service.describeLogGroups(.init(), context: context)
            let group = try #require(page.logGroups?.first)
            #expect(group.logGroupName == "/app/one")
            #expect(group.arn == "arn:aws:logs:us-east-1:000000000000:log-group:/app/one:*")
            #expect(group.logGroupArn == "arn:aws:logs:us-east-1:000000000000:log-group:/app/one")
            #expect(group.creationTime == Int64(clock.now() * 1000))
            #expect(group.kmsKeyId == "k" && group.logGroupClass == "STANDARD" && group.storedBytes == 0 && group.retentionInDays == nil)
            #expect(page.nextToken == nil)

            let exists = await awsError { try await service.createLogGroup(.init(logGroupName: "/app/one"), context: context) }
            #expect(exists?.code == "ResourceAlreadyExistsException")

            try await service.deleteLogGroup(.init(logGroupName: "/app/one"), context: context)
            #expect(try await service.describeLogGroups(.init(), context: context).logGroups == [])
            let missing = await awsError { try await service.deleteLogGroup(.init(logGroupName: "/app/one"), context: context) }
            #expect(missing?.code == "ResourceNotFoundException")
            #expect(missing?.message == "The specified log group does not exist.")
        }
    }

    @Test(arguments: ["", "has space", "colon:", String(repeating: "a", count: 513)])
    func invalidGroupNamesAreInvalidParameters(_ name: String) async throws {
        try await withLogs { service, _ in
            let error = await awsError { try await service.createLogGroup(.init(logGroupName: name), context: context) }
            #expect(error?.code == "InvalidParameterException")
        }
    }

    @Test func prefixPatternAndPagination() async throws {
        try await withLogs { service, _ in
            for name in ["/aws/lambda/b", "/aws/lambda/a", "/aws/lambda/c", "/other/Lambda-x"] {
                try await service.createLogGroup(.init(logGroupName: name), context: context)
            }
            let first = try await service.describeLogGroups(.init(limit: 2, logGroupNamePrefix: "/aws/lambda/"), context: context)
            #expect(first.logGroups?.map(\.logGroupName) == ["/aws/lambda/a", "/aws/lambda/b"])
            let token = try #require(first.nextToken)
            let second = try await service.describeLogGroups(.init(limit: 2, logGroupNamePrefix: "/aws/lambda/", nextToken: token), context: context)
            #expect(second.logGroups?.map(\.logGroupName) == ["/aws/lambda/c"])
            #expect(second.nextToken == nil)

            let pattern = try await service.describeLogGroups(.init(logGroupNamePattern: "LAMBDA-"), context: context)
            #expect(pattern.logGroups?.map(\.logGroupName) == ["/other/Lambda-x"])

            let both = await awsError {
                _ = try await service.describeLogGroups(.init(logGroupNamePattern: "a", logGroupNamePrefix: "/a"), context: context)
            }
            #expect(both?.code == "InvalidParameterException")
            let limit = await awsError { _ = try await service.describeLogGroups(.init(limit: 51), context: context) }
            #expect(limit?.code == "InvalidParameterException")
        }
    }

    @Test func deletionProtectionRefusesDelete() async throws {
        try await withLogs { service, _ in
            try await service.createLogGroup(.init(deletionProtectionEnabled: true, logGroupName: "/kept"), context: context)
            let error = await awsError { try await service.deleteLogGroup(.init(logGroupName: "/kept"), context: context) }
            #expect(error?.code == "ValidationException")
            #expect(try await service.describeLogGroups(.init(), context: context).logGroups?.first?.deletionProtectionEnabled == true)
        }
    }
}

@Suite struct LogStreamsTests {
    @Test func createDescribeDeleteWithAWSErrors() async throws {
        try await withLogs { service, _ in
            let noGroup = await awsError { try await service.createLogStream(.init(logGroupName: "/g", logStreamName: "s"), context: context) }
            #expect(noGroup?.code == "ResourceNotFoundException" && noGroup?.message == "The specified log group does not exist.")
            try await service.createLogGroup(.init(logGroupName: "/g"), context: context)
            try await service.createLogStream(.init(logGroupName: "/g", logStreamName: "2026/01/02/[$LATEST]abc"), context: context)
            let again = await awsError {
                try await service.createLogStream(.init(logGroupName: "/g", logStreamName: "2026/01/02/[$LATEST]abc"), context: context)
            }
            #expect(again?.code == "ResourceAlreadyExistsException")
            let colon = await awsError { try await service.createLogStream(.init(logGroupName: "/g", logStreamName: "a:b"), context: context) }
            #expect(colon?.code == "InvalidParameterException")

            let streams = try await service.describeLogStreams(.init(logGroupName: "/g"), context: context).logStreams ?? []
            #expect(streams.map(\.logStreamName) == ["2026/01/02/[$LATEST]abc"])
            #expect(streams.first?.arn == "arn:aws:logs:us-east-1:000000000000:log-group:/g:log-stream:2026/01/02/[$LATEST]abc")
            #expect(streams.first?.firstEventTimestamp == nil && streams.first?.storedBytes == 0)

            try await service.deleteLogStream(.init(logGroupName: "/g", logStreamName: "2026/01/02/[$LATEST]abc"), context: context)
            let gone = await awsError {
                try await service.deleteLogStream(.init(logGroupName: "/g", logStreamName: "2026/01/02/[$LATEST]abc"), context: context)
            }
            #expect(gone?.code == "ResourceNotFoundException" && gone?.message == "The specified log stream does not exist.")
            let noSuchGroup = await awsError { _ = try await service.describeLogStreams(.init(logGroupName: "/nope"), context: context) }
            #expect(noSuchGroup?.code == "ResourceNotFoundException")
        }
    }

    @Test func orderByNameOrLastEventTimeDescendingPrefixAndPages() async throws {
        try await withLogs { service, _ in
            try await service.append([LogEvent(timestamp: 300, message: "x")], group: "/g", stream: "a")
            try await service.append([LogEvent(timestamp: 100, message: "x")], group: "/g", stream: "b")
            try await service.append([LogEvent(timestamp: 200, message: "x")], group: "/g", stream: "c")
            try await service.createLogStream(.init(logGroupName: "/g", logStreamName: "empty"), context: context)

            func names(_ request: LogsShapes.DescribeLogStreamsRequest) async throws -> [String] {
                try await service.describeLogStreams(request, context: context).logStreams?.compactMap(\.logStreamName) ?? []
            }
            #expect(try await names(.init(logGroupName: "/g")) == ["a", "b", "c", "empty"])
            #expect(try await names(.init(descending: true, logGroupName: "/g")) == ["empty", "c", "b", "a"])
            #expect(try await names(.init(logGroupName: "/g", orderBy: "LastEventTime")) == ["empty", "b", "c", "a"])
            #expect(try await names(.init(descending: true, logGroupName: "/g", orderBy: "LastEventTime")) == ["a", "c", "b", "empty"])
            #expect(try await names(.init(logGroupName: "/g", logStreamNamePrefix: "e")) == ["empty"])
            let arn = "arn:aws:logs:us-east-1:000000000000:log-group:/g:*"
            #expect(try await names(.init(logGroupIdentifier: arn, logStreamNamePrefix: "b")) == ["b"])

            var seen: [String] = []
            var token: String? = nil
            repeat {
                let page = try await service.describeLogStreams(
                    .init(descending: true, limit: 1, logGroupName: "/g", nextToken: token, orderBy: "LastEventTime"),
                    context: context
                )
                seen += page.logStreams?.compactMap(\.logStreamName) ?? []
                token = page.nextToken
            } while token != nil
            #expect(seen == ["a", "c", "b", "empty"])

            let conflict = await awsError { _ = try await names(.init(logGroupName: "/g", logStreamNamePrefix: "a", orderBy: "LastEventTime")) }
            #expect(conflict?.code == "InvalidParameterException")
            let both = await awsError { _ = try await names(.init(logGroupIdentifier: arn, logGroupName: "/g")) }
            #expect(both?.code == "InvalidParameterException")
        }
    }
}
