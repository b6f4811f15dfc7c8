/// One destination of a bucket's notification configuration, as Nimbus stores it: which
/// events, for which keys, go to which Lambda function, queue or topic.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-filtering.html
package struct NotificationRule: Codable, Sendable, Hashable {
    /// The kind of target, which decides how a record is delivered.
    package enum Destination: String, Codable, Sendable {
        case lambda, queue, topic
    }

    package var id: String
    package var destination: Destination
    /// The function, queue or topic ARN.
    package var target: String
    /// Event types as configured, e.g. `s3:ObjectCreated:*`.
    package var events: [String]
    package var prefix: String?
    package var suffix: String?

    package init(id: String, destination: Destination, target: String, events: [String], prefix: String? = nil, suffix: String? = nil) {
        self.id = id
        self.destination = destination
        self.target = target
        self.events = events
        self.prefix = prefix
        self.suffix = suffix
    }

    /// Whether an event named `eventName` (without `s3:`, e.g. `ObjectCreated:Put`) on `key` goes to this rule's target.
    package func matches(eventName: String, key: String) -> Bool {
        guard events.contains(where: { NotificationEvents.pattern($0, matches: eventName) }) else { return false }
        if let prefix, !key.hasPrefix(prefix) { return false }
        if let suffix, !key.hasSuffix(suffix) { return false }
        return true
    }

    /// Whether S3 would call the two rules ambiguous: a shared event type and key filters
    /// that can both match one key (one prefix starts the other, one suffix ends the other).
    package func overlaps(_ other: NotificationRule) -> Bool {
        let sharedEvent = events.contains { mine in other.events.contains { NotificationEvents.overlap(mine, $0) } }
        guard sharedEvent else { return false }
        let prefixes = (prefix ?? "", other.prefix ?? "")
        let suffixes = (suffix ?? "", other.suffix ?? "")
        let prefixOverlap = prefixes.0.hasPrefix(prefixes.1) || prefixes.1.hasPrefix(prefixes.0)
        let suffixOverlap = suffixes.0.hasSuffix(suffixes.1) || suffixes.1.hasSuffix(suffixes.0)
        return prefixOverlap && suffixOverlap
    }

    /// Whether the rule has neither a prefix nor a suffix filter.
    var unfiltered: Bool { prefix == nil && suffix == nil }
}
