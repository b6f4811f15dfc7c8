import NimbusWire

/// A value a filter policy key is compared with: a string, a number, or (message body only) a boolean or null.
package enum FilterValue: Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
}

extension FilterPolicy {
    /// Whether a message with `attributes` and `body` passes this policy, in its scope.
    /// A body that is not a JSON object never passes a `MessageBody` policy.
    package func matches(attributes: [String: MessageAttribute], body: String) -> Bool {
        switch scope {
        case .messageAttributes:
            return Self.matches(root, document: AttributeDocument(attributes: attributes))
        case .messageBody:
            guard let parsed = try? JSONParser.parse(Array(body.utf8)), case .object(let members) = parsed else { return false }
            return Self.matches(root, document: BodyDocument(members: members))
        }
    }

    static func matches(_ node: Node, document: some FilterDocument) -> Bool {
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
    static func leafMatches(_ matchers: [Matcher], values: [FilterValue]?) -> Bool {
        guard let values else { return matchers.contains(.exists(false)) }
        return matchers.contains { matcher in
            if case .exists(let flag) = matcher { return flag }
            return values.contains { matcher.matches($0) }
        }
    }
}

extension FilterPolicy.Matcher {
    /// Whether one present value satisfies this condition.
    func matches(_ value: FilterValue) -> Bool {
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

/// Where a policy's keys are looked up: message attributes, or (nested) message body objects.
protocol FilterDocument {
    associatedtype Child: FilterDocument
    /// The leaf values under `key`, or `nil` when the key is absent.
    func values(at key: String) -> [FilterValue]?
    /// The objects under `key`, for nested policies.
    func objects(at key: String) -> [Child]
}

/// Message attributes: `String` is a string, `Number` a number, `String.Array` each element; `Binary` is present without a value.
struct AttributeDocument: FilterDocument {
    var attributes: [String: MessageAttribute]

    func values(at key: String) -> [FilterValue]? {
        guard let attribute = attributes[key] else { return nil }
        return attribute.filterValues
    }

    func objects(at key: String) -> [AttributeDocument] { [] }
}

/// A JSON object of the message body; arrays count as each of their elements.
struct BodyDocument: FilterDocument {
    var members: [String: JSONValue]

    func values(at key: String) -> [FilterValue]? {
        guard let value = members[key] else { return nil }
        var result: [FilterValue] = []
        var sawLeaf = false
        func collect(_ value: JSONValue) {
            switch value {
            case .string(let text):
                result.append(.string(text))
                sawLeaf = true
            case .number(let text):
                if let number = Double(text) { result.append(.number(number)) }
                sawLeaf = true
            case .bool(let flag):
                result.append(.bool(flag))
                sawLeaf = true
            case .null:
                result.append(.null)
                sawLeaf = true
            case .array(let elements):
                sawLeaf = true
                elements.forEach(collect)
            case .object:
                break
            }
        }
        collect(value)
        return sawLeaf ? result : nil
    }

    func objects(at key: String) -> [BodyDocument] {
        switch members[key] ?? .null {
        case .object(let inner): [BodyDocument(members: inner)]
        case .array(let elements):
            elements.compactMap { element in
                if case .object(let inner) = element { return BodyDocument(members: inner) }
                return nil
            }
        default: []
        }
    }
}
