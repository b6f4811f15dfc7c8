import Foundation
import NimbusCore
import NimbusWire

/// Checks of configuration values shared by CreateFunction and UpdateFunctionConfiguration,
/// with AWS's limits (../shared/AWS-LIMITS.md) and messages.
enum FunctionSettings {
    static func validate(runtime: String?, handler: String?, timeout: Int?, memorySize: Int?, ephemeralStorage: Int?) throws(AWSError) {
        if let runtime, !LambdaRuntime.supported.contains(runtime) {
            throw .invalidParameter(
                "Value \(runtime) at 'runtime' failed to satisfy constraint: Member must satisfy enum value set: "
                    + LambdaRuntime.supported.sorted().joined(separator: ", ")
            )
        }
        if let runtime, LambdaRuntime.needsHandler(runtime), handler?.isEmpty ?? true {
            throw .invalidParameter("Handler is required for runtime \(runtime)")
        }
        try range("timeout", timeout, 1...900)
        try range("memorySize", memorySize, 128...10_240)
        try range("ephemeralStorage.size", ephemeralStorage, 512...10_240)
    }

    private static func range(_ member: String, _ value: Int?, _ allowed: ClosedRange<Int>) throws(AWSError) {
        guard let value, !allowed.contains(value) else { return }
        let bound = value < allowed.lowerBound ? "greater than or equal to \(allowed.lowerBound)" : "less than or equal to \(allowed.upperBound)"
        throw AWSError(
            code: "ValidationException",
            message: "1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: Member must have value \(bound)"
        )
    }

    /// AWS limits environment variables to 4 KB in total.
    static func validate(environment: [String: String]?) throws(AWSError) {
        guard let environment else { return }
        let size = environment.reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard size <= 4096 else {
            throw .invalidParameter(
                "Lambda was unable to configure your environment variables because the environment variables you have provided exceeded the 4KB limit."
            )
        }
        for key in environment.keys where !isValidVariableName(key) {
            throw .invalidParameter(
                "Lambda was unable to configure your environment variables because the environment variable name '\(key)' is invalid."
            )
        }
    }

    private static func isValidVariableName(_ name: String) -> Bool {
        guard let first = name.utf8.first, !(48...57).contains(first) else { return false }
        return name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 95 }
    }
}
