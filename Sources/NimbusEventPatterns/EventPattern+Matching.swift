/// A value a pattern key is compared with.
package enum PatternValue: Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
}

/// Where a pattern's keys are looked up: a JSON object, message attributes…
package protocol PatternDocument {
    associatedtype Child: PatternDocument
    /// The leaf values under `key`, or `nil` when the key is absent (or holds only objects).
    func values(at key: String) -> [PatternValue]?
    /// The objects under `key`, for nested patterns.
    func objects(at key: String) -> [Child]
}

extension EventPattern {
    static func matches(_ node: Node, document: some PatternDocument) -> Bool {
        for (key, matchers) in node.leaves where !leafMatches(matchers, values: document.values(at: key)) {
            return false
        }
        for (key, child) in node.children where !document.objects(at: key).contains(where: { matches(child, document: $0) }) {
            return false
        }
        for group in node.alternatives where !group.contains(where: { matches($0, document: document) }) {
            return false
        }
        return true
    }

    /// `values` is `nil` when the key is absent; a key matches when any matcher matches any of its values.
    static func leafMatches(_ matchers: [Matcher], values: [PatternValue]?) -> Bool {
        guard let values else { return matchers.contains(.exists(false)) }
        return matchers.contains { matcher in
            if case .exists(let flag) = matcher { return flag }
            return values.contains { matcher.matches($0) }
        }
    }
}

extension EventPattern.Matcher {
    /// Whether one present value satisfies this condition.
    func matches(_ value: PatternValue) -> Bool {
        switch self {
        case .exactString(let expected):
            if case .string(let text) = value { return text == expected }
            return false
        case .exactNumber(let expected):
            if case .number(let number) = value { return Self.same(number, expected) }
            return false
        case .exactBool(let expected):
            if case .bool(let flag) = value { return flag == expected }
            return false
        case .exactNull:
            return value == .null
        case .prefix(let prefix):
            if case .string(let text) = value { return text.hasPrefix(prefix) }
            return false
        case .suffix(let suffix):
            if case .string(let text) = value { return text.hasSuffix(suffix) }
            return false
        case .equalsIgnoreCase(let expected):
            if case .string(let text) = value { return text.lowercased() == expected.lowercased() }
            return false
        case .anythingBut(let strings, let numbers):
            switch value {
            case .string(let text): return !strings.contains(text)
            case .number(let number): return !numbers.contains { Self.same($0, number) }
            case .bool, .null: return true
            }
        case .anythingButPrefix(let prefix):
            if case .string(let text) = value { return !text.hasPrefix(prefix) }
            return false
        case .anythingButSuffix(let suffix):
            if case .string(let text) = value { return !text.hasSuffix(suffix) }
            return false
        case .anythingButEqualsIgnoreCase(let texts):
            if case .string(let text) = value { return !texts.contains { $0.lowercased() == text.lowercased() } }
            return false
        case .numeric(let bounds):
            guard case .number(let number) = value else { return false }
            return bounds.allSatisfy { bound in
                switch bound.op {
                case "=": Self.same(number, bound.value)
                case "<": number < bound.value && !Self.same(number, bound.value)
                case "<=": number <= bound.value || Self.same(number, bound.value)
                case ">": number > bound.value && !Self.same(number, bound.value)
                default: number >= bound.value || Self.same(number, bound.value)
                }
            }
        case .exists(let flag):
            return flag
        }
    }

    /// AWS compares numbers to five decimal places.
    static func same(_ a: Double, _ b: Double) -> Bool {
        (a * 100_000).rounded() == (b * 100_000).rounded()
    }
}
