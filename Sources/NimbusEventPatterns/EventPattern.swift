/// A content filter in the event-pattern syntax AWS shares between SNS filter policies,
/// Lambda event filtering and EventBridge rules: the AND of its keys' conditions and of its
/// `$or` groups, each key matching when any of its matchers does.
///
/// See https://docs.aws.amazon.com/lambda/latest/dg/invocation-eventfiltering.html#filtering-syntax
/// and https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
package struct EventPattern: Sendable, Hashable {
    /// One level of the pattern: keys with matchers, nested objects and `$or` groups.
    package struct Node: Sendable, Hashable {
        /// Key → matchers, of which at least one must match.
        package var leaves: [String: [Matcher]] = [:]
        /// Key → nested pattern on the object under that key.
        package var children: [String: Node] = [:]
        /// Each group needs at least one of its alternatives to match.
        package var alternatives: [[Node]] = []
    }

    /// One value condition.
    package enum Matcher: Sendable, Hashable {
        case exactString(String)
        case exactNumber(Double)
        case exactBool(Bool)
        case exactNull
        case prefix(String)
        case suffix(String)
        case equalsIgnoreCase(String)
        /// Matches any present value not equal to the strings and numbers listed.
        case anythingBut(strings: Set<String>, numbers: Set<Double>)
        case anythingButPrefix(String)
        case anythingButSuffix(String)
        case anythingButEqualsIgnoreCase(Set<String>)
        /// Every (operator, bound) pair must hold; operators are `=`, `<`, `<=`, `>`, `>=`.
        case numeric([NumericBound])
        case exists(Bool)
    }

    package struct NumericBound: Sendable, Hashable {
        package var op: String
        package var value: Double
    }

    /// What a user of the syntax allows beyond its core (exact strings and numbers, operators, `$or`).
    package struct Rules: Sendable, Hashable {
        /// Why a key may not hold a nested pattern (an object), or `nil` when it may.
        package var nestingRefusal: String?
        /// Whether `true`, `false` and `null` may be matched exactly.
        package var allowsBooleansAndNull: Bool
        /// The largest magnitude a number in the pattern may have, if the user limits it.
        package var numberLimit: Double?

        package init(nestingRefusal: String? = nil, allowsBooleansAndNull: Bool = true, numberLimit: Double? = nil) {
            self.nestingRefusal = nestingRefusal
            self.allowsBooleansAndNull = allowsBooleansAndNull
            self.numberLimit = numberLimit
        }
    }

    package var root: Node

    /// Parses and validates the pattern `text` under `rules`.
    /// - Throws: `EventPatternError` naming what is wrong, in AWS's words where AWS has them.
    package init(_ text: String, rules: Rules = Rules()) throws(EventPatternError) {
        root = try PatternParser(rules: rules).parse(text)
    }

    /// Whether `document` satisfies the pattern.
    package func matches(_ document: some PatternDocument) -> Bool {
        Self.matches(root, document: document)
    }
}

/// Why a pattern was refused.
package struct EventPatternError: Error, Sendable, Hashable {
    /// What is wrong, e.g. "Unrecognized match type foo".
    package var message: String

    package init(_ message: String) {
        self.message = message
    }
}
