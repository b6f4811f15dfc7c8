import Foundation
import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Testing

@testable import NimbusSQS

extension SQSService {
    func makeQueue(_ name: String, _ attributes: [String: String] = [:]) async throws -> String {
        try await createQueue(.init(attributes: attributes, queueName: name), context: context()).queueUrl!
    }

    func send(_ url: String, _ body: String, group: String? = nil, dedup: String? = nil) async throws -> SQSShapes.SendMessageResult {
        try await sendMessage(.init(messageBody: body, messageDeduplicationId: dedup, messageGroupId: group, queueUrl: url), context: context())
    }

    func receive(_ url: String, max: Int = 10, visibility: Int? = nil, wait: Int? = nil) async throws -> [SQSShapes.Message] {
        try await receiveMessage(
            .init(
                attributeNames: ["All"],
                maxNumberOfMessages: max,
                queueUrl: url,
                visibilityTimeout: visibility,
                waitTimeSeconds: wait
            ),
            context: context()
        ).messages ?? []
    }

    func count(_ url: String, _ name: String = "ApproximateNumberOfMessages") async throws -> String? {
        try await getQueueAttributes(.init(attributeNames: [name], queueUrl: url), context: context()).attributes?[name]
    }
}

@Suite struct SQSServiceTests {
    @Test func queueURLsUseTheRequestHost() async throws {
        try await withSQS { service, _ in
            let url = try await service.createQueue(.init(queueName: "jobs"), context: context(host: "example.test:9999")).queueUrl
            #expect(url == "http://example.test:9999/000000000000/jobs")
        }
    }

    @Test func aDeletedQueuesNameIsFreeAfterAMinute() async throws {
        try await withSQS { service, clock in
            let url = try await service.makeQueue("reused")
            _ = try await service.send(url, "gone with the queue")
            try await service.deleteQueue(.init(queueUrl: url), context: context())
            clock.advance(by: 59)
            let early = await #expect(throws: AWSError.self) { try await service.makeQueue("reused") }
            #expect(early?.code == "QueueDeletedRecently")
            _ = try await service.makeQueue("other")
            clock.advance(by: 1)
            let again = try await service.makeQueue("reused")
            #expect(try await service.receive(again).isEmpty)
        }
    }

    @Test func retentionDropsExpiredMessagesUnderTheTestClock() async throws {
        try await withSQS { service, clock in
            let url = try await service.makeQueue("short", ["MessageRetentionPeriod": "60"])
            _ = try await service.send(url, "old")
            clock.advance(by: 30)
            _ = try await service.send(url, "young")
            clock.advance(by: 30)
            #expect(try await service.count(url) == "1")
            #expect(try await service.receive(url).map(\.body) == ["young"])
        }
    }

    @Test func visibilityTimeoutUnderTheTestClock() async throws {
        try await withSQS { service, clock in
            let url = try await service.makeQueue("v", ["VisibilityTimeout": "10"])
            _ = try await service.send(url, "m")
            #expect(try await service.receive(url).count == 1)
            clock.advance(by: 9.9)
            #expect(try await service.receive(url).isEmpty)
            clock.advance(by: 0.1)
            let again = try await service.receive(url)
            #expect(again.first?.attributes?["ApproximateReceiveCount"] == "2")
        }
    }

    @Test func everythingIsReloadedFromTheStore() async throws {
        try await TemporaryDirectory.with { directory in
            let clock = TestWallClock()
            let path = directory.path + "/db.sqlite"
            let first = try SQLiteStore(path: path)
            let service = try await SQSService(store: first, clock: clock)
            let url = try await service.makeQueue("durable", ["VisibilityTimeout": "100"])
            let fifo = try await service.makeQueue("durable.fifo", ["FifoQueue": "true"])
            for body in ["a", "b", "c"] { _ = try await service.send(url, body) }
            let sent = try await service.send(fifo, "f", group: "g", dedup: "d")
            let taken = try await service.receive(url, max: 1)
            try await first.close()

            let second = try SQLiteStore(path: path)
            let reopened = try await SQSService(store: second, clock: clock)
            #expect(try await reopened.count(url) == "2")
            #expect(try await reopened.count(url, "ApproximateNumberOfMessagesNotVisible") == "1")
            try await reopened.deleteMessage(.init(queueUrl: url, receiptHandle: taken[0].receiptHandle!), context: context())
            #expect(try await reopened.count(url, "ApproximateNumberOfMessagesNotVisible") == "0")
            let duplicate = try await reopened.send(fifo, "f", group: "g", dedup: "d")
            #expect(duplicate.messageId == sent.messageId)
            let next = try await reopened.send(fifo, "f2", group: "g", dedup: "e")
            #expect(next.sequenceNumber! > sent.sequenceNumber!)
            try await second.close()
        }
    }

    @Test func aLongPollWakesWhenAMessageIsSent() async throws {
        try await withSQS(clock: TestWallClock(Date().timeIntervalSince1970)) { service, _ in
            let url = try await service.makeQueue("poll")
            let started = ContinuousClock.now
            async let polled = service.receive(url, wait: 10)
            try await Task.sleep(for: .milliseconds(100))
            _ = try await service.send(url, "wake")
            let messages = try await polled
            #expect(messages.map(\.body) == ["wake"])
            #expect(ContinuousClock.now - started < .seconds(5))
        }
    }

