import NimbusCore

/// An alias's routing: its function version, and at most one additional version that gets a
/// share of the invocations (`RoutingConfig.AdditionalVersionWeights`), as AWS validates it.
struct AliasRouting: Equatable {
    var functionVersion: String
    var additional: (version: String, weight: Double)?

    static func == (left: AliasRouting, right: AliasRouting) -> Bool {
        left.functionVersion == right.functionVersion && left.additional?.version == right.additional?.version
            && left.additional?.weight == right.additional?.weight
    }

    /// - Throws: `InvalidParameterValueException`/`ValidationException` for weights out of
    ///   range, more than one additional version, `$LATEST` with weights, or the same version twice.
    init(functionVersion: String, weights: [String: Double]?) throws(AWSError) {
        guard functionVersion == "$LATEST" || Qualifier(functionVersion) != .alias(functionVersion) else {
            throw .validation(
                "1 validation error detected: Value '\(functionVersion)' at 'functionVersion' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: (\\$LATEST|[0-9]+)"
            )
        }
        self.functionVersion = functionVersion
        guard let weights, !weights.isEmpty else { return }
        guard weights.count == 1, let (version, weight) = weights.first else {
            throw .invalidParameter("Number of items in AdditionalVersionWeights cannot be greater than 1")
        }
        guard (0.0...1.0).contains(weight) else {
            throw .validation(
                "1 validation error detected: Value '{\(version)=\(weight)}' at 'routingConfig.additionalVersionWeights' failed to satisfy "
                    + "constraint: Map value must satisfy constraint: [Member must have value less than or equal to 1.0, "
                    + "Member must have value greater than or equal to 0.0]"
            )
        }
        guard case .version = Qualifier(version) else {
            throw .invalidParameter("Invalid function version \(version). Function version \(version) does not exist.")
        }
        guard functionVersion != "$LATEST" else {
            throw .invalidParameter("$LATEST is not supported for an alias pointing to more than 1 version")
        }
        guard version != functionVersion else {
            throw .invalidParameter("Invalid function version \(version). Function version \(version) is already included in routing configuration.")
        }
        additional = (version, weight)
    }

    /// The version one invocation runs: the additional version with its weight's probability.
    func pick(_ draw: Double = Double.random(in: 0..<1)) -> String {
        if let additional, draw < additional.weight { return additional.version }
        return functionVersion
    }
}
