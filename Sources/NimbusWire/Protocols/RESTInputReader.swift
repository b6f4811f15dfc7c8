import HTTPTypes

/// restJson1 / restXml requests → `WireValue`: members bound to the URI, query string,
/// headers and payload, the rest from the JSON or XML body.
struct RESTInputReader {
    let routed: RoutedOperation
    let request: AWSRequest

    private var model: ServiceModel { routed.model }

    func read(shape name: String) throws(WireError) -> WireValue {
        let shape = try model.shape(named: name)
        let plan: RESTInputBindings
        if let bound = routed.inputBindings { plan = bound } else { plan = try RESTInputBindings(shape: shape, model: model) }
        var result: [String: WireValue] = [:]
        let query = request.queryItems
        for binding in plan.bindings {
            switch binding.source {
            case .uri:
                if let text = routed.uriLabels[binding.wireName] {
                    result[binding.member] = try ShapeScalars.parse(
                        text,
                        shape: binding.shape,
                        format: binding.reference.timestampFormat,
                        path: binding.path
                    )
                }
            case .query:
                result[binding.member] = try readQuery(query, binding: binding, bound: plan.boundQueryNames)
            case .header(let field):
                if let text = request.header(field) {
                    result[binding.member] = try readHeader(text, shape: binding.shape, reference: binding.reference, path: binding.path)
                }
            case .headerPrefix(let prefix):
                var entries: [String: WireValue] = [:]
                for field in request.headers where field.name.canonicalName.hasPrefix(prefix) {
                    entries[String(field.name.canonicalName.dropFirst(prefix.count))] = .string(field.value)
                }
                if !entries.isEmpty { result[binding.member] = .object(entries) }
            }
        }
        if let payload = shape.payload, let reference = shape.members?[payload] {
            let payloadShape = try model.shape(named: reference.shape)
            if !request.body.isEmpty {
                switch payloadShape.type {
                case .blob: result[payload] = .blob(request.body)
                case .string:
                    guard let text = String(validating: request.body, as: UTF8.self) else { throw WireError(.malformedBody, "The body is not UTF-8") }
                    result[payload] = .string(text)
                default:
                    result[payload] = try readBody(shape: payloadShape, path: ShapeScalars.pathElement(payload))
                }
            }
        } else if !request.body.isEmpty, case .object(let members) = try readBody(shape: shape, path: "", checkRequired: false) {
            result.merge(members) { bound, _ in bound }
        }
        try ShapeScalars.checkRequired(shape, result, path: "")
        return .object(result)
    }

    private func readBody(shape: Shape, path: String, checkRequired: Bool = true) throws(WireError) -> WireValue {
        if routed.protocol == .restXml {
            let root = try XMLDocumentParser.parse(request.body)
            guard checkRequired else { return try XMLShapeCodec(model: model).read(root, shape: withoutRequired(shape), path: path) }
            return try XMLShapeCodec(model: model).read(root, shape: shape, path: path)
        }
        let json = try JSONParser.parse(request.body)
        let codec = JSONShapeCodec(model: model)
        return try codec.read(json, shape: checkRequired ? shape : withoutRequired(shape), reference: nil, path: path)
    }

    /// The shape with only its body members and no required list, for reading the body of a
    /// shape whose other members come from the URI and headers (checked afterwards).
    private func withoutRequired(_ shape: Shape) -> Shape {
        Shape(stripping: shape)
    }

    private func readQuery(
        _ query: [(name: String, value: String)],
        binding: RESTInputBindings.Binding,
        bound: Set<String>
    ) throws(WireError) -> WireValue? {
        let (name, shape, reference, path) = (binding.wireName, binding.shape, binding.reference, binding.path)
        switch shape.type {
        case .map:
            // A map bound to the query string takes every parameter no other member claims.
            var entries: [String: WireValue] = [:]
            let valueShape = try shape.value.map { (value) throws(WireError) in try model.shape(named: value.shape) }
            for item in query where !bound.contains(item.name) {
                if valueShape?.type == .list {
                    if case .list(var values) = entries[item.name] ?? .list([]) {
                        values.append(.string(item.value))
                        entries[item.name] = .list(values)
                    }
                } else {
                    entries[item.name] = .string(item.value)
                }
            }
            return entries.isEmpty ? nil : .object(entries)
        case .list:
            let values = query.filter { $0.name == name }
            guard !values.isEmpty, let member = shape.member else { return nil }
            let memberShape = try model.shape(named: member.shape)
            var result: [WireValue] = []
            for value in values {
                result.append(try ShapeScalars.parse(value.value, shape: memberShape, format: member.timestampFormat, path: path))
            }
            return .list(result)
        default:
            guard let item = query.first(where: { $0.name == name }) else { return nil }
            return try ShapeScalars.parse(item.value, shape: shape, format: reference.timestampFormat, path: path)
        }
    }

    private func readHeader(_ text: String, shape: Shape, reference: ShapeReference, path: String) throws(WireError) -> WireValue {
        switch shape.type {
        case .list:
            guard let member = shape.member else { return .list([]) }
            let memberShape = try model.shape(named: member.shape)
            var result: [WireValue] = []
            for part in text.split(separator: ",") {
                result.append(try ShapeScalars.parse(part.trimming(" "), shape: memberShape, format: nil, path: path))
            }
            return .list(result)
        case .string where reference.jsonvalue == true:
            guard let bytes = Base64.decode(text), let json = String(validating: bytes, as: UTF8.self) else {
                throw ShapeScalars.invalid(path, text, "base64-encoded JSON")
            }
            return .string(json)
        case .timestamp:
            return try ShapeScalars.parse(text, shape: shape, format: reference.timestampFormat ?? "rfc822", path: path)
        default:
            return try ShapeScalars.parse(text, shape: shape, format: reference.timestampFormat, path: path)
        }
    }
}
