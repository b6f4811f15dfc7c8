/// XML ⇄ `WireValue`, guided by shapes: restXml bodies and query-protocol responses.
///
/// Lists are wrapped in `<member>` elements (or the member's `locationName`) unless
/// flattened; maps are `<entry><key/><value/></entry>`; timestamps are ISO 8601.
struct XMLShapeCodec {
    let model: ServiceModel

    // MARK: Reading

    func read(_ element: XMLElement, shape: Shape, path: String) throws(WireError) -> WireValue {
        switch shape.type {
        case .structure:
            var result: [String: WireValue] = [:]
            for (name, reference) in shape.members ?? [:] where reference.location == nil {
                let memberShape = try model.shape(named: reference.shape)
                let memberPath = ShapeScalars.join(path, name)
                if reference.xmlAttribute == true {
                    if let text = element.attributes[reference.locationName ?? name] {
                        result[name] = try ShapeScalars.parse(text, shape: memberShape, format: reference.timestampFormat, path: memberPath)
                    }
                    continue
                }
                let flattened = reference.flattened == true || memberShape.flattened == true
                if flattened, memberShape.type == .list || memberShape.type == .map {
                    let elementName = reference.locationName ?? memberShape.member?.locationName ?? name
                    let items = element.children(named: elementName)
                    if !items.isEmpty { result[name] = try readFlattened(items, shape: memberShape, path: memberPath) }
                } else if let child = element.child(named: reference.locationName ?? name) {
                    result[name] = try read(child, shape: memberShape, reference: reference, path: memberPath)
                }
            }
            try ShapeScalars.checkRequired(shape, result, path: path)
            return .object(result)
        default:
            return try read(element, shape: shape, reference: nil, path: path)
        }
    }

    private func read(_ element: XMLElement, shape: Shape, reference: ShapeReference?, path: String) throws(WireError) -> WireValue {
        switch shape.type {
        case .structure:
            return try read(element, shape: shape, path: path)
        case .list:
            guard let member = shape.member else { return .list([]) }
            let memberShape = try model.shape(named: member.shape)
            var result: [WireValue] = []
            for (index, child) in element.children(named: member.locationName ?? "member").enumerated() {
                result.append(try read(child, shape: memberShape, reference: member, path: "\(path)[\(index + 1)]"))
            }
            return .list(result)
        case .map:
            return try readEntries(element.children(named: "entry"), shape: shape, path: path)
        default:
            return try ShapeScalars.parse(element.text, shape: shape, format: reference?.timestampFormat, path: path)
        }
    }

    private func readFlattened(_ items: [XMLElement], shape: Shape, path: String) throws(WireError) -> WireValue {
        if shape.type == .map { return try readEntries(items, shape: shape, path: path) }
        guard let member = shape.member else { return .list([]) }
        let memberShape = try model.shape(named: member.shape)
        var result: [WireValue] = []
        for (index, item) in items.enumerated() {
            result.append(try read(item, shape: memberShape, reference: member, path: "\(path)[\(index + 1)]"))
        }
        return .list(result)
    }

    private func readEntries(_ entries: [XMLElement], shape: Shape, path: String) throws(WireError) -> WireValue {
        guard let keyReference = shape.key, let valueReference = shape.value else { return .object([:]) }
        let valueShape = try model.shape(named: valueReference.shape)
        var result: [String: WireValue] = [:]
        for entry in entries {
            guard let key = entry.child(named: keyReference.locationName ?? "key")?.text else {
                throw WireError(.invalidValue, "A map entry at '\(path)' has no key")
            }
            if let value = entry.child(named: valueReference.locationName ?? "value") {
                result[key] = try read(value, shape: valueShape, reference: valueReference, path: "\(path).\(key)")
            }
        }
        return .object(result)
    }

    // MARK: Writing

    /// Writes the body members of a structure as child elements (attributes are the caller's).
    func writeMembers(_ value: WireValue, shape: Shape, into writer: inout XMLWriter) throws(WireError) {
        guard case .object(let members) = value, let references = shape.members else { return }
        for name in references.keys.sorted() {
            guard let reference = references[name], reference.location == nil, reference.xmlAttribute != true,
                let member = members[name]
            else { continue }
            let memberShape = try model.shape(named: reference.shape)
            let elementName = reference.queryName ?? reference.locationName ?? name
            let flattened = reference.flattened == true || memberShape.flattened == true
            if flattened, case .list(let elements) = member, let itemReference = memberShape.member {
                let itemShape = try model.shape(named: itemReference.shape)
                for element in elements {
                    try write(element, name: elementName, shape: itemShape, reference: itemReference, into: &writer)
                }
            } else if flattened, memberShape.type == .map {
                try writeEntries(member, shape: memberShape, entryName: elementName, into: &writer)
            } else {
                try write(member, name: elementName, shape: memberShape, reference: reference, into: &writer)
            }
        }
    }

    /// Writes `value` as the element `name`, with the namespace and attribute members it carries.
    func write(_ value: WireValue, name: String, shape: Shape, reference: ShapeReference?, into writer: inout XMLWriter) throws(WireError) {
        var attributes: [(name: String, value: String)] = []
        if let namespace = reference?.xmlNamespace?.uri ?? shape.xmlNamespace?.uri {
            attributes.append((reference?.xmlNamespace?.prefix.map { "xmlns:\($0)" } ?? "xmlns", namespace))
        }
        if shape.type == .structure, case .object(let members) = value {
            for (memberName, memberReference) in (shape.members ?? [:]).sorted(by: { $0.key < $1.key })
            where memberReference.xmlAttribute == true {
                if let member = members[memberName] {
                    attributes.append(
                        (memberReference.locationName ?? memberName, ShapeScalars.text(member, format: memberReference.timestampFormat))
                    )
                }
            }
        }
        writer.open(name, attributes: attributes)
        switch (shape.type, value) {
        case (.structure, .object):
            try writeMembers(value, shape: shape, into: &writer)
        case (.list, .list(let elements)):
            if let member = shape.member {
                let memberShape = try model.shape(named: member.shape)
                for item in elements {
                    try write(item, name: member.locationName ?? "member", shape: memberShape, reference: member, into: &writer)
                }
            }
        case (.map, .object):
            try writeEntries(value, shape: shape, entryName: "entry", into: &writer)
        default:
            writer.text(ShapeScalars.text(value, format: reference?.timestampFormat ?? shape.timestampFormat))
        }
        writer.close(name)
    }

    private func writeEntries(_ value: WireValue, shape: Shape, entryName: String, into writer: inout XMLWriter) throws(WireError) {
        guard case .object(let entries) = value, let keyReference = shape.key, let valueReference = shape.value else { return }
        let valueShape = try model.shape(named: valueReference.shape)
        for key in entries.keys.sorted() {
            writer.open(entryName)
            writer.element(keyReference.queryName ?? keyReference.locationName ?? "key", text: key)
            let valueName = valueReference.queryName ?? valueReference.locationName ?? "value"
            try write(entries[key]!, name: valueName, shape: valueShape, reference: valueReference, into: &writer)
            writer.close(entryName)
        }
    }
}
