import NimbusCore
import NimbusS3
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Synchronization
import Testing

@Suite struct NotificationRestartTests {
    /// A record written while the target was down is still delivered by the next server on the same data.
    @Test func pendingRecordsSurviveARestart() async throws {
        try await TemporaryDirectory.with { directory in
            let path = directory.path + "/db.sqlite"
            let queue = "arn:aws:sqs:us-east-1:000000000000:q"
            let down = RecordingDispatcher()
            let first = try SQLiteStore(path: path)
            let before = try await S3Service(store: first, blobs: try FileBlobStore(root: directory.path + "/blobs"), dispatcher: down)
            _ = try await before.createBucket(S3Shapes.CreateBucketRequest(bucket: "bkt"), context: s3Context())
            try await before.putBucketNotificationConfiguration(
                S3Shapes.PutBucketNotificationConfigurationRequest(
                    bucket: "bkt",
                    notificationConfiguration: S3Shapes.NotificationConfiguration(
                        queueConfigurations: [S3Shapes.QueueConfiguration(events: ["s3:ObjectCreated:*"], queueArn: queue)]
                    )
                ),
                context: s3Context()
            )
            down.failure.withLock { $0 = AWSError(code: "ServiceUnavailable", status: 503, message: "down") }
            _ = try await before.putObject(S3Shapes.PutObjectRequest(bucket: "bkt", key: "k"), context: s3Context(Array("x".utf8)))
            #expect(try await before.deliverDueNotifications() == 1)
            try await first.close()

            let up = RecordingDispatcher()
            let second = try SQLiteStore(path: path)
            let after = try await S3Service(
                store: second,
                blobs: try FileBlobStore(root: directory.path + "/blobs"),
                dispatcher: up,
                clock: TestWallClock(SystemWallClock().now() + 120)
            )
            #expect(try await after.deliverDueNotifications() == 1)
            let delivered = try #require(up.recorded.first)
            #expect(delivered.target.description == queue)
            guard case .array(let records)? = try jsonObject(delivered.event.payload)["Records"], case .object(let record) = records[0] else {
                Issue.record("no record")
                return
            }
            #expect(record["eventName"] == .string("ObjectCreated:Put"))
            #expect(try await after.deliverDueNotifications() == 0)
            try await second.close()
        }
    }
}
