import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Synchronization
import Testing

@testable import NimbusSNS

@Suite struct PublishTests {
    @Test func sqsSubscribersGetTheSignedEnvelope() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            let subscription = try #require(
                try await h.service.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context()).subscriptionArn
            )
            let published = try await h.service.publish(
                .init(
                    message: "hello",
                    messageAttributes: ["color": .init(dataType: "String", stringValue: "red"), "n": .init(dataType: "Number", stringValue: "5")],
                    subject: "greeting",
                    topicArn: topic
                ),
                context: context()
            )
            let id = try #require(published.messageId)
            #expect(published.sequenceNumber == nil)
            #expect(try await h.service.store.pendingDeliveryCount() == 1)
            #expect(try await h.service.worker.deliverDue() == 1)
            #expect(try await h.service.store.pendingDeliveryCount() == 0)
            let (event, target) = try #require(h.dispatcher.recorded.first)
            #expect(target.description == queueARN && event.source?.description == topic && event.attributes.isEmpty)
            let envelope = try jsonObject(event.payload)
            #expect(string(envelope["Type"]) == "Notification" && string(envelope["MessageId"]) == id)
            #expect(string(envelope["TopicArn"]) == topic && string(envelope["Subject"]) == "greeting" && string(envelope["Message"]) == "hello")
            #expect(string(envelope["SignatureVersion"]) == "1" && string(envelope["Signature"])?.isEmpty == false)
            #expect(string(envelope["Timestamp"]) == Envelope.timestamp(h.clock.now()))
            #expect(string(envelope["UnsubscribeURL"])?.contains("Action=Unsubscribe") == true)
            #expect(string(envelope["UnsubscribeURL"])?.contains(FormEncoding.uriEncode(subscription)) == true)
            guard case .object(let attributes) = envelope["MessageAttributes"], case .object(let color) = attributes["color"] else {
                Issue.record("no MessageAttributes")
                return
            }
            #expect(string(color["Type"]) == "String" && string(color["Value"]) == "red")
            #expect(String(decoding: event.payload.prefix(9), as: UTF8.self) == "{\"Type\":\"")
        }
    }

    @Test func rawDeliveryFiltersAndMessageStructure() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            _ = try await h.service.subscribe(
                .init(
                    attributes: ["RawMessageDelivery": "true", "FilterPolicy": #"{"color": ["red"]}"#],
                    endpoint: queueARN,
                    protocol: "sqs",
                    topicArn: topic
                ),
                context: context()
            )
            _ = try await h.service.publish(
                .init(message: "blue one", messageAttributes: ["color": .init(dataType: "String", stringValue: "blue")], topicArn: topic),
                context: context()
            )
            _ = try await h.service.publish(.init(message: "no attributes", topicArn: topic), context: context())
            _ = try await h.service.publish(
                .init(
                    message: #"{"default": "fallback", "sqs": "for queues"}"#,
                    messageAttributes: ["color": .init(dataType: "String", stringValue: "red")],
                    messageStructure: "json",
                    topicArn: topic
                ),
                context: context()
            )
            try await h.service.worker.deliverDue()
            #expect(h.dispatcher.recorded.count == 1)
            let event = try #require(h.dispatcher.recorded.first?.event)
            #expect(String(decoding: event.payload, as: UTF8.self) == "for queues")
            #expect(event.attributes["MessageAttributes"] == #"{"color":{"DataType":"String","StringValue":"red"}}"#)
        }
    }

    @Test func lambdaSubscribersAreInvokedAsynchronouslyWithTheSNSEvent() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            let subscription = try #require(
                try await h.service.subscribe(.init(endpoint: functionARN, protocol: "lambda", topicArn: topic), context: context()).subscriptionArn
            )
            _ = try await h.service.publish(.init(message: "hi", topicArn: topic), context: context())
            try await h.service.worker.deliverDue()
            let (event, target) = try #require(h.dispatcher.recorded.first)
            #expect(target.description == functionARN && event.attributes == ["invocationType": "Event"])
            let root = try jsonObject(event.payload)
            guard case .array(let records) = root["Records"], case .object(let record) = records.first, case .object(let sns) = record["Sns"] else {
                Issue.record("not an SNS event: \(String(decoding: event.payload, as: UTF8.self))")
                return
            }
            #expect(string(record["EventSource"]) == "aws:sns" && string(record["EventVersion"]) == "1.0")
            #expect(string(record["EventSubscriptionArn"]) == subscription)
            #expect(string(sns["Message"]) == "hi" && sns["Subject"] == .null && sns["MessageAttributes"] == .object([:]))
            #expect(string(sns["SigningCertUrl"]) != nil && string(sns["UnsubscribeUrl"]) != nil)
        }
    }

    @Test func publishValidation() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            func publish(_ input: SNSShapes.PublishInput) async -> AWSError? {
                await awsError { _ = try await h.service.publish(input, context: context()) }
            }
            #expect(await publish(.init(message: "", topicArn: topic))?.message == "Invalid parameter: Empty message")
            #expect(
                await publish(.init(message: String(repeating: "x", count: 262_145), topicArn: topic))?.message
                    == "Invalid parameter: Message too long"
            )
            #expect(await publish(.init(message: String(repeating: "x", count: 262_144), topicArn: topic)) == nil)
            #expect(await publish(.init(message: "x", subject: "line\nbreak", topicArn: topic))?.message == "Invalid parameter: Subject")
            #expect(
                await publish(.init(message: "{}", messageStructure: "json", topicArn: topic))?.message
                    == "Invalid parameter: Message Structure - No default entry in JSON message body"
            )
            #expect(await publish(.init(message: "nope", messageStructure: "json", topicArn: topic))?.code == "InvalidParameter")
            #expect(
                await publish(.init(message: "x", messageAttributes: ["a": .init(dataType: "Date", stringValue: "x")], topicArn: topic))?.code
                    == "ParameterValueInvalid"
            )
            #expect(
                await publish(.init(message: "x", messageAttributes: ["a": .init(dataType: "Number", stringValue: "abc")], topicArn: topic))?.code
                    == "ParameterValueInvalid"
            )
            #expect(
                await publish(.init(message: "x", messageAttributes: ["a": .init(dataType: "String", stringValue: "")], topicArn: topic))?.code
                    == "ParameterValueInvalid"
            )
            #expect(
                await publish(.init(message: "x", messageAttributes: ["AWS.x": .init(dataType: "String", stringValue: "v")], topicArn: topic))?.code
                    == "ParameterValueInvalid"
            )
            #expect(
                await publish(
                    .init(message: "x", messageAttributes: ["a": .init(dataType: "String.Array", stringValue: "[1, [2]]")], topicArn: topic)
                )?.code == "ParameterValueInvalid"
            )
            #expect(await publish(.init(message: "x", messageDeduplicationId: "d", topicArn: topic))?.code == "InvalidParameter")
            #expect(await publish(.init(message: "x"))?.message == "Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter")
            #expect(await publish(.init(message: "x", phoneNumber: "+15555550100"))?.code == "InvalidParameter")
            #expect(await publish(.init(message: "x", topicArn: topic + "-missing"))?.code == "NotFound")
            #expect(await publish(.init(message: "x", targetArn: topic)) == nil)
        }
    }

    @Test func fifoTopicsDeduplicateAndNumberMessages() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t.fifo", attributes: ["FifoTopic": "true"])
            _ = try await h.service.subscribe(.init(endpoint: queueARN + ".fifo", protocol: "sqs", topicArn: topic), context: context())
            let missingGroup = await awsError {
                _ = try await h.service.publish(.init(message: "x", messageDeduplicationId: "1", topicArn: topic), context: context())
            }
            #expect(missingGroup?.message == "Invalid parameter: The MessageGroupId parameter is required for FIFO topics")
            let missingDedup = await awsError {
                _ = try await h.service.publish(.init(message: "x", messageGroupId: "g", topicArn: topic), context: context())
            }
            #expect(missingDedup?.code == "InvalidParameter")
            let first = try await h.service.publish(
                .init(message: "a", messageDeduplicationId: "1", messageGroupId: "g", topicArn: topic),
                context: context()
            )
            let duplicate = try await h.service.publish(
                .init(message: "b", messageDeduplicationId: "1", messageGroupId: "g", topicArn: topic),
                context: context()
            )
            let second = try await h.service.publish(
                .init(message: "c", messageDeduplicationId: "2", messageGroupId: "g", topicArn: topic),
                context: context()
            )
            #expect(duplicate.messageId == first.messageId && duplicate.sequenceNumber == first.sequenceNumber)
            #expect(first.sequenceNumber == "10000000000000000001" && second.sequenceNumber == "10000000000000000002")
            h.clock.advance(by: 301)
            let later = try await h.service.publish(
                .init(message: "b", messageDeduplicationId: "1", messageGroupId: "g", topicArn: topic),
                context: context()
            )
            #expect(later.messageId != first.messageId)
            while try await h.service.worker.deliverDue() > 0 {}
            let events = h.dispatcher.recorded.map(\.event)
            #expect(events.map { string(try? jsonObject($0.payload)["Message"]) } == ["a", "c", "b"])
            #expect(events.map { $0.attributes["MessageGroupId"] } == ["g", "g", "g"])
            #expect(events.map { $0.attributes["MessageDeduplicationId"] } == ["1", "2", "1"])
            #expect(string(try jsonObject(events[0].payload)["SequenceNumber"]) == "10000000000000000001")
        }
    }

    @Test func contentBasedDeduplicationHashesTheMessage() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("c.fifo", attributes: ["FifoTopic": "true", "ContentBasedDeduplication": "true"])
            let first = try await h.service.publish(.init(message: "same", messageGroupId: "g", topicArn: topic), context: context())
            let second = try await h.service.publish(.init(message: "same", messageGroupId: "other", topicArn: topic), context: context())
            #expect(first.messageId == second.messageId)
        }
    }

    @Test func publishBatch() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            _ = try await h.service.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context())
            func entry(_ id: String, _ message: String) -> SNSShapes.PublishBatchRequestEntry { .init(id: id, message: message) }
            let result = try await h.service.publishBatch(
                .init(publishBatchRequestEntries: [entry("a", "one"), entry("b", ""), entry("c", "three")], topicArn: topic),
                context: context()
            )
            #expect(result.successful?.map(\.id) == ["a", "c"])
            #expect(
                result.failed?.map(\.id) == ["b"] && result.failed?.first?.code == "InvalidParameter" && result.failed?.first?.senderFault == true
            )
            try await h.service.worker.deliverDue()
            #expect(h.dispatcher.recorded.count == 2)
            func batch(_ entries: [SNSShapes.PublishBatchRequestEntry]) async -> AWSError? {
                await awsError {
                    _ = try await h.service.publishBatch(.init(publishBatchRequestEntries: entries, topicArn: topic), context: context())
                }
            }
            #expect(await batch([])?.code == "EmptyBatchRequest")
            #expect(await batch((0...10).map { entry("e\($0)", "x") })?.code == "TooManyEntriesInBatchRequest")
            #expect(await batch([entry("a", "x"), entry("a", "y")])?.code == "BatchEntryIdsNotDistinct")
            #expect(await batch([entry("bad id!", "x")])?.code == "InvalidBatchEntryId")
            #expect(
                await batch([entry("a", String(repeating: "x", count: 200_000)), entry("b", String(repeating: "x", count: 70_000))])?.code
                    == "BatchRequestTooLong"
            )
        }
    }
}

