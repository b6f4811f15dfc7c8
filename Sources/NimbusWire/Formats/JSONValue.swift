/// A JSON document, with numbers kept as their source text so that 64-bit integers
/// survive exactly.
package enum JSONValue: Hashable, Sendable {
    case null
    case bool(Bool)
    /// A number's literal text, e.g. `"42"` or `"1.5e3"`.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

extension JSONValue {
    /// The number as a double, or `nil` when the value is not a number.
    package var doubleValue: Double? {
        if case .number(let text) = self { return Double(text) }
        return nil
    }
}
