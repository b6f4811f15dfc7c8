import NimbusCore
import NimbusTesting
import NimbusWire
import Synchronization
import Testing

@testable import NimbusSNS

let queueARN = "arn:aws:sqs:us-east-1:000000000000:orders"
let functionARN = "arn:aws:lambda:us-east-1:000000000000:function:worker"

@Suite struct SubscriptionTests {
    @Test func sqsAndLambdaAreConfirmedAtOnce() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            let sqs = try await h.service.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context())
            let arn = try #require(sqs.subscriptionArn)
            #expect(arn.hasPrefix(topic + ":"))
            let again = try await h.service.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context())
            #expect(again.subscriptionArn == arn)
            _ = try await h.service.subscribe(.init(endpoint: functionARN, protocol: "lambda", topicArn: topic), context: context())
            let attributes = try #require(try await h.service.getSubscriptionAttributes(.init(subscriptionArn: arn), context: context()).attributes)
            #expect(attributes["PendingConfirmation"] == "false" && attributes["RawMessageDelivery"] == "false")
            #expect(attributes["Protocol"] == "sqs" && attributes["Endpoint"] == queueARN && attributes["TopicArn"] == topic)
            let listed = try await h.service.listSubscriptionsByTopic(.init(topicArn: topic), context: context())
            #expect(listed.subscriptions?.count == 2)
            try await h.service.unsubscribe(.init(subscriptionArn: arn), context: context())
            #expect(try await h.service.listSubscriptions(.init(), context: context()).subscriptions?.count == 1)
            let deleted = try await h.service.getTopicAttributes(.init(topicArn: topic), context: context()).attributes?["SubscriptionsDeleted"]
            #expect(deleted == "1")
            #expect(
                await awsError { _ = try await h.service.getSubscriptionAttributes(.init(subscriptionArn: arn), context: context()) }?.code
                    == "NotFound"
            )
        }
    }

    @Test func endpointsAreChecked() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            let cases: [(String, String?)] = [
                ("sqs", "not-an-arn"), ("lambda", queueARN), ("http", "https://x"), ("https", "http://x"), ("carrier-pigeon", "x"), ("sqs", nil),
            ]
            for (kind, endpoint) in cases {
                let error = await awsError {
                    _ = try await h.service.subscribe(.init(endpoint: endpoint, protocol: kind, topicArn: topic), context: context())
                }
                #expect(error?.code == "InvalidParameter", "\(kind) \(endpoint ?? "nil")")
            }
            let missing = await awsError {
                _ = try await h.service.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic + "x"), context: context())
            }
            #expect(missing?.code == "NotFound")
        }
    }

    @Test func httpSubscriptionsAwaitConfirmation() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            let response = try await h.service.subscribe(
                .init(endpoint: "http://127.0.0.1:9/hook", protocol: "http", topicArn: topic),
                context: context()
            )
            #expect(response.subscriptionArn == "pending confirmation")
            #expect(try await h.service.listSubscriptions(.init(), context: context()).subscriptions?.first?.subscriptionArn == "PendingConfirmation")
            #expect(try await h.service.worker.deliverDue() == 1)
            let post = try #require(h.poster.recorded.first)
            #expect(post.url == "http://127.0.0.1:9/hook")
            #expect(post.headers["x-amz-sns-message-type"] == "SubscriptionConfirmation" && post.headers["x-amz-sns-topic-arn"] == topic)
            let envelope = try jsonObject(post.body)
            #expect(string(envelope["Type"]) == "SubscriptionConfirmation")
            let token = try #require(string(envelope["Token"]))
            let url = try #require(string(envelope["SubscribeURL"]))
            #expect(url.hasPrefix("http://localhost:4566/?Action=ConfirmSubscription&TopicArn=") && url.contains("Token=\(token)"))
            #expect(string(envelope["SigningCertURL"])?.hasPrefix("http://localhost:4566/_nimbus/sns/SimpleNotificationService-") == true)
            #expect(string(envelope["Signature"])?.isEmpty == false)

            let again = try await h.service.subscribe(
                .init(endpoint: "http://127.0.0.1:9/hook", protocol: "http", topicArn: topic),
                context: context()
            )
            #expect(again.subscriptionArn == "pending confirmation")
            #expect(try await h.service.worker.deliverDue() == 1)
            #expect(try string(jsonObject(try #require(h.poster.recorded.last).body)["Token"]) == token)

            let bad = await awsError { _ = try await h.service.confirmSubscription(.init(token: "nope", topicArn: topic), context: context()) }
            #expect(bad?.code == "InvalidParameter")
            let confirmed = try await h.service.confirmSubscription(.init(token: token, topicArn: topic), context: context())
            let arn = try #require(confirmed.subscriptionArn)
            let attributes = try await h.service.getSubscriptionAttributes(.init(subscriptionArn: arn), context: context()).attributes
            #expect(attributes?["PendingConfirmation"] == "false")
            #expect(attributes?["EffectiveDeliveryPolicy"]?.contains("healthyRetryPolicy") == true)
        }
    }

    @Test func expiredTokensAreRefused() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            _ = try await h.service.subscribe(.init(endpoint: "http://127.0.0.1:9/", protocol: "http", topicArn: topic), context: context())
            try await h.service.worker.deliverDue()
            let token = try confirmationToken(h.poster)
            h.clock.advance(by: SNSService.tokenLifetime + 1)
            #expect(
                await awsError { _ = try await h.service.confirmSubscription(.init(token: token, topicArn: topic), context: context()) }?.code
                    == "InvalidParameter"
            )
        }
    }

    @Test func attributesAreValidated() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            let lambda = try #require(
                try await h.service.subscribe(.init(endpoint: functionARN, protocol: "lambda", topicArn: topic), context: context()).subscriptionArn
            )
            let sqs = try #require(
                try await h.service.subscribe(
                    .init(attributes: ["RawMessageDelivery": "true"], endpoint: queueARN, protocol: "sqs", topicArn: topic),
                    context: context()
                ).subscriptionArn
            )
            func set(_ arn: String, _ name: String, _ value: String) async -> AWSError? {
                await awsError {
                    try await h.service.setSubscriptionAttributes(
                        .init(attributeName: name, attributeValue: value, subscriptionArn: arn),
                        context: context()
                    )
                }
            }
            #expect(
                await set(lambda, "RawMessageDelivery", "true")?.message
                    == "Invalid parameter: Attributes Reason: Delivery protocol [lambda] does not support raw message delivery."
            )
            #expect(await set(sqs, "RawMessageDelivery", "maybe")?.code == "InvalidParameter")
            #expect(await set(sqs, "FilterPolicy", "{\"a\": []}")?.message == "Invalid parameter: FilterPolicy: Empty arrays are not allowed")
            #expect(await set(sqs, "FilterPolicy", "{\"a\": {\"b\": [\"x\"]}}")?.code == "InvalidParameter")
            #expect(await set(sqs, "FilterPolicyScope", "MessageBody") == nil)
            #expect(await set(sqs, "FilterPolicy", "{\"a\": {\"b\": [\"x\"]}}") == nil)
            #expect(await set(sqs, "FilterPolicyScope", "MessageAttributes")?.code == "InvalidParameter")
            #expect(await set(sqs, "FilterPolicyScope", "Everything")?.code == "InvalidParameter")
            #expect(
                await set(sqs, "RedrivePolicy", "{\"deadLetterTargetArn\": \"arn:aws:lambda:us-east-1:000000000000:function:x\"}")?.code
                    == "InvalidParameter"
            )
            #expect(await set(sqs, "RedrivePolicy", "{\"deadLetterTargetArn\": \"arn:aws:sqs:us-east-1:000000000000:dlq\"}") == nil)
            #expect(await set(sqs, "DeliveryPolicy", "{}")?.code == "InvalidParameter")
            #expect(await set(sqs, "Colour", "red")?.message == "Invalid parameter: AttributeName")
            let attributes = try await h.service.getSubscriptionAttributes(.init(subscriptionArn: sqs), context: context()).attributes
            #expect(attributes?["RawMessageDelivery"] == "true" && attributes?["FilterPolicyScope"] == "MessageBody")
            #expect(attributes?["RedrivePolicy"]?.contains("dlq") == true)
        }
    }
}

@Suite struct SubscribeAttributeTests {
    @Test func aBodyPolicyGivenWithItsScopeAtSubscribeIsAccepted() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            let attributes = ["FilterPolicy": #"{"order": {"status": ["paid"]}}"#, "FilterPolicyScope": "MessageBody"]
            let arn = try #require(
                try await h.service.subscribe(.init(attributes: attributes, endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context())
                    .subscriptionArn
            )
            #expect(
                try await h.service.getSubscriptionAttributes(.init(subscriptionArn: arn), context: context()).attributes?["FilterPolicyScope"]
                    == "MessageBody"
            )
        }
    }
}
