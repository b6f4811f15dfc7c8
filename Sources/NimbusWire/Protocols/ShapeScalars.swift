/// Conversions between scalar shapes and text, shared by the query, XML, header and URI codecs.
enum ShapeScalars {
    /// The value of `text` for a scalar `shape`, e.g. `"42"` → `.integer(42)`.
    /// - Throws: `WireError(.invalidValue)` naming `path` when the text does not fit the shape.
    static func parse(_ text: String, shape: Shape, format: String?, path: String) throws(WireError) -> WireValue {
        switch shape.type {
        case .string, .bigdecimal, .biginteger:
            return .string(text)
        case .integer, .long, .byte, .short:
            guard let value = Int64(text.trimming(" ")) else { throw invalid(path, text, "an integer") }
            if shape.type != .long, Int32(exactly: value) == nil { throw invalid(path, text, "a 32-bit integer") }
            return .integer(value)
        case .float, .double:
            switch text {
            case "NaN": return .double(.nan)
            case "Infinity": return .double(.infinity)
            case "-Infinity": return .double(-.infinity)
            default:
                guard let value = Double(text.trimming(" ")), value.isFinite else { throw invalid(path, text, "a number") }
                return .double(value)
            }
        case .boolean:
            switch text.lowercased() {
            case "true": return .boolean(true)
            case "false": return .boolean(false)
            default: throw invalid(path, text, "true or false")
            }
        case .blob:
            guard let bytes = Base64.decode(text) else { throw invalid(path, text, "base64") }
            return .blob(bytes)
        case .timestamp:
            guard let seconds = Timestamp.parse(text, preferred: format ?? shape.timestampFormat) else {
                throw invalid(path, text, "a timestamp")
            }
            return .timestamp(seconds)
        case .structure, .list, .map:
            throw WireError(.invalidValue, "Value at '\(path)' must be a \(shape.type.rawValue), not text")
        }
    }

    /// The text form of a scalar value, timestamps in `format` (default ISO 8601).
    static func text(_ value: WireValue, format: String?) -> String {
        switch value {
        case .boolean(let flag): flag ? "true" : "false"
        case .integer(let number): String(number)
        case .double(let number): formatDouble(number)
        case .string(let text): text
        case .blob(let bytes): Base64.encode(bytes)
        case .timestamp(let seconds):
            switch format {
            case "rfc822": Timestamp.httpDate(seconds)
            case "unixTimestamp": formatDouble(seconds)
            default: Timestamp.iso8601(seconds)
            }
        case .list, .object, .document: ""
        }
    }

    static func formatDouble(_ number: Double) -> String {
        if number.isNaN { return "NaN" }
        if number.isInfinite { return number > 0 ? "Infinity" : "-Infinity" }
        if number == number.rounded(), abs(number) < 1e15 { return String(Int64(number)) }
        return String(number)
    }

    static func invalid(_ path: String, _ text: String, _ expected: String) -> WireError {
        WireError(.invalidValue, "Value '\(text.prefix(64))' at '\(path)' is not \(expected)")
    }

    /// AWS's message for a missing required member.
    static func missing(_ path: String) -> WireError {
        WireError(.missingMember, "1 validation error detected: Value null at '\(path)' failed to satisfy constraint: Member must not be null")
    }

    /// `ParentMember` → `parentMember`, as AWS names members in validation messages.
    static func pathElement(_ member: String) -> String {
        // Model member names are ASCII: lower-case the first byte without Unicode case mapping.
        if let first = member.utf8.first, first < 0x80 {
            guard (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(first) else { return member }
            var bytes = Array(member.utf8)
            bytes[0] = first + 0x20
            return String(decoding: bytes, as: UTF8.self)
        }
        guard let first = member.first else { return member }
        return first.lowercased() + member.dropFirst()
    }

    static func join(_ path: String, _ member: String) -> String {
        path.isEmpty ? pathElement(member) : path + "." + pathElement(member)
    }

    /// Throws for the first required member of `shape` that `members` lacks.
    /// The path is built only when a member is missing.
    static func checkRequired(_ shape: Shape, _ members: [String: WireValue], path: @autoclosure () -> String) throws(WireError) {
        for name in shape.required ?? [] where members[name] == nil {
            throw missing(join(path(), name))
        }
    }
}