@Suite struct DeliveryTests {
    @Test func httpDeliveriesCarryAWSsHeadersAndRetryThenDeadLetter() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            _ = try await h.service.subscribe(
                .init(
                    attributes: [
                        "DeliveryPolicy": #"{"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 1, "numRetries": 2}}"#,
                        "RedrivePolicy": #"{"deadLetterTargetArn": "arn:aws:sqs:us-east-1:000000000000:dlq"}"#,
                    ],
                    endpoint: "https://hooks.example/in",
                    protocol: "https",
                    topicArn: topic
                ),
                context: context()
            )
            try await h.service.worker.deliverDue()
            let token = try confirmationToken(h.poster)
            let arn = try #require(try await h.service.confirmSubscription(.init(token: token, topicArn: topic), context: context()).subscriptionArn)

            h.poster.status.withLock { $0 = 503 }
            let id = try #require(try await h.service.publish(.init(message: "m", topicArn: topic), context: context()).messageId)
            #expect(try await h.service.worker.deliverDue() == 1)
            let post = try #require(h.poster.recorded.last)
            #expect(post.headers["x-amz-sns-message-type"] == "Notification" && post.headers["x-amz-sns-message-id"] == id)
            #expect(post.headers["x-amz-sns-subscription-arn"] == arn && post.headers["Content-Type"] == "text/plain; charset=UTF-8")
            #expect(try await h.service.worker.deliverDue() == 0)
            h.clock.advance(by: 1)
            #expect(try await h.service.worker.deliverDue() == 1)
            h.clock.advance(by: 1)
            #expect(try await h.service.worker.deliverDue() == 1)
            #expect(h.poster.recorded.count == 4)
            #expect(try await h.service.store.pendingDeliveryCount() == 0)
            let (event, target) = try #require(h.dispatcher.recorded.first)
            #expect(target.description == "arn:aws:sqs:us-east-1:000000000000:dlq")
            #expect(string(try jsonObject(event.payload)["MessageId"]) == id)
        }
    }

    @Test func clientErrorsAreNotRetried() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            _ = try await h.service.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context())
            h.dispatcher.failure.withLock { $0 = AWSError(code: "AWS.SimpleQueueService.NonExistentQueue", message: "gone") }
            _ = try await h.service.publish(.init(message: "m", topicArn: topic), context: context())
            #expect(try await h.service.worker.deliverDue() == 1)
            #expect(try await h.service.store.pendingDeliveryCount() == 0)

            h.dispatcher.failure.withLock { $0 = AWSError.internalFailure() }
            _ = try await h.service.publish(.init(message: "m", topicArn: topic), context: context())
            for _ in 0..<3 { try await h.service.worker.deliverDue() }
            #expect(try await h.service.store.pendingDeliveryCount() == 1)
            h.dispatcher.failure.withLock { $0 = nil }
            h.clock.advance(by: 1)
            #expect(try await h.service.worker.deliverDue() == 1)
            #expect(try await h.service.store.pendingDeliveryCount() == 0)
        }
    }

    @Test func pendingDeliveriesSurviveARestart() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/db.sqlite"
            let dispatcher = RecordingDispatcher()
            let first = try SQLiteStore(path: path)
            let before = try await SNSService(store: first, dispatcher: dispatcher, signer: sharedSigner)
            let topic = try await before.makeTopic("t")
            _ = try await before.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context())
            let id = try await before.publish(.init(message: "durable", topicArn: topic), context: context()).messageId
            try await first.close()

            let second = try SQLiteStore(path: path)
            let after = try await SNSService(store: second, dispatcher: dispatcher)
            #expect(after.signingCertificatePEM != sharedSigner.certificatePEM)
            #expect(try await after.worker.deliverDue() == 1)
            #expect(string(try jsonObject(try #require(dispatcher.recorded.first).event.payload)["MessageId"]) == id)
            let third = try SQLiteStore(path: directory.path + "/db.sqlite")
            let reopened = try await SNSService(store: third, dispatcher: dispatcher)
            #expect(reopened.signingCertificatePEM == after.signingCertificatePEM)
            try await second.close()
            try await third.close()
        }
    }

    @Test func theBackgroundWorkerDeliversWithoutBeingAsked() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            _ = try await h.service.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context())
            let worker = Task { await h.service.runDeliveries() }
            _ = try await h.service.publish(.init(message: "m", topicArn: topic), context: context())
            for _ in 0..<200 where try await h.service.store.pendingDeliveryCount() > 0 { try await Task.sleep(for: .milliseconds(10)) }
            worker.cancel()
            await worker.value
            #expect(h.dispatcher.recorded.count == 1)
        }
    }

    @Test func theDispatchHandlerPublishesThePayload() async throws {
        try await withSNS { h in
            let topic = try await h.service.makeTopic("t")
            _ = try await h.service.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context())
            let reply = try await h.service.handle(
                DispatchEvent(payload: Array(#"{"result": 1}"#.utf8), attributes: ["Subject": "done"]),
                for: try #require(ARN(topic))
            )
            let id = try #require(string(try jsonObject(reply.payload)["MessageId"]))
            try await h.service.worker.deliverDue()
            let envelope = try jsonObject(try #require(h.dispatcher.recorded.first).event.payload)
            #expect(string(envelope["MessageId"]) == id && string(envelope["Message"]) == #"{"result": 1}"# && string(envelope["Subject"]) == "done")
            #expect(string(envelope["SigningCertURL"])?.hasPrefix("http://127.0.0.1:4566/_nimbus/sns/") == true)
            let missing = await awsError {
                _ = try await h.service.handle(DispatchEvent(payload: [1]), for: try #require(ARN(topic + "-gone")))
            }
            #expect(missing?.code == "NotFound")
        }
    }
}
