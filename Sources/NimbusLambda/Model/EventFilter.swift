import NimbusCore
import NimbusEventPatterns
import NimbusWire

/// An event source mapping's `FilterCriteria`: a record goes to the function when any of the
/// patterns matches it; the rest are dropped without an invocation (an SQS message is deleted).
///
/// A record is matched as the function would receive it, except that a `body` holding JSON
/// (an object or an array) is matched as that JSON, so `{"body": {"kind": ["order"]}}` looks
/// inside it, while a plain-text body is matched by patterns like `{"body": [{"prefix": "A"}]}`.
/// See https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html
struct EventFilter: Sendable {
    /// AWS's default quota of filters per mapping, and the longest pattern.
    static let maximumFilters = 5
    static let maximumPatternLength = 4096

    private var patterns: [EventPattern]

    /// The filter of a mapping without `FilterCriteria`.
    static let none = EventFilter(patterns: [])

    /// Every record passes when there are no filters.
    var passesEverything: Bool { patterns.isEmpty }

    private init(patterns: [EventPattern]) {
        self.patterns = patterns
    }

    /// - Throws: `InvalidParameterValueException` for too many filters or a pattern that does not parse.
    init(_ criteria: LambdaShapes.FilterCriteria?) throws(AWSError) {
        let filters = criteria?.filters ?? []
        guard filters.count <= Self.maximumFilters else {
            throw .invalidParameter("The number of filters (\(filters.count)) exceeds the limit of \(Self.maximumFilters).")
        }
        patterns = []
        for filter in filters {
            let text = filter.pattern ?? ""
            guard !text.isEmpty, text.utf8.count <= Self.maximumPatternLength, let pattern = try? EventPattern(text) else {
                throw .invalidParameter("Invalid filter pattern definition.")
            }
            patterns.append(pattern)
        }
    }

    /// Whether the record (AWS's event record, as JSON) goes to the function.
    func admits(_ record: [UInt8]) -> Bool {
        if patterns.isEmpty { return true }
        guard case .object(var members)? = try? JSONParser.parse(record) else { return false }
        if case .string(let body)? = members["body"], let parsed = try? JSONParser.parse(Array(body.utf8)) {
            switch parsed {
            case .object, .array: members["body"] = parsed
            default: break
            }
        }
        let document = JSONDocument(members: members)
        return patterns.contains { $0.matches(document) }
    }
}
