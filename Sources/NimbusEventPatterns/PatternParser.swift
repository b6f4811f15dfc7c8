import NimbusWire

/// Turns pattern JSON into an `EventPattern.Node`, checking each rule of the syntax.
struct PatternParser {
    typealias Node = EventPattern.Node
    typealias Matcher = EventPattern.Matcher
    typealias NumericBound = EventPattern.NumericBound

    var rules: EventPattern.Rules

    func parse(_ text: String) throws(EventPatternError) -> Node {
        let json: JSONValue
        do {
            json = try JSONParser.parse(Array(text.utf8))
        } catch {
            throw EventPatternError("failed to parse JSON. \(error.message)")
        }
        guard case .object(let members) = json else { throw EventPatternError("A pattern must be a JSON object") }
        return try node(members, depth: 0)
    }

    private func node(_ members: [String: JSONValue], depth: Int) throws(EventPatternError) -> Node {
        guard !members.isEmpty || depth == 0 else { throw EventPatternError("Empty objects are not allowed") }
        var node = Node()
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            if key == "$or" {
                node.alternatives.append(try alternatives(value, depth: depth))
                continue
            }
            switch value {
            case .array(let conditions):
                guard !conditions.isEmpty else { throw EventPatternError("Empty arrays are not allowed") }
                node.leaves[key] = try conditions.map { (condition) throws(EventPatternError) in try matcher(condition) }
            case .object(let inner):
                if let refusal = rules.nestingRefusal { throw EventPatternError(refusal) }
                node.children[key] = try self.node(inner, depth: depth + 1)
            default:
                throw EventPatternError("\"\(key)\" must be an object or an array")
            }
        }
        return node
    }

    private func alternatives(_ value: JSONValue, depth: Int) throws(EventPatternError) -> [Node] {
        guard case .array(let options) = value, options.count >= 2 else {
            throw EventPatternError("$or must be an array of at least two objects")
        }
        var group: [Node] = []
        for option in options {
            guard case .object(let inner) = option, !inner.isEmpty else {
                throw EventPatternError("$or must be an array of at least two objects")
            }
            group.append(try node(inner, depth: depth + 1))
        }
        return group
    }

    private func number(_ text: String) throws(EventPatternError) -> Double {
        guard let value = Double(text), value.isFinite else { throw EventPatternError("Invalid number \(text)") }
        if let limit = rules.numberLimit, abs(value) > limit {
            throw EventPatternError("Numbers must be between -\(Int(limit)) and \(Int(limit))")
        }
        return value
    }

    private func matcher(_ condition: JSONValue) throws(EventPatternError) -> Matcher {
        let notAValue = EventPatternError("Match value must be String, number, true, false, or null")
        switch condition {
        case .string(let text): return .exactString(text)
        case .number(let text): return .exactNumber(try number(text))
        case .bool(let flag):
            guard rules.allowsBooleansAndNull else { throw notAValue }
            return .exactBool(flag)
        case .null:
            guard rules.allowsBooleansAndNull else { throw notAValue }
            return .exactNull
        case .array:
            throw notAValue
        case .object(let operation):
            guard operation.count == 1, let (name, operand) = operation.first else {
                throw EventPatternError("Only one key allowed in match expression")
            }
            return try self.operation(name, operand)
        }
    }

    private func operation(_ name: String, _ operand: JSONValue) throws(EventPatternError) -> Matcher {
        switch name {
        case "prefix", "suffix", "equals-ignore-case":
            guard case .string(let text) = operand else { throw EventPatternError("\(name) match pattern must be a string") }
            return name == "prefix" ? .prefix(text) : name == "suffix" ? .suffix(text) : .equalsIgnoreCase(text)
        case "exists":
            guard case .bool(let flag) = operand else { throw EventPatternError("exists match pattern must be either true or false.") }
            return .exists(flag)
        case "numeric":
            return .numeric(try numeric(operand))
        case "anything-but":
            return try anythingBut(operand)
        default:
            throw EventPatternError("Unrecognized match type \(name)")
        }
    }

    private func anythingBut(_ operand: JSONValue) throws(EventPatternError) -> Matcher {
        switch operand {
        case .string(let text): return .anythingBut(strings: [text], numbers: [])
        case .number(let text): return .anythingBut(strings: [], numbers: [try number(text)])
        case .array(let values):
            guard !values.isEmpty else { throw EventPatternError("Empty arrays are not allowed") }
            var strings = Set<String>()
            var numbers = Set<Double>()
            for value in values {
                switch value {
                case .string(let text): strings.insert(text)
                case .number(let text): numbers.insert(try number(text))
                default: throw EventPatternError("Inside anything but list, start|null|boolean is not supported.")
                }
            }
            return .anythingBut(strings: strings, numbers: numbers)
        case .object(let inner):
            guard inner.count == 1, let (name, value) = inner.first else {
                throw EventPatternError("Only one key allowed in match expression")
            }
            return try anythingBut(name, value)
        default:
            throw EventPatternError("Value of anything-but must be an array or single string/number value.")
        }
    }

    /// `{"anything-but": {"prefix": …}}` and its siblings.
    private func anythingBut(_ name: String, _ value: JSONValue) throws(EventPatternError) -> Matcher {
        switch (name, value) {
        case ("prefix", .string(let text)): return .anythingButPrefix(text)
        case ("suffix", .string(let text)): return .anythingButSuffix(text)
        case ("equals-ignore-case", .string(let text)): return .anythingButEqualsIgnoreCase([text])
        case ("equals-ignore-case", .array(let values)):
            var texts = Set<String>()
            for value in values {
                guard case .string(let text) = value else {
                    throw EventPatternError("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
                }
                texts.insert(text)
            }
            guard !texts.isEmpty else { throw EventPatternError("Empty arrays are not allowed") }
            return .anythingButEqualsIgnoreCase(texts)
        case ("prefix", _), ("suffix", _), ("equals-ignore-case", _):
            throw EventPatternError("\(name) match pattern must be a string")
        default:
            throw EventPatternError("Unsupported anything-but pattern: \(name)")
        }
    }

    private static let numericOperators: Set<String> = ["=", "<", "<=", ">", ">="]

    /// `[">", 0, "<=", 5]` or `["=", 3]`: at most one lower and one upper bound, lower < upper.
    private func numeric(_ operand: JSONValue) throws(EventPatternError) -> [NumericBound] {
        guard case .array(let items) = operand, !items.isEmpty, items.count % 2 == 0 else {
            throw EventPatternError("Value of numeric must be an array.")
        }
        var bounds: [NumericBound] = []
        var index = 0
        while index < items.count {
            guard case .string(let op) = items[index], Self.numericOperators.contains(op) else {
                throw EventPatternError("Unrecognized numeric range operator: \(items[index])")
            }
            guard case .number(let text) = items[index + 1] else { throw EventPatternError("Value of \(op) must be numeric") }
            bounds.append(NumericBound(op: op, value: try number(text)))
            index += 2
        }
        if bounds.contains(where: { $0.op == "=" }) {
            guard bounds.count == 1 else { throw EventPatternError("Too many elements in numeric expression") }
            return bounds
        }
        let lower = bounds.filter { $0.op.hasPrefix(">") }
        let upper = bounds.filter { $0.op.hasPrefix("<") }
        guard lower.count <= 1, upper.count <= 1, bounds.count <= 2 else {
            throw EventPatternError("Too many elements in numeric expression")
        }
        if let low = lower.first, let high = upper.first, low.value >= high.value {
            throw EventPatternError("Bottom must be less than top")
        }
        return bounds
    }
}
