package import NimbusCore
package import NimbusWire

/// A subscription filter policy, parsed and validated: the AND of its keys' conditions and
/// of its `$or` groups, each key matching when any of its matchers does.
///
/// See https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
/// and the constraints at https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
package struct FilterPolicy: Sendable, Hashable {
    /// What a policy's keys are looked up in.
    package enum Scope: String, Sendable, Hashable {
        case messageAttributes = "MessageAttributes"
        case messageBody = "MessageBody"
    }

    /// One level of the policy: keys with matchers, nested objects (body scope) and `$or` groups.
    package struct Node: Sendable, Hashable {
        /// Key → matchers, of which at least one must match.
        package var leaves: [String: [Matcher]] = [:]
        /// Key → nested policy on the object under that key (message body only).
        package var children: [String: Node] = [:]
        /// Each group needs at least one of its alternatives to match.
        package var alternatives: [[Node]] = []
    }

    /// One value condition.
    package enum Matcher: Sendable, Hashable {
        case exactString(String)
        case exactNumber(Double)
        case exactBool(Bool)
        case exactNull
        case prefix(String)
        case suffix(String)
        case equalsIgnoreCase(String)
        /// Matches any present value not equal to the strings and numbers listed.
        case anythingBut(strings: Set<String>, numbers: Set<Double>)
        case anythingButPrefix(String)
        case anythingButSuffix(String)
        case anythingButEqualsIgnoreCase(Set<String>)
        /// Every (operator, bound) pair must hold; operators are `=`, `<`, `<=`, `>`, `>=`.
        case numeric([NumericBound])
        case exists(Bool)
    }

    package struct NumericBound: Sendable, Hashable {
        package var op: String
        package var value: Double
    }

    /// AWS's limits: keys per policy (per `$or` branch) and the product of values.
    package static let maximumKeys = 5
    package static let maximumCombinations = 150
    /// Policies are at most 256 KB of JSON.
    package static let maximumSize = 256 * 1024
    /// Numbers in a policy lie within ±10⁹.
    package static let numberLimit = 1_000_000_000.0

    package var root: Node
    package var scope: Scope

    /// Parses and validates `text` for `scope`.
    /// - Throws: `AWSError` `InvalidParameter` ("Invalid parameter: FilterPolicy: …") naming what is wrong.
    package init(_ text: String, scope: Scope) throws(AWSError) {
        guard text.utf8.count <= Self.maximumSize else { throw .invalidFilterPolicy("Filter policy is too large") }
        let json: JSONValue
        do {
            json = try JSONParser.parse(Array(text.utf8))
        } catch {
            throw .invalidFilterPolicy("failed to parse JSON. \(error.message)")
        }
        guard case .object(let members) = json else { throw .invalidFilterPolicy("Filter policy must be a JSON object") }
        self.scope = scope
        root = try Self.node(members, scope: scope, depth: 0)
        let branches = Self.branches(root)
        var combinations = 0
        for branch in branches {
            guard branch.keys <= Self.maximumKeys else {
                throw .invalidFilterPolicy("Filter policy can not have more than \(Self.maximumKeys) keys")
            }
            combinations += branch.combinations
        }
        guard combinations <= Self.maximumCombinations else { throw .invalidFilterPolicy("Filter policy is too complex") }
    }

    // MARK: Parsing

    private static func node(_ members: [String: JSONValue], scope: Scope, depth: Int) throws(AWSError) -> Node {
        guard !members.isEmpty || depth == 0 else { throw .invalidFilterPolicy("Empty objects are not allowed") }
        var node = Node()
        for (key, value) in members.sorted(by: { $0.key < $1.key }) {
            if key == "$or" {
                guard case .array(let options) = value, options.count >= 2 else {
                    throw .invalidFilterPolicy("$or must be an array of at least two objects")
                }
                var group: [Node] = []
                for option in options {
                    guard case .object(let inner) = option, !inner.isEmpty else {
                        throw .invalidFilterPolicy("$or must be an array of at least two objects")
                    }
                    group.append(try Self.node(inner, scope: scope, depth: depth + 1))
                }
                node.alternatives.append(group)
                continue
            }
            switch value {
            case .array(let conditions):
                guard !conditions.isEmpty else { throw .invalidFilterPolicy("Empty arrays are not allowed") }
                node.leaves[key] = try conditions.map { (condition) throws(AWSError) in try matcher(condition, scope: scope) }
            case .object(let inner):
                guard scope == .messageBody else {
                    throw .invalidFilterPolicy("Filter policy scope MessageAttributes does not support nested filter policy")
                }
                node.children[key] = try Self.node(inner, scope: scope, depth: depth + 1)
            default:
                throw .invalidFilterPolicy("\"\(key)\" must be an object or an array")
            }
        }
        return node
    }

    private static func number(_ text: String) throws(AWSError) -> Double {
        guard let value = Double(text), value.isFinite else { throw .invalidFilterPolicy("Invalid number \(text)") }
        guard abs(value) <= numberLimit else {
            throw .invalidFilterPolicy("Numbers must be between -1000000000 and 1000000000")
        }
        return value
    }

    private static func matcher(_ condition: JSONValue, scope: Scope) throws(AWSError) -> Matcher {
        switch condition {
        case .string(let text): return .exactString(text)
        case .number(let text): return .exactNumber(try number(text))
        case .bool(let flag):
            guard scope == .messageBody else { throw .invalidFilterPolicy("Match value must be String, number, true, false, or null") }
            return .exactBool(flag)
        case .null:
            guard scope == .messageBody else { throw .invalidFilterPolicy("Match value must be String, number, true, false, or null") }
            return .exactNull
        case .array:
            throw .invalidFilterPolicy("Match value must be String, number, true, false, or null")
        case .object(let operation):
            guard operation.count == 1, let (name, operand) = operation.first else {
                throw .invalidFilterPolicy("Only one key allowed in match expression")
            }
            return try Self.operation(name, operand)
        }
    }

    private static func operation(_ name: String, _ operand: JSONValue) throws(AWSError) -> Matcher {
        switch name {
        case "prefix":
            guard case .string(let text) = operand else { throw .invalidFilterPolicy("prefix match pattern must be a string") }
            return .prefix(text)
        case "suffix":
            guard case .string(let text) = operand else { throw .invalidFilterPolicy("suffix match pattern must be a string") }
            return .suffix(text)
        case "equals-ignore-case":
            guard case .string(let text) = operand else {
                throw .invalidFilterPolicy("equals-ignore-case match pattern must be a string")
            }
            return .equalsIgnoreCase(text)
        case "exists":
            guard case .bool(let flag) = operand else { throw .invalidFilterPolicy("exists match pattern must be either true or false.") }
            return .exists(flag)
        case "numeric":
            return .numeric(try numeric(operand))
        case "anything-but":
            return try anythingBut(operand)
        default:
            throw .invalidFilterPolicy("Unrecognized match type \(name)")
        }
    }

    private static func anythingBut(_ operand: JSONValue) throws(AWSError) -> Matcher {
        switch operand {
        case .string(let text): return .anythingBut(strings: [text], numbers: [])
        case .number(let text): return .anythingBut(strings: [], numbers: [try number(text)])
        case .array(let values):
            guard !values.isEmpty else { throw .invalidFilterPolicy("Empty arrays are not allowed") }
            var strings = Set<String>()
            var numbers = Set<Double>()
            for value in values {
                switch value {
                case .string(let text): strings.insert(text)
                case .number(let text): numbers.insert(try number(text))
                default: throw .invalidFilterPolicy("Inside anything but list, start|null|boolean is not supported.")
                }
            }
            return .anythingBut(strings: strings, numbers: numbers)
        case .object(let inner):
            guard inner.count == 1, let (name, value) = inner.first else {
                throw .invalidFilterPolicy("Only one key allowed in match expression")
            }
            switch (name, value) {
            case ("prefix", .string(let text)): return .anythingButPrefix(text)
            case ("suffix", .string(let text)): return .anythingButSuffix(text)
            case ("equals-ignore-case", .string(let text)): return .anythingButEqualsIgnoreCase([text])
            case ("equals-ignore-case", .array(let values)):
                var texts = Set<String>()
                for value in values {
                    guard case .string(let text) = value else {
                        throw .invalidFilterPolicy("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
                    }
                    texts.insert(text)
                }
                guard !texts.isEmpty else { throw .invalidFilterPolicy("Empty arrays are not allowed") }
                return .anythingButEqualsIgnoreCase(texts)
            case ("prefix", _), ("suffix", _), ("equals-ignore-case", _):
                throw .invalidFilterPolicy("\(name) match pattern must be a string")
            default:
                throw .invalidFilterPolicy("Unsupported anything-but pattern: \(name)")
            }
        default:
            throw .invalidFilterPolicy("Value of anything-but must be an array or single string/number value.")
        }
    }

    private static let numericOperators: Set<String> = ["=", "<", "<=", ">", ">="]

    /// `[">", 0, "<=", 5]` or `["=", 3]`: at most one lower and one upper bound, lower < upper.
    private static func numeric(_ operand: JSONValue) throws(AWSError) -> [NumericBound] {
        guard case .array(let items) = operand, !items.isEmpty, items.count % 2 == 0 else {
            throw .invalidFilterPolicy("Value of numeric must be an array.")
        }
        var bounds: [NumericBound] = []
        var index = 0
        while index < items.count {
            guard case .string(let op) = items[index], numericOperators.contains(op) else {
                throw .invalidFilterPolicy("Unrecognized numeric range operator: \(items[index])")
            }
            guard case .number(let text) = items[index + 1] else { throw .invalidFilterPolicy("Value of \(op) must be numeric") }
            bounds.append(NumericBound(op: op, value: try number(text)))
            index += 2
        }
        if bounds.contains(where: { $0.op == "=" }) {
            guard bounds.count == 1 else { throw .invalidFilterPolicy("Too many elements in numeric expression") }
            return bounds
        }
        let lower = bounds.filter { $0.op.hasPrefix(">") }
        let upper = bounds.filter { $0.op.hasPrefix("<") }
        guard lower.count <= 1, upper.count <= 1, bounds.count <= 2 else {
            throw .invalidFilterPolicy("Too many elements in numeric expression")
        }
        if let low = lower.first, let high = upper.first, low.value >= high.value {
            throw .invalidFilterPolicy("Bottom must be less than top")
        }
        return bounds
    }

    // MARK: Limits

    /// A branch of the policy once every `$or` has chosen one alternative.
    struct Branch {
        var keys = 0
        var combinations = 1
    }

    /// Every branch of `node`, stopping early past the combination limit (the policy is too complex then anyway).
    static func branches(_ node: Node) -> [Branch] {
        var base = Branch()
        for (_, matchers) in node.leaves {
            base.keys += 1
            base.combinations *= matchers.count
        }
        var result = [base]
        for (_, child) in node.children {
            result = combine(result, branches(child))
        }
        for group in node.alternatives {
            result = combine(result, group.flatMap(branches))
        }
        return result
    }

    private static func combine(_ left: [Branch], _ right: [Branch]) -> [Branch] {
        var result: [Branch] = []
        for a in left {
            for b in right {
                result.append(Branch(keys: a.keys + b.keys, combinations: min(a.combinations * b.combinations, maximumCombinations + 1)))
                if result.count > maximumCombinations { return result }
            }
        }
        return result
    }
}
