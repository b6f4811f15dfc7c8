import Foundation
import NimbusCore

/// One lifecycle rule as Nimbus applies it: which objects (prefix, tags, size bounds) expire
/// when (days after creation, rounded up to the next midnight UTC as S3 does, or on a date),
/// and the clean-up actions for noncurrent versions, expired delete markers and incomplete
/// multipart uploads. Transitions between storage classes have no meaning here and are refused.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-expire-general-considerations.html
package struct ExpirationRule: Codable, Sendable, Hashable {
    package var id: String
    package var enabled: Bool
    /// The rule's filter was given as the legacy top-level `Prefix`.
    package var legacyPrefix: Bool = false
    package var prefix: String = ""
    package var tags: [ObjectTag] = []
    package var sizeGreaterThan: Int64?
    package var sizeLessThan: Int64?
    package var days: Int?
    /// Seconds since 1970 (a midnight UTC).
    package var date: Double?
    package var expiredObjectDeleteMarker: Bool?
    package var noncurrentDays: Int?
    package var abortIncompleteDays: Int?

    package init(id: String, enabled: Bool) {
        self.id = id
        self.enabled = enabled
    }

    /// Whether the rule applies to an object with `key`, `size` and `tags`.
    package func selects(key: String, size: Int, tags objectTags: [ObjectTag]) -> Bool {
        guard key.hasPrefix(prefix) else { return false }
        if let sizeGreaterThan, Int64(size) <= sizeGreaterThan { return false }
        if let sizeLessThan, Int64(size) >= sizeLessThan { return false }
        return tags.allSatisfy { objectTags.contains($0) }
    }

    /// When an object created at `created` expires under this rule, if it does.
    package func expiry(created: Double) -> Double? {
        if let date { return date }
        guard let days else { return nil }
        return Self.nextMidnight(after: created + Double(days) * 86_400)
    }

    /// The first midnight UTC at or after `time` (S3 rounds expiry times up to one).
    package static func nextMidnight(after time: Double) -> Double {
        (time / 86_400).rounded(.up) * 86_400
    }
}
