package import NimbusWire

/// A JSON object as a pattern sees it: arrays count as each of their elements, nested objects
/// are reached through nested patterns.
package struct JSONDocument: PatternDocument {
    package var members: [String: JSONValue]

    package init(members: [String: JSONValue]) {
        self.members = members
    }

    package func values(at key: String) -> [PatternValue]? {
        guard let value = members[key] else { return nil }
        var result: [PatternValue] = []
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

    package func objects(at key: String) -> [JSONDocument] {
        switch members[key] ?? .null {
        case .object(let inner): [JSONDocument(members: inner)]
        case .array(let elements):
            elements.compactMap { element in
                if case .object(let inner) = element { return JSONDocument(members: inner) }
                return nil
            }
        default: []
        }
    }
}
