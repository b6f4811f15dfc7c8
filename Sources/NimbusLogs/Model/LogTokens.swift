import NimbusCore
import NimbusWire

/// `GetLogEvents`' tokens, shaped like AWS's: `f/<56 digits>/s` reads forward from a
/// position, `b/<56 digits>/s` backward. The digits are the position's timestamp (20) and
/// ingestion sequence (36).
/// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_GetLogEvents.html
enum StreamToken: Hashable, Sendable {
    case forward(LogStore.EventPosition)
    case backward(LogStore.EventPosition)

    /// - Throws: `InvalidParameterException` when `text` is not a token Nimbus issued.
    init(parsing text: String) throws(AWSError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2] == "s", let position = EventDigits.position(parts[1]) else { throw AWSError.invalidNextToken }
        switch parts[0] {
        case "f": self = .forward(position)
        case "b": self = .backward(position)
        default: throw AWSError.invalidNextToken
        }
    }

    var text: String {
        switch self {
        case .forward(let position): "f/\(EventDigits.text(position))/s"
        case .backward(let position): "b/\(EventDigits.text(position))/s"
        }
    }
}

/// `FilterLogEvents`' tokens. AWS's are opaque; Nimbus's say where to resume.
///
/// - `t/<group id>/<timestamp>/<sequence>`: the next page of a time-ordered search, after
///   that event. Issued only while more events match, as AWS does.
/// - `s/<group id>/<sequence>`: a *follow cursor* (a Nimbus extension that `nimbus logs tail
///   --follow` uses): the events ingested after that sequence, in ingestion order, whatever
///   their timestamps. A response to a cursor always carries the next cursor, the same one
///   when nothing new arrived. `s/0/0` starts at the beginning; a cursor of a deleted group
///   starts the group that replaced it from the beginning.
enum FilterToken: Hashable, Sendable {
    case page(groupID: Int64, after: LogStore.EventPosition)
    case follow(groupID: Int64, afterSequence: Int64)

    init(parsing text: String) throws(AWSError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        let numbers = parts.dropFirst().map { Int64($0) }
        guard numbers.allSatisfy({ $0 != nil && $0! >= 0 }) else { throw AWSError.invalidNextToken }
        switch (parts.first, numbers.count) {
        case ("t", 3): self = .page(groupID: numbers[0]!, after: .init(timestamp: numbers[1]!, sequence: numbers[2]!))
        case ("s", 2): self = .follow(groupID: numbers[0]!, afterSequence: numbers[1]!)
        default: throw AWSError.invalidNextToken
        }
    }

    var text: String {
        switch self {
        case .page(let group, let position): "t/\(group)/\(position.timestamp)/\(position.sequence)"
        case .follow(let group, let sequence): "s/\(group)/\(sequence)"
        }
    }
}

/// Event positions as 56 decimal digits: the timestamp in 20, the ingestion sequence in 36.
/// Also the form of `eventId`, which is therefore unique within a group and orders like the events.
enum EventDigits {
    static func text(_ position: LogStore.EventPosition) -> String {
        padded(max(position.timestamp, 0), to: 20) + padded(max(position.sequence, 0), to: 36)
    }

    static func position(_ digits: Substring) -> LogStore.EventPosition? {
        guard digits.utf8.count == 56, digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else { return nil }
        guard let timestamp = Int64(digits.prefix(20)), let sequence = Int64(digits.suffix(36)) else { return nil }
        return .init(timestamp: timestamp, sequence: sequence)
    }

    private static func padded(_ value: Int64, to width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(width - digits.count, 0)) + digits
    }
}

/// `DescribeLogGroups`/`DescribeLogStreams` tokens: the base64 of where the listing resumes.
enum ListingToken {
    static func text(_ key: String) -> String { Base64.encode(Array(key.utf8)) }

    static func key(_ token: String) throws(AWSError) -> String {
        guard let bytes = Base64.decode(token), let key = String(validating: bytes, as: UTF8.self) else { throw AWSError.invalidNextToken }
        return key
    }

    static func text(_ position: LogStore.StreamPosition) -> String { text("\(position.lastEventTime)/\(position.name)") }

    static func streamPosition(_ token: String) throws(AWSError) -> LogStore.StreamPosition {
        let key = try key(token)
        let parts = key.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let time = Int64(parts[0]) else { throw AWSError.invalidNextToken }
        return .init(lastEventTime: time, name: String(parts[1]))
    }
}
