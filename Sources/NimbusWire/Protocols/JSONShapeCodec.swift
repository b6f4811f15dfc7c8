/// JSON bodies ⇄ `WireValue`, guided by shapes (awsJson 1.0/1.1 and restJson1 bodies).
///
/// Blobs are base64 strings, timestamps epoch seconds unless the model says otherwise,
/// `null` members count as absent, and unknown members are ignored as AWS does.
struct JSONShapeCodec {
    let model: ServiceModel

    func read(_ json: JSONValue, shape name: String, path: String) throws(WireError) -> WireValue {
        try read(json, shape: try model.shape(named: name), reference: nil, path: path)
    }

    /// The value of `json` for `shape`. The path names the value in error messages only, so it
    /// is built when an error needs it, not for every member read.
    func read(_ json: JSONValue, shape: Shape, reference: ShapeReference?, path: @autoclosure () -> String) throws(WireError) -> WireValue {
        func label() -> String {
            let path = path()
            return path.isEmpty ? "the request body" : path
        }
        switch shape.type {
        case .structure:
            if shape.document == true { return .document(json) }
            guard case .object(let members) = json else { throw WireError(.invalidValue, "Value at '\(label())' must be an object") }
            var result: [String: WireValue] = [:]
            for (name, memberReference) in shape.members ?? [:] {
                let key = memberReference.locationName ?? name
                guard let value = members[key], value != .null else { continue }
                let memberShape = try model.shape(named: memberReference.shape)
                result[name] = try read(value, shape: memberShape, reference: memberReference, path: ShapeScalars.join(path(), name))
            }
            try ShapeScalars.checkRequired(shape, result, path: path())
            return .object(result)
        case .list:
            guard case .array(let elements) = json, let member = shape.member else {
                throw WireError(.invalidValue, "Value at '\(label())' must be a list")
            }
            let memberShape = try model.shape(named: member.shape)
            var result: [WireValue] = []
            result.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() where element != .null {
                result.append(try read(element, shape: memberShape, reference: member, path: "\(path())[\(index + 1)]"))
            }
            return .list(result)
        case .map:
            guard case .object(let entries) = json, let value = shape.value else {
                throw WireError(.invalidValue, "Value at '\(label())' must be a map")
            }
            let valueShape = try model.shape(named: value.shape)
            var result: [String: WireValue] = [:]
            for (key, entry) in entries where entry != .null {
                result[key] = try read(entry, shape: valueShape, reference: value, path: "\(path()).\(key)")
            }
            return .object(result)
        case .string, .bigdecimal, .biginteger:
            guard case .string(let text) = json else { throw WireError(.invalidValue, "Value at '\(label())' must be a string") }
            return .string(text)
        case .boolean:
            guard case .bool(let flag) = json else { throw WireError(.invalidValue, "Value at '\(label())' must be a boolean") }
            return .boolean(flag)
        case .integer, .long, .byte, .short:
            guard case .number(let text) = json, let value = Int64(text) ?? Double(text).flatMap({ Int64(exactly: $0) }) else {
                throw WireError(.invalidValue, "Value at '\(label())' must be an integer")
            }
            if shape.type != .long, Int32(exactly: value) == nil {
                throw WireError(.invalidValue, "Value at '\(label())' does not fit in a 32-bit integer")
            }
            return .integer(value)
        case .float, .double:
            switch json {
            case .number(let text): return .double(Double(text) ?? .nan)
            case .string(let text): return try ShapeScalars.parse(text, shape: shape, format: nil, path: label())
            default: throw WireError(.invalidValue, "Value at '\(label())' must be a number")
            }
        case .blob:
            guard case .string(let text) = json, let bytes = Base64.decode(text) else {
                throw WireError(.invalidValue, "Value at '\(label())' must be a base64 string")
            }
            return .blob(bytes)
        case .timestamp:
            switch json {
            case .number(let text):
                guard let seconds = Double(text) else { throw WireError(.invalidValue, "Value at '\(label())' is not a timestamp") }
                return .timestamp(seconds)
            case .string(let text):
                return try ShapeScalars.parse(text, shape: shape, format: reference?.timestampFormat, path: label())
            default:
                throw WireError(.invalidValue, "Value at '\(label())' must be a timestamp")
            }
        }
    }

    /// The JSON text of `value` for the shape named `name`.
    func write(_ value: WireValue, shape name: String) throws(WireError) -> [UInt8] {
        try write(value, shape: try model.shape(named: name), reference: nil)
    }

    /// The JSON text of `value` for `shape`.
    func write(_ value: WireValue, shape: Shape, reference: ShapeReference?) throws(WireError) -> [UInt8] {
        var writer = JSONWriter()
        try write(value, shape: shape, reference: reference, into: &writer)
        return writer.bytes
    }

    /// Writes `value` straight into `writer`, with no intermediate `JSONValue`. Members and map
    /// entries come in key order, as `JSONWriter` writes objects, so equal values give equal text.
    func write(_ value: WireValue, shape: Shape, reference: ShapeReference?, into writer: inout JSONWriter) throws(WireError) {
        switch (shape.type, value) {
        case (_, .document(let json)):
            writer.write(json)
        case (.structure, .object(let members)):
            var present: [(key: String, value: WireValue, reference: ShapeReference)] = []
            present.reserveCapacity(members.count)
            for (name, member) in members {
                guard let memberReference = shape.members?[name], memberReference.location == nil else { continue }
                present.append((memberReference.locationName ?? name, member, memberReference))
            }
            present.sort { $0.key < $1.key }
            writer.openObject()
            for (position, member) in present.enumerated() {
                writer.writeKey(member.key, first: position == 0)
                try write(member.value, shape: try model.shape(named: member.reference.shape), reference: member.reference, into: &writer)
            }
            writer.closeObject()
        case (.list, .list(let elements)):
            writer.openArray()
            if let member = shape.member {
                let memberShape = try model.shape(named: member.shape)
                for (position, element) in elements.enumerated() {
                    if position > 0 { writer.writeSeparator() }
                    try write(element, shape: memberShape, reference: member, into: &writer)
                }
            }
            writer.closeArray()
        case (.map, .object(let entries)):
            writer.openObject()
            if let valueReference = shape.value {
                let valueShape = try model.shape(named: valueReference.shape)
                for (position, entry) in entries.sorted(by: { $0.key < $1.key }).enumerated() {
                    writer.writeKey(entry.key, first: position == 0)
                    try write(entry.value, shape: valueShape, reference: valueReference, into: &writer)
                }
            }
            writer.closeObject()
        case (_, .string(let text)): writer.writeString(text)
        case (_, .boolean(let flag)): writer.write(.bool(flag))
        case (_, .integer(let number)): writer.write(.number(String(number)))
        case (_, .double(let number)):
            let text = ShapeScalars.formatDouble(number)
            if number.isFinite { writer.write(.number(text)) } else { writer.writeString(text) }
        case (_, .blob(let bytes)): writer.writeString(Base64.encode(bytes))
        case (_, .timestamp(let seconds)):
            let format = reference?.timestampFormat ?? shape.timestampFormat
            if format == nil || format == "unixTimestamp" {
                writer.write(.number(ShapeScalars.formatDouble(seconds)))
            } else {
                writer.writeString(ShapeScalars.text(value, format: format))
            }
        default:
            throw WireError(.modelInconsistent, "a \(shape.type.rawValue) shape cannot hold \(value)")
        }
    }
}
