/// S3's notification event types and how a configured type (possibly a `*` wildcard) matches
/// the name of an event that happened.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html
package enum NotificationEvents {
    /// Every event type a configuration may name (botocore's `Event` enum).
    package static let supported: Set<String> = [
        "s3:ReducedRedundancyLostObject", "s3:ObjectCreated:*", "s3:ObjectCreated:Put", "s3:ObjectCreated:Post",
        "s3:ObjectCreated:Copy", "s3:ObjectCreated:CompleteMultipartUpload", "s3:ObjectRemoved:*", "s3:ObjectRemoved:Delete",
        "s3:ObjectRemoved:DeleteMarkerCreated", "s3:ObjectRestore:*", "s3:ObjectRestore:Post", "s3:ObjectRestore:Completed",
        "s3:Replication:*", "s3:Replication:OperationFailedReplication", "s3:Replication:OperationNotTracked",
        "s3:Replication:OperationMissedThreshold", "s3:Replication:OperationReplicatedAfterThreshold",
        "s3:ObjectRestore:Delete", "s3:LifecycleTransition", "s3:IntelligentTiering", "s3:ObjectAcl:Put",
        "s3:LifecycleExpiration:*", "s3:LifecycleExpiration:Delete", "s3:LifecycleExpiration:DeleteMarkerCreated",
        "s3:ObjectTagging:*", "s3:ObjectTagging:Put", "s3:ObjectTagging:Delete",
    ]

    /// Whether the configured `pattern` (`s3:ObjectCreated:*`, `s3:ObjectCreated:Put`) covers
    /// the event `name` as it appears in a record (`ObjectCreated:Put`).
    package static func pattern(_ pattern: String, matches name: String) -> Bool {
        guard pattern.hasPrefix("s3:") else { return false }
        let configured = pattern.dropFirst(3)
        if configured.hasSuffix(":*") {
            return name.hasPrefix(configured.dropLast(1))
        }
        return configured == name
    }

    /// Whether two configured types can name the same event (`s3:ObjectCreated:*` and `s3:ObjectCreated:Put` do).
    package static func overlap(_ first: String, _ second: String) -> Bool {
        if first == second { return true }
        func family(_ type: String) -> Substring? { type.hasSuffix(":*") ? type.dropLast(1) : nil }
        if let family = family(first), second.hasPrefix(family) { return true }
        if let family = family(second), first.hasPrefix(family) { return true }
        return false
    }
}
