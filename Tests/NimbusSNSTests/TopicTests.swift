import NimbusCore
import NimbusTesting
import NimbusWire
import Testing

@testable import NimbusSNS

@Suite struct TopicTests {
    @Test func createIsIdempotentAndListsAndDeletes() async throws {
        try await withSNS { h in
            let arn = try await h.service.makeTopic("orders")
            #expect(arn == "arn:aws:sns:us-east-1:000000000000:orders")
            #expect(try await h.service.makeTopic("orders") == arn)
            let listed = try await h.service.listTopics(.init(), context: context())
            #expect(listed.topics?.map(\.topicArn) == [arn])
            try await h.service.deleteTopic(.init(topicArn: arn), context: context())
            try await h.service.deleteTopic(.init(topicArn: arn), context: context())
            #expect(try await h.service.listTopics(.init(), context: context()).topics == [])
            let missing = await awsError { _ = try await h.service.getTopicAttributes(.init(topicArn: arn), context: context()) }
            #expect(missing?.code == "NotFound" && missing?.status == 404 && missing?.message == "Topic does not exist")
        }
    }

    @Test(arguments: ["", "has space", "dot.name", String(repeating: "a", count: 257)])
    func invalidNamesAreInvalidParameter(_ name: String) async throws {
        try await withSNS { h in
            let error = await awsError { _ = try await h.service.makeTopic(name) }
            #expect(error?.code == "InvalidParameter" && error?.message == "Invalid parameter: Topic Name")
        }
    }

    @Test func fifoTopicsNeedTheSuffixAndTheAttribute() async throws {
        try await withSNS { h in
            let arn = try await h.service.makeTopic("jobs.fifo", attributes: ["FifoTopic": "true", "ContentBasedDeduplication": "true"])
            let attributes = try #require(try await h.service.getTopicAttributes(.init(topicArn: arn), context: context()).attributes)
            #expect(attributes["FifoTopic"] == "true" && attributes["ContentBasedDeduplication"] == "true")
            #expect(await awsError { _ = try await h.service.makeTopic("jobs", attributes: ["FifoTopic": "true"]) }?.code == "InvalidParameter")
            #expect(await awsError { _ = try await h.service.makeTopic("plain.fifo") }?.code == "InvalidParameter")
            #expect(
                await awsError { _ = try await h.service.makeTopic("std", attributes: ["ContentBasedDeduplication": "true"]) }?.code
                    == "InvalidParameter"
            )
        }
    }

    @Test func attributesComputedAndSet() async throws {
        try await withSNS { h in
            let arn = try await h.service.makeTopic("t", attributes: ["DisplayName": "Orders"])
            try await h.service.setTopicAttributes(.init(attributeName: "DisplayName", attributeValue: "Renamed", topicArn: arn), context: context())
            try await h.service.setTopicAttributes(.init(attributeName: "SignatureVersion", attributeValue: "2", topicArn: arn), context: context())
            _ = try await h.service.subscribe(
                .init(endpoint: "arn:aws:sqs:us-east-1:000000000000:q", protocol: "sqs", topicArn: arn),
                context: context()
            )
            _ = try await h.service.subscribe(.init(endpoint: "http://127.0.0.1:9/", protocol: "http", topicArn: arn), context: context())
            let attributes = try #require(try await h.service.getTopicAttributes(.init(topicArn: arn), context: context()).attributes)
            #expect(attributes["TopicArn"] == arn && attributes["Owner"] == "000000000000")
            #expect(attributes["DisplayName"] == "Renamed" && attributes["SignatureVersion"] == "2")
            #expect(
                attributes["SubscriptionsConfirmed"] == "1" && attributes["SubscriptionsPending"] == "1" && attributes["SubscriptionsDeleted"] == "0"
            )
            #expect(attributes["Policy"]?.contains("__default_policy_ID") == true)
            #expect(attributes["EffectiveDeliveryPolicy"]?.contains("\"numRetries\":3") == true)
            #expect(attributes["FifoTopic"] == nil)
            let bad = await awsError {
                try await h.service.setTopicAttributes(.init(attributeName: "FifoTopic", attributeValue: "true", topicArn: arn), context: context())
            }
            #expect(bad?.code == "InvalidParameter")
            let unknown = await awsError {
                try await h.service.setTopicAttributes(.init(attributeName: "Color", attributeValue: "red", topicArn: arn), context: context())
            }
            #expect(unknown?.message == "Invalid parameter: AttributeName")
        }
    }

    @Test func tags() async throws {
        try await withSNS { h in
            let arn = try await h.service.makeTopic("tagged")
            _ = try await h.service.tagResource(
                .init(resourceArn: arn, tags: [.init(key: "team", value: "a"), .init(key: "env", value: "dev")]),
                context: context()
            )
            _ = try await h.service.untagResource(.init(resourceArn: arn, tagKeys: ["env"]), context: context())
            let tags = try await h.service.listTagsForResource(.init(resourceArn: arn), context: context()).tags
            #expect(tags == [.init(key: "team", value: "a")])
            let missing = await awsError { _ = try await h.service.listTagsForResource(.init(resourceArn: arn + "x"), context: context()) }
            #expect(missing?.code == "ResourceNotFound")
            let tooMany = (0...50).map { SNSShapes.Tag(key: "k\($0)", value: "v") }
            #expect(
                await awsError { _ = try await h.service.tagResource(.init(resourceArn: arn, tags: tooMany), context: context()) }?.code
                    == "TagLimitExceeded"
            )
        }
    }

    @Test func listTopicsPages() async throws {
        try await withSNS { h in
            for index in 0..<105 { _ = try await h.service.makeTopic("t\(index)") }
            let first = try await h.service.listTopics(.init(), context: context())
            #expect(first.topics?.count == 100)
            let second = try await h.service.listTopics(.init(nextToken: try #require(first.nextToken)), context: context())
            #expect(second.topics?.count == 5 && second.nextToken == nil)
            #expect(
                await awsError { _ = try await h.service.listTopics(.init(nextToken: "garbage"), context: context()) }?.code == "InvalidParameter"
            )
        }
    }
}

@Suite struct SigningCertificateTests {
    @Test func theCertificateIsOfferedAtTheSigningCertURLPathOnly() async throws {
        try await withSNS { h in
            let path = h.service.signingCertificatePath
            #expect(path.hasPrefix("/_nimbus/sns/SimpleNotificationService-") && path.hasSuffix(".pem"))
            #expect(h.service.signingCertificate(forRequestTarget: path)?.hasPrefix("-----BEGIN CERTIFICATE-----\n") == true)
            #expect(h.service.signingCertificate(forRequestTarget: path + "?x=1") != nil)
            #expect(h.service.signingCertificate(forRequestTarget: "/_nimbus/sns/other.pem") == nil)
        }
    }
}
