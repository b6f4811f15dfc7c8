import NimbusCore

/// `PutLogEvents`' rules for a batch, as AWS applies them: which events are refused outright
/// (the whole call fails) and which are skipped and reported in `rejectedLogEventsInfo`.
/// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutLogEvents.html
struct LogEventBatch: Sendable, Hashable {
    /// Largest batch: the sum of the messages' UTF-8 bytes plus `eventOverhead` per event.
    static let maximumBytes = 1_048_576
    static let eventOverhead = 26
    static let maximumEvents = 10_000
    /// Largest single event (message bytes plus overhead).
    static let maximumEventBytes = 1_048_576
    /// A batch may not span more than 24 hours.
    static let maximumSpan: Int64 = 24 * 3_600_000
    /// Events more than 2 hours ahead of the clock are too new.
    static let futureLimit: Int64 = 2 * 3_600_000
    /// Events more than 14 days old are too old.
    static let pastLimit: Int64 = 14 * 86_400_000

    /// The events to store: `accepted` indexes of the request's list.
    var accepted: Range<Int>
    var tooNewStartIndex: Int?
    var tooOldEndIndex: Int?
    var expiredEndIndex: Int?

    /// Checks `events` (timestamp in ms, message) at `now` (ms) against a group retention of
    /// `retentionInDays` (`nil`: kept forever).
    /// - Throws: `InvalidParameterException` as AWS words it for an empty, too large, unordered
    ///   or over-24-hours batch, or an empty message.
    init(_ events: [(timestamp: Int64, message: String)], now: Int64, retentionInDays: Int?) throws(AWSError) {
        guard !events.isEmpty else {
            throw AWSError.constraint("[]", at: "logEvents", "Member must have length greater than or equal to 1")
        }
        guard events.count <= Self.maximumEvents else {
            throw AWSError.constraint("[…]", at: "logEvents", "Member must have length less than or equal to \(Self.maximumEvents)")
        }
        var total = 0
        for (index, event) in events.enumerated() {
            let size = event.message.utf8.count + Self.eventOverhead
            guard !event.message.isEmpty else {
                throw AWSError.constraint("", at: "logEvents.\(index + 1).member.message", "Member must have length greater than or equal to 1")
            }
            guard event.timestamp >= 0 else {
                throw AWSError.constraint(
                    "\(event.timestamp)",
                    at: "logEvents.\(index + 1).member.timestamp",
                    "Member must have value greater than or equal to 0"
                )
            }
            guard size <= Self.maximumEventBytes else {
                throw AWSError.invalidParameter("Log event too large: \(size) bytes exceeds limit of \(Self.maximumEventBytes)")
            }
            total += size
            if index > 0, event.timestamp < events[index - 1].timestamp {
                throw AWSError.invalidParameter("Log events in a single PutLogEvents request must be in chronological order.")
            }
        }
        guard total <= Self.maximumBytes else {
            throw AWSError.invalidParameter("Upload too large: \(total) bytes exceeds limit of \(Self.maximumBytes)")
        }
        guard events[events.count - 1].timestamp - events[0].timestamp <= Self.maximumSpan else {
            throw AWSError.invalidParameter("The batch of log events in a single PutLogEvents request cannot span more than 24 hours.")
        }
        // Ordered by time, so the too old come first and the too new last.
        tooOldEndIndex = events.lastIndex { $0.timestamp < now - Self.pastLimit }
        expiredEndIndex = retentionInDays.flatMap { days in events.lastIndex { $0.timestamp < now - Int64(days) * 86_400_000 } }
        tooNewStartIndex = events.firstIndex { $0.timestamp > now + Self.futureLimit }
        let start = max(tooOldEndIndex ?? -1, expiredEndIndex ?? -1) + 1
        let end = tooNewStartIndex ?? events.count
        accepted = start..<max(start, end)
    }

    /// AWS's report of the skipped events, or `nil` when every event was accepted.
    var rejected: LogsShapes.RejectedLogEventsInfo? {
        guard tooNewStartIndex != nil || tooOldEndIndex != nil || expiredEndIndex != nil else { return nil }
        return .init(expiredLogEventEndIndex: expiredEndIndex, tooNewLogEventStartIndex: tooNewStartIndex, tooOldLogEventEndIndex: tooOldEndIndex)
    }
}
