package import NimbusCore
package import NimbusEventPatterns

/// A subscription filter policy: an `EventPattern` in a scope, within SNS's limits.
///
/// See https://docs.aws.amazon.com/sns/latest/dg/sns-subscription-filter-policies.html
/// and the constraints at https://docs.aws.amazon.com/sns/latest/dg/subscription-filter-policy-constraints.html
package struct FilterPolicy: Sendable, Hashable {
    /// What a policy's keys are looked up in.
    package enum Scope: String, Sendable, Hashable {
        case messageAttributes = "MessageAttributes"
        case messageBody = "MessageBody"
    }

    /// AWS's limits: keys per policy (per `$or` branch) and the product of values.
    package static let maximumKeys = 5
    package static let maximumCombinations = 150
    /// Policies are at most 256 KB of JSON.
    package static let maximumSize = 256 * 1024
    /// Numbers in a policy lie within ±10⁹.
    package static let numberLimit = 1_000_000_000.0

    package var pattern: EventPattern
    package var scope: Scope

    var root: EventPattern.Node { pattern.root }

    /// Parses and validates `text` for `scope`.
    /// - Throws: `AWSError` `InvalidParameter` ("Invalid parameter: FilterPolicy: …") naming what is wrong.
    package init(_ text: String, scope: Scope) throws(AWSError) {
        guard text.utf8.count <= Self.maximumSize else { throw .invalidFilterPolicy("Filter policy is too large") }
        // Message attributes are flat and hold strings and numbers only.
        let rules = EventPattern.Rules(
            nestingRefusal: scope == .messageBody ? nil : "Filter policy scope MessageAttributes does not support nested filter policy",
            allowsBooleansAndNull: scope == .messageBody,
            numberLimit: Self.numberLimit
        )
        do {
            pattern = try EventPattern(text, rules: rules)
        } catch {
            throw .invalidFilterPolicy(error.message)
        }
        self.scope = scope
        var combinations = 0
        for branch in Self.branches(pattern.root) {
            guard branch.keys <= Self.maximumKeys else {
                throw .invalidFilterPolicy("Filter policy can not have more than \(Self.maximumKeys) keys")
            }
            combinations += branch.combinations
        }
        guard combinations <= Self.maximumCombinations else { throw .invalidFilterPolicy("Filter policy is too complex") }
    }

    // MARK: Limits

    /// A branch of the policy once every `$or` has chosen one alternative.
    struct Branch {
        var keys = 0
        var combinations = 1
    }

    /// Every branch of `node`, stopping early past the combination limit (the policy is too complex then anyway).
    static func branches(_ node: EventPattern.Node) -> [Branch] {
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
