#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The function's configuration as Lambda passes it to every instance, in environment variables
/// (https://docs.aws.amazon.com/lambda/latest/dg/configuration-envvars.html#configuration-envvars-runtime).
struct FunctionEnvironment: Sendable, Equatable {
    var runtimeAPI: String?
    var functionName = ""
    var functionVersion = ""
    var memoryLimitInMB = 0
    var logGroupName = ""
    var logStreamName = ""

    /// Reads the variables from `lookup` (a missing one leaves its default: empty, or 0).
    init(lookup: (String) -> String?) {
        runtimeAPI = lookup("AWS_LAMBDA_RUNTIME_API")
        functionName = lookup("AWS_LAMBDA_FUNCTION_NAME") ?? ""
        functionVersion = lookup("AWS_LAMBDA_FUNCTION_VERSION") ?? ""
        memoryLimitInMB = lookup("AWS_LAMBDA_FUNCTION_MEMORY_SIZE").flatMap { Int($0) } ?? 0
        logGroupName = lookup("AWS_LAMBDA_LOG_GROUP_NAME") ?? ""
        logStreamName = lookup("AWS_LAMBDA_LOG_STREAM_NAME") ?? ""
    }

    init(_ variables: [String: String]) {
        self.init { variables[$0] }
    }

    /// This process's environment.
    static func current() -> Self {
        Self { name in getenv(name).map { String(cString: $0) } }
    }
}
