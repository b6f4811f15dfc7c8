import Crypto
import NimbusCore
import NimbusStore
package import NimbusWire

/// Put/GetBucketNotificationConfiguration, and the events object changes produce.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/EventNotifications.html
extension S3Service {
    package func putBucketNotificationConfiguration(
        _ input: S3Shapes.PutBucketNotificationConfigurationRequest,
        context: RequestContext
    ) async throws {
        try await existingBucket(input.bucket)
        let rules = try NotificationRules(input.notificationConfiguration)
        if input.skipDestinationValidation != true {
            try await validateDestinations(rules, bucket: input.bucket, context: context)
        }
        try await store.setNotificationRules(rules, bucket: input.bucket)
    }

    package func getBucketNotificationConfiguration(
        _ input: S3Shapes.GetBucketNotificationConfigurationRequest,
        context: RequestContext
    ) async throws -> S3Shapes.NotificationConfiguration {
        try await store.notificationRules(input.bucket).configuration
    }

    /// Checks that every target exists as S3 does: queues and topics receive an `s3:TestEvent`,
    /// functions are checked with a dry-run invocation.
    /// - Throws: `InvalidArgument` "Unable to validate the following destination configurations",
    ///   naming each target that failed.
    func validateDestinations(_ rules: NotificationRules, bucket: String, context: RequestContext) async throws {
        var failures: [(target: String, reason: String)] = []
        let test = NotificationRecord.testEvent(bucket: bucket, time: clock.now(), requestID: context.requestID, hostID: hostID(context))
        for target in Set(rules.rules.map { DestinationKey(destination: $0.destination, target: $0.target) }).sorted(by: { $0.target < $1.target }) {
            guard let arn = ARN(target.target) else {
                failures.append((target.target, "The destination ARN is not valid"))
                continue
            }
            var event = DispatchEvent(payload: test, source: ARN("arn:aws:s3:::\(bucket)"))
            let reason: String
            switch target.destination {
            case .queue:
                reason = "Permissions on the destination queue do not allow S3 to publish notifications from this bucket"
            case .topic:
                reason = "Permissions on the destination topic do not allow S3 to publish notifications from this bucket"
                event.attributes["Subject"] = "Amazon S3 Notification"
            case .lambda:
                reason = "Not authorized to invoke function [\(target.target)]"
                event = DispatchEvent(payload: Array("{}".utf8), attributes: ["invocationType": "DryRun"])
            }
            do {
                _ = try await dispatcher.deliver(event, to: arn)
            } catch {
                failures.append((target.target, reason))
            }
        }
        guard failures.isEmpty else {
            var details: [String: String] = [:]
            for (index, failure) in failures.enumerated() {
                details["ArgumentName\(index + 1)"] = failure.target
                details["ArgumentValue\(index + 1)"] = failure.reason
            }
            throw AWSError(code: "InvalidArgument", message: "Unable to validate the following destination configurations", details: details)
        }
    }

    private struct DestinationKey: Hashable {
        var destination: NotificationRule.Destination
        var target: String
    }

    /// The event a change to `key` produces; `name` is the record's `eventName` (`ObjectCreated:Put`).
    func objectEvent(_ name: String, bucket: String, key: String, record: ObjectRecord?, context: RequestContext) -> ObjectEvent {
        let now = clock.now()
        let caller = context.caller
        return ObjectEvent(
            name: name,
            bucket: bucket,
            key: key,
            size: record?.size,
            eTag: record?.eTag,
            sequencer: sequencer.next(now: now),
            time: now,
            requestID: context.requestID,
            hostID: hostID(context),
            sourceIP: context.request.sourceIP,
            principalID: caller.accessKeyID.map { "AWS:" + (caller.principal ?? $0) } ?? "Anonymous"
        )
    }

    /// Wakes the notification worker when a change wrote records.
    func committed<Value>(_ change: S3Store.Change<Value>) -> Value {
        if change.notified { notifier.wake.signal() }
        return change.value
    }

    /// The `x-amz-id-2` a record carries: an opaque id derived from the request id.
    func hostID(_ context: RequestContext) -> String {
        Base64.encode(Array(SHA256.hash(data: Array(context.requestID.utf8))))
    }
}
