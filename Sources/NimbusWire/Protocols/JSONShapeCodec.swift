/// JSON bodies ⇄ `WireValue`, guided by shapes (awsJson 1.0/1.1 and restJson1 bodies).
///
/// Blobs are base64 strings, timestamps epoch seconds unless the model says otherwise,
/// `null` members count as absent, and unknown members are ignored as AWS does.
struct JSONShapeCodec {
    let model: ServiceModel

    func read(_ json: JSONValue, shape name: String, path: String) throws(WireError) -> WireValue {
        try read(json, shape: try model.shape(named: name), reference: nil, path: path)
    }

    func read(_ json: JSONValue, shape: Shape, reference: ShapeReference?, path: String) throws(WireError) -> WireValue {
        let label = path.isEmpty ? "the request body" : path
        switch shape.type {
        case .structure:
            if shape.document == true { return .document(json) }
            guard case .object(let members) = json else { throw WireError(.invalidValue, "Value at '\(label)' must be an object") }
            var result: [String: WireValue] = [:]
            for (name, memberReference) in shape.members ?? [:] {
                let key = memberReference.locationName ?? name
                guard let value = members[key], value != .null else { continue }
                let memberShape = try model.shape(named: memberReference.shape)
                result[name] = try read(value, shape: memberShape, reference: memberReference, path: ShapeScalars.join(path, name))
            }
            try ShapeScalars.checkRequired(shape, result, path: path)
            return .object(result)
        case .list:
            guard case .array(let elements) = json, let member = shape.member else {
                throw WireError(.invalidValue, "Value at '\(label)' must be a list")
            }
            let memberShape = try model.shape(named: member.shape)
            var result: [WireValue] = []
            result.reserveCapacity(elements.count)
            for (index, element) in elements.enumerated() where element != .null {
                result.append(try read(element, shape: memberShape, reference: member, path: "\(path)[\(index + 1)]"))
            }
            return .list(result)
        case .map:
            guard case .object(let entries) = json, let value = shape.value else {
                throw WireError(.invalidValue, "Value at '\(label)' must be a map")
            }
            let valueShape = try model.shape(named: value.shape)
            var result: [String: WireValue] = [:]
            for (key, entry) in entries where entry != .null {
                result[key] = try read(entry, shape: valueShape, reference: value, path: "\(path).\(key)")
            }
            return .object(result)
        case .string, .bigdecimal, .biginteger:
            guard case .string(let text) = json else { throw WireError(.invalidValue, "Value at '\(label)' must be a string") }
            return .string(text)
        case .boolean:
            guard case .bool(let flag) = json else { throw WireError(.invalidValue, "Value at '\(label)' must be a boolean") }
            return .boolean(flag)
        case .integer, .long, .byte, .short:
            guard case .number(let text) = json, let value = Int64(text) ?? Double(text).flatMap({ Int64(exactly: $0) }) else {
                throw WireError(.invalidValue, "Value at '\(label)' must be an integer")
            }
            if shape.type != .long, Int32(exactly: value) == nil {
                throw WireError(.invalidValue, "Value at '\(label)' does not fit in a 32-bit integer")
            }
            return .integer(value)
        case .float, .double:
            switch json {
            case .number(let text): return .double(Double(text) ?? .nan)
            case .string(let text): return try ShapeScalars.parse(text, shape: shape, format: nil, path: label)
            default: throw WireError(.invalidValue, "Value at '\(label)' must be a number")
            }
        case .blob:
            guard case .string(let text) = json, let bytes = Base64.decode(text) else {
                throw WireError(.invalidValue, "Value at '\(label)' must be a base64 string")
            }
            return .blob(bytes)
        case .timestamp:
            switch json {
            case .number(let text):
                guard let seconds = Double(text) else { throw WireError(.invalidValue, "Value at '\(label)' is not a timestamp") }
                return .timestamp(seconds)
            case .string(let text):
                return try ShapeScalars.parse(text, shape: shape, format: reference?.timestampFormat, path: label)
            default:
                throw WireError(.invalidValue, "Value at '\(label)' must be a timestamp")
            }
        }
    }

    func write(_ value: WireValue, shape name: String) throws(WireError) -> JSONValue {
        try write(value, shape: try model.shape(named: name), reference: nil)
    }

    func write(_ value: WireValue, shape: Shape, reference: ShapeReference?) throws(WireError) -> JSONValue {
        switch (shape.type, value) {
        case (_, .document(let json)):
            return json
        case (.structure, .object(let members)):
            var result: [String: JSONValue] = [:]
            for (name, memberReference) in shape.members ?? [:] {
                guard let member = members[name], memberReference.location == nil else { continue }
                result[memberReference.locationName ?? name] = try write(
                    member,
                    shape: try model.shape(named: memberReference.shape),
                    reference: memberReference
                )
            }
            return .object(result)
        case (.list, .list(let elements)):
            guard let member = shape.member else { return .array([]) }
            let memberShape = try model.shape(named: member.shape)
            var result: [JSONValue] = []
            for element in elements { result.append(try write(element, shape: memberShape, reference: member)) }
            return .array(result)
        case (.map, .object(let entries)):
            guard let valueReference = shape.value else { return .object([:]) }
            let valueShape = try model.shape(named: valueReference.shape)
            var result: [String: JSONValue] = [:]
            for (key, entry) in entries { result[key] = try write(entry, shape: valueShape, reference: valueReference) }
            return .object(result)
        case (_, .string(let text)): return .string(text)
        case (_, .boolean(let flag)): return .bool(flag)
        case (_, .integer(let number)): return .number(String(number))
        case (_, .double(let number)):
            return number.isFinite ? .number(ShapeScalars.formatDouble(number)) : .string(ShapeScalars.formatDouble(number))
        case (_, .blob(let bytes)): return .string(Base64.encode(bytes))
        case (_, .timestamp(let seconds)):
            let format = reference?.timestampFormat ?? shape.timestampFormat
            if format == nil || format == "unixTimestamp" { return .number(ShapeScalars.formatDouble(seconds)) }
            return .string(ShapeScalars.text(value, format: format))
        default:
            throw WireError(.modelInconsistent, "a \(shape.type.rawValue) shape cannot hold \(value)")
        }
    }
}
