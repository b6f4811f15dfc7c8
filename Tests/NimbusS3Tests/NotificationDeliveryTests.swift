import NimbusCore
import NimbusS3
import NimbusTesting
import NimbusWire
import Synchronization
import Testing

@Suite struct NotificationRecordTests {
    @Test func recordHasAWSShape() throws {
        let event = ObjectEvent(
            name: "ObjectCreated:Put",
            bucket: "photos",
            key: "in/my cat(1).jpg",
            size: 42,
            eTag: "\"abc\"",
            sequencer: "0055AED6DCD90281E5",
            time: 1_767_323_045.25,
            requestID: "REQ",
            hostID: "HOST",
            sourceIP: "10.0.0.1",
            principalID: "AWS:AKID"
        )
        let document = try jsonObject(NotificationRecord.document(event, configurationID: "cfg", region: "eu-west-1", ownerID: "123456789012"))
        guard case .array(let records)? = document["Records"], records.count == 1, case .object(let record) = records[0] else {
            Issue.record("no single record")
            return
        }
        #expect(record["eventVersion"] == .string("2.1"))
        #expect(record["eventSource"] == .string("aws:s3"))
        #expect(record["awsRegion"] == .string("eu-west-1"))
        #expect(record["eventTime"] == .string("2026-01-02T03:04:05.250Z"))
        #expect(record["eventName"] == .string("ObjectCreated:Put"))
        #expect(record["userIdentity"] == .object(["principalId": .string("AWS:AKID")]))
        #expect(record["requestParameters"] == .object(["sourceIPAddress": .string("10.0.0.1")]))
        #expect(record["responseElements"] == .object(["x-amz-request-id": .string("REQ"), "x-amz-id-2": .string("HOST")]))
        guard case .object(let s3)? = record["s3"] else {
            Issue.record("no s3 member")
            return
        }
        #expect(s3["s3SchemaVersion"] == .string("1.0"))
        #expect(s3["configurationId"] == .string("cfg"))
        #expect(
            s3["bucket"]
                == .object([
                    "name": .string("photos"),
                    "ownerIdentity": .object(["principalId": .string("123456789012")]),
                    "arn": .string("arn:aws:s3:::photos"),
                ])
        )
        #expect(
            s3["object"]
                == .object([
                    "key": .string("in/my+cat%281%29.jpg"),
                    "size": .number("42"),
                    "eTag": .string("abc"),
                    "sequencer": .string("0055AED6DCD90281E5"),
                ])
        )
    }

    @Test func eventTimeAlwaysHasMilliseconds() {
        #expect(NotificationRecord.eventTime(1_767_323_045) == "2026-01-02T03:04:05.000Z")
        #expect(NotificationRecord.eventTime(1_767_323_045.007) == "2026-01-02T03:04:05.007Z")
    }
}

@Suite struct NotificationOutboxTests {
    let queue = "arn:aws:sqs:us-east-1:000000000000:q"

    func configure(_ h: S3Harness, events: [String] = ["s3:ObjectCreated:*", "s3:ObjectRemoved:*"]) async throws {
        _ = try await h.service.createBucket(S3Shapes.CreateBucketRequest(bucket: "bkt"), context: s3Context())
        try await h.service.putBucketNotificationConfiguration(
            S3Shapes.PutBucketNotificationConfigurationRequest(
                bucket: "bkt",
                notificationConfiguration: S3Shapes.NotificationConfiguration(
                    queueConfigurations: [S3Shapes.QueueConfiguration(events: events, id: "c1", queueArn: queue)]
                )
            ),
            context: s3Context()
        )
    }

    func eventNames(_ h: S3Harness) throws -> [String] {
        try h.dispatcher.recorded.compactMap { recorded in
            guard case .array(let records)? = try jsonObject(recorded.event.payload)["Records"], case .object(let record) = records[0],
                case .string(let name)? = record["eventName"]
            else { return nil }
            return name
        }
    }

    @Test func configurationSendsATestEventAndPutsAndDeletesAreNotified() async throws {
        try await withS3 { h in
            try await configure(h)
            let test = try #require(h.dispatcher.recorded.first)
            #expect(test.target.description == queue)
            #expect(try jsonObject(test.event.payload)["Event"] == .string("s3:TestEvent"))

            _ = try await h.service.putObject(S3Shapes.PutObjectRequest(bucket: "bkt", key: "k"), context: s3Context(Array("hello".utf8)))
            _ = try await h.service.deleteObject(S3Shapes.DeleteObjectRequest(bucket: "bkt", key: "k"), context: s3Context())
            #expect(try await h.service.deliverDueNotifications() == 2)
            #expect(try eventNames(h) == ["ObjectCreated:Put", "ObjectRemoved:Delete"])
            #expect(try await h.service.deliverDueNotifications() == 0)
        }
    }

    @Test func aFailingTargetKeepsTheRecordUntilItRecovers() async throws {
        try await withS3 { h in
            try await configure(h)
            h.dispatcher.failure.withLock { $0 = AWSError(code: "ServiceUnavailable", status: 503, message: "down") }
            _ = try await h.service.putObject(S3Shapes.PutObjectRequest(bucket: "bkt", key: "k"), context: s3Context(Array("x".utf8)))
            #expect(try await h.service.deliverDueNotifications() == 1)
            // Rescheduled a second later: nothing is due now.
            #expect(try await h.service.deliverDueNotifications() == 0)
            h.dispatcher.failure.withLock { $0 = nil }
            h.clock.advance(by: 1)
            #expect(try await h.service.deliverDueNotifications() == 1)
            #expect(try eventNames(h) == ["ObjectCreated:Put", "ObjectCreated:Put"])
            h.clock.advance(by: 120)
            #expect(try await h.service.deliverDueNotifications() == 0)
        }
    }

    @Test func aTargetThatRefusesForGoodDropsTheRecord() async throws {
        try await withS3 { h in
            try await configure(h)
            h.dispatcher.failure.withLock { $0 = AWSError(code: "AWS.SimpleQueueService.NonExistentQueue", status: 400, message: "gone") }
            _ = try await h.service.putObject(S3Shapes.PutObjectRequest(bucket: "bkt", key: "k"), context: s3Context(Array("x".utf8)))
            #expect(try await h.service.deliverDueNotifications() == 1)
            h.clock.advance(by: 120)
            #expect(try await h.service.deliverDueNotifications() == 0)
        }
    }

    @Test func anUnreachableTargetFailsValidation() async throws {
        try await withS3 { h in
            _ = try await h.service.createBucket(S3Shapes.CreateBucketRequest(bucket: "bkt"), context: s3Context())
            h.dispatcher.failure.withLock { $0 = AWSError(code: "AWS.SimpleQueueService.NonExistentQueue", status: 400, message: "gone") }
            let error = await #expect(throws: AWSError.self) {
                try await configure(h)
            }
            #expect(error?.code == "InvalidArgument")
            #expect(error?.message == "Unable to validate the following destination configurations")
            #expect(error?.details["ArgumentName1"] == queue)
            let stored = try await h.service.getBucketNotificationConfiguration(.init(bucket: "bkt"), context: s3Context())
            #expect(stored.queueConfigurations == nil)
        }
    }

    @Test func eventsOutsideTheConfigurationAreNotRecorded() async throws {
        try await withS3 { h in
            try await configure(h, events: ["s3:ObjectRemoved:*"])
            _ = try await h.service.putObject(S3Shapes.PutObjectRequest(bucket: "bkt", key: "k"), context: s3Context(Array("x".utf8)))
            #expect(try await h.service.deliverDueNotifications() == 0)
        }
    }
}
