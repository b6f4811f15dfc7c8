import NimbusEventPatterns
import NimbusWire

extension FilterPolicy {
    /// Whether a message with `attributes` and `body` passes this policy, in its scope.
    /// A body that is not a JSON object never passes a `MessageBody` policy.
    package func matches(attributes: [String: MessageAttribute], body: String) -> Bool {
        switch scope {
        case .messageAttributes:
            return pattern.matches(AttributeDocument(attributes: attributes))
        case .messageBody:
            guard let parsed = try? JSONParser.parse(Array(body.utf8)), case .object(let members) = parsed else { return false }
            return pattern.matches(JSONDocument(members: members))
        }
    }
}

/// Message attributes: `String` is a string, `Number` a number, `String.Array` each element; `Binary` is present without a value.
struct AttributeDocument: PatternDocument {
    var attributes: [String: MessageAttribute]

    func values(at key: String) -> [PatternValue]? {
        guard let attribute = attributes[key] else { return nil }
        return attribute.filterValues
    }

    func objects(at key: String) -> [AttributeDocument] { [] }
}