    @Test func dispatchedEventsBecomeMessages() async throws {
        try await withSQS { service, _ in
            let url = try await service.makeQueue("target")
            let fifo = try await service.makeQueue("target.fifo", ["FifoQueue": "true", "ContentBasedDeduplication": "true"])
            let arn = ARN(service: "sqs", region: "us-east-1", account: "000000000000", resource: "target")
            let reply = try await service.handle(DispatchEvent(payload: Array(#"{"hello":"world"}"#.utf8)), for: arn)
            #expect(String(decoding: reply.payload, as: UTF8.self).contains("MessageId"))
            #expect(try await service.receive(url).map(\.body) == [#"{"hello":"world"}"#])

            let fifoARN = ARN(service: "sqs", region: "us-east-1", account: "000000000000", resource: "target.fifo")
            await #expect(throws: AWSError.missingParameter("MessageGroupId")) {
                _ = try await service.handle(DispatchEvent(payload: Array("x".utf8)), for: fifoARN)
            }
            for body in ["1", "2", "2"] {
                _ = try await service.handle(DispatchEvent(payload: Array(body.utf8), attributes: ["MessageGroupId": "g"]), for: fifoARN)
            }
            #expect(try await service.receive(fifo).map(\.body) == ["1", "2"])
            let missing = ARN(service: "sqs", region: "us-east-1", account: "000000000000", resource: "missing")
            await #expect(throws: AWSError.queueDoesNotExist) {
                _ = try await service.handle(DispatchEvent(payload: Array("x".utf8)), for: missing)
            }
        }
    }

    @Test func deadLetterAndMoveBackUnderTheTestClock() async throws {
        try await withSQS { service, clock in
            let dlq = try await service.makeQueue("dlq")
            let dlqARN = "arn:aws:sqs:us-east-1:000000000000:dlq"
            let policy = #"{"deadLetterTargetArn":"\#(dlqARN)","maxReceiveCount":1}"#
            let source = try await service.makeQueue("source", ["RedrivePolicy": policy, "VisibilityTimeout": "5"])
            _ = try await service.send(source, "poison")
            #expect(try await service.receive(source).count == 1)
            clock.advance(by: 5)
            #expect(try await service.receive(source).isEmpty)
            #expect(
                try await service.receive(dlq, visibility: 0).first?.attributes?["DeadLetterQueueSourceArn"]
                    == "arn:aws:sqs:us-east-1:000000000000:source"
            )
            _ = try await service.startMessageMoveTask(.init(sourceArn: dlqARN), context: context())
            await service.backgroundStep()
            let tasks = try await service.listMessageMoveTasks(.init(sourceArn: dlqARN), context: context()).results
            #expect(tasks?.first?.status == "COMPLETED")
            #expect(try await service.receive(source).map(\.body) == ["poison"])
        }
    }

    @Test func aMoveTaskGoesOnAfterARestart() async throws {
        try await TemporaryDirectory.with { directory in
            let clock = TestWallClock()
            let path = directory.path + "/db.sqlite"
            let first = try SQLiteStore(path: path)
            let service = try await SQSService(store: first, clock: clock)
            let dlqARN = "arn:aws:sqs:us-east-1:000000000000:dlq"
            let dlq = try await service.makeQueue("dlq")
            let source = try await service.makeQueue("source", ["RedrivePolicy": #"{"deadLetterTargetArn":"\#(dlqARN)","maxReceiveCount":1}"#])
            for n in 1...5 { _ = try await service.send(dlq, "m\(n)") }
            // One message per second: a round of background work (0.2 s) moves none or one.
            let sourceARN = "arn:aws:sqs:us-east-1:000000000000:source"
            _ = try await service.startMessageMoveTask(
                .init(destinationArn: sourceARN, maxNumberOfMessagesPerSecond: 1, sourceArn: dlqARN),
                context: context()
            )
            for _ in 0..<10 { await service.backgroundStep() }
            try await first.close()

            let second = try SQLiteStore(path: path)
            let reopened = try await SQSService(store: second, clock: clock)
            let stored = try await reopened.listMessageMoveTasks(.init(sourceArn: dlqARN), context: context()).results?.first
            #expect(stored?.status == "RUNNING")
            #expect(stored?.approximateNumberOfMessagesMoved == 2)
            #expect(stored?.approximateNumberOfMessagesToMove == 5)
            #expect(try await reopened.count(source) == "2")
            for _ in 0..<20 { await reopened.backgroundStep() }
            let finished = try await reopened.listMessageMoveTasks(.init(sourceArn: dlqARN), context: context()).results?.first
            #expect(finished?.status == "COMPLETED" && finished?.approximateNumberOfMessagesMoved == 5)
            #expect(try await reopened.count(source) == "5")
            #expect(try await reopened.count(dlq) == "0")
            try await second.close()
        }
    }
}
