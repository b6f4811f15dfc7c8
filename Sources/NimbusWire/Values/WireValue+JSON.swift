/// A `WireValue` as self-describing JSON, for services that keep shapes in the store.
///
/// Integers and doubles stay apart (doubles always carry a `.` or an exponent); blobs,
/// timestamps and documents are tagged objects (`{"$blob": base64}`, `{"$timestamp": seconds}`,
/// `{"$document": …}`).
extension WireValue {
    package var storedJSON: [UInt8] { JSONWriter.encode(Self.json(self)) }

    package init(storedJSON bytes: [UInt8]) throws(WireError) {
        self = try Self.value(JSONParser.parse(bytes))
    }

    private static func json(_ value: WireValue) -> JSONValue {
        switch value {
        case .boolean(let flag): .bool(flag)
        case .integer(let number): .number(String(number))
        case .double(let number):
            number.isFinite
                ? .number(number == number.rounded() ? String(number) + (String(number).contains(".") ? "" : ".0") : String(number))
                : .object(["$double": .string(String(number))])
        case .string(let text): .string(text)
        case .blob(let bytes): .object(["$blob": .string(Base64.encode(bytes))])
        case .timestamp(let seconds): .object(["$timestamp": .number(String(seconds))])
        case .list(let elements): .array(elements.map(json))
        case .object(let members): .object(members.mapValues(json))
        case .document(let document): .object(["$document": document])
        }
    }

    private static func value(_ json: JSONValue) throws(WireError) -> WireValue {
        switch json {
        case .null: throw WireError(.invalidValue, "stored JSON holds a null")
        case .bool(let flag): return .boolean(flag)
        case .number(let text):
            if let integer = Int64(text) { return .integer(integer) }
            guard let number = Double(text) else { throw WireError(.invalidValue, "stored JSON number \(text) is not a number") }
            return .double(number)
        case .string(let text): return .string(text)
        case .array(let elements):
            var result: [WireValue] = []
            for element in elements { result.append(try value(element)) }
            return .list(result)
        case .object(let members):
            if members.count == 1, let (key, inner) = members.first, key.hasPrefix("$") {
                switch (key, inner) {
                case ("$blob", .string(let text)):
                    guard let bytes = Base64.decode(text) else { throw WireError(.invalidValue, "stored blob is not base64") }
                    return .blob(bytes)
                case ("$timestamp", .number(let text)): return .timestamp(Double(text) ?? 0)
                case ("$double", .string(let text)): return .double(Double(text) ?? .nan)
                case ("$document", let document): return .document(document)
                default: break
                }
            }
            var result: [String: WireValue] = [:]
            for (key, member) in members { result[key] = try value(member) }
            return .object(result)
        }
    }
}
