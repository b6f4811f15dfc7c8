/// AWS query-protocol parameters (`Action=…&Tags.member.1.Key=…`) → `WireValue`, guided by shapes.
///
/// Lists are `Name.member.N` (or `Name.N` when flattened), maps `Name.entry.N.key`/`.value`
/// (or `Name.N.key` when flattened); N counts from 1.
/// See https://smithy.io/2.0/aws/protocols/aws-query-protocol.html
struct QueryShapeReader {
    let model: ServiceModel
    private let parameters: [String: String]
    /// Every dotted prefix of every parameter name, to tell whether a member is present at all.
    private let prefixes: Set<Substring>

    init(model: ServiceModel, parameters: [(name: String, value: String)]) {
        self.model = model
        var map: [String: String] = [:]
        var prefixes = Set<Substring>()
        for parameter in parameters {
            map[parameter.name] = parameter.value
            var name = Substring(parameter.name)
            prefixes.insert(name)
            while let dot = name.lastIndex(of: ".") {
                name = name[..<dot]
                prefixes.insert(name)
            }
        }
        self.parameters = map
        self.prefixes = prefixes
    }

    func readInput(shape name: String) throws(WireError) -> WireValue {
        let shape = try model.shape(named: name)
        return try readStructure(shape, prefix: "", path: "")
    }

    private func key(_ prefix: String, _ name: String) -> String {
        prefix.isEmpty ? name : prefix + "." + name
    }

    private func readStructure(_ shape: Shape, prefix: String, path: String) throws(WireError) -> WireValue {
        var result: [String: WireValue] = [:]
        for (name, reference) in shape.members ?? [:] {
            let memberKey = key(prefix, reference.queryName ?? reference.locationName ?? name)
            guard prefixes.contains(Substring(memberKey)) else { continue }
            let memberShape = try model.shape(named: reference.shape)
            result[name] = try read(memberShape, reference: reference, key: memberKey, path: ShapeScalars.join(path, name))
        }
        try ShapeScalars.checkRequired(shape, result, path: path)
        return .object(result)
    }

    private func read(_ shape: Shape, reference: ShapeReference?, key memberKey: String, path: String) throws(WireError) -> WireValue {
        switch shape.type {
        case .structure:
            return try readStructure(shape, prefix: memberKey, path: path)
        case .list:
            guard let member = shape.member else { return .list([]) }
            let memberShape = try model.shape(named: member.shape)
            let flattened = reference?.flattened == true || shape.flattened == true
            let base = flattened ? memberKey : key(memberKey, member.locationName ?? "member")
            var result: [WireValue] = []
            var index = 1
            while prefixes.contains(Substring("\(base).\(index)")) {
                result.append(try read(memberShape, reference: member, key: "\(base).\(index)", path: "\(path)[\(index)]"))
                index += 1
            }
            return .list(result)
        case .map:
            guard let keyReference = shape.key, let valueReference = shape.value else { return .object([:]) }
            let valueShape = try model.shape(named: valueReference.shape)
            let flattened = reference?.flattened == true || shape.flattened == true
            let base = flattened ? memberKey : key(memberKey, "entry")
            let keyName = keyReference.queryName ?? keyReference.locationName ?? "key"
            let valueName = valueReference.queryName ?? valueReference.locationName ?? "value"
            var result: [String: WireValue] = [:]
            var index = 1
            while prefixes.contains(Substring("\(base).\(index)")) {
                guard let entryKey = parameters["\(base).\(index).\(keyName)"] else {
                    throw WireError(.invalidValue, "Map entry \(base).\(index) at '\(path)' has no \(keyName)")
                }
                let valueKey = "\(base).\(index).\(valueName)"
                if prefixes.contains(Substring(valueKey)) {
                    result[entryKey] = try read(valueShape, reference: valueReference, key: valueKey, path: "\(path).\(entryKey)")
                }
                index += 1
            }
            return .object(result)
        default:
            guard let text = parameters[memberKey] else {
                throw WireError(.invalidValue, "Value at '\(path)' must be a \(shape.type.rawValue), not a nested parameter")
            }
            return try ShapeScalars.parse(text, shape: shape, format: reference?.timestampFormat, path: path)
        }
    }
}
