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

    /// The number as an integer, or `nil` when the value is not an integral number that fits.
    package var intValue: Int? {
        if case .number(let text) = self { return Int(text) }
        return nil
    }

    /// The string, or `nil` when the value is not a string.
    package var stringValue: String? {
        if case .string(let text) = self { return text }
        return nil
    }

    /// The Boolean, or `nil` when the value is not `true` or `false`.
    package var boolValue: Bool? {
        if case .bool(let flag) = self { return flag }
        return nil
    }

    /// The object's members, or `nil` when the value is not an object.
    package var objectValue: [String: JSONValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The array's elements, or `nil` when the value is not an array.
    package var arrayValue: [JSONValue]? {
        if case .array(let elements) = self { return elements }
        return nil
    }
}
