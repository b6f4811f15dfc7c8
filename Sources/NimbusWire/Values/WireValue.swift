/// A value of an AWS shape, independent of the protocol it travelled in.
///
/// Protocol parsers turn request bytes into a `WireValue` guided by the operation's
/// input shape (so a query string `"5"` for an integer member becomes `.integer(5)`),
/// and serializers turn an output `WireValue` into the protocol's bytes.
package enum WireValue: Hashable, Sendable {
    case boolean(Bool)
    case integer(Int64)
    case double(Double)
    case string(String)
    case blob([UInt8])
    /// Seconds since 1970-01-01T00:00:00Z.
    case timestamp(Double)
    case list([WireValue])
    /// A structure (members by name) or a map (entries by key).
    case object([String: WireValue])
    /// A free-form JSON document (`document` shapes).
    case document(JSONValue)
}

extension WireValue {
    /// The members of an `.object`, or `nil`.
    package var objectValue: [String: WireValue]? {
        if case .object(let members) = self { return members }
        return nil
    }

    /// The member `name` of an `.object`, or `nil`.
    package subscript(member name: String) -> WireValue? {
        objectValue?[name]
    }
}
