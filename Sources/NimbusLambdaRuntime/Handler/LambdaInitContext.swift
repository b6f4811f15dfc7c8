/// What a handler knows while it initializes (Lambda's init phase): the function's
/// configuration, and a log.
///
/// Initialization runs once per instance, before its first invocation; work done here (clients,
/// connection pools, parsed configuration) is reused by every invocation the instance serves.
public struct LambdaInitContext: Sendable {
    let environment: FunctionEnvironment
    let logWriter: LogWriter

    init(environment: FunctionEnvironment, logWriter: LogWriter) {
        self.environment = environment
        self.logWriter = logWriter
    }

    /// The function's name (`AWS_LAMBDA_FUNCTION_NAME`).
    public var functionName: String { environment.functionName }
    /// The version being run, `$LATEST` or a number (`AWS_LAMBDA_FUNCTION_VERSION`).
    public var functionVersion: String { environment.functionVersion }
    /// The memory configured for the function, in MB (`AWS_LAMBDA_FUNCTION_MEMORY_SIZE`; 0 if unset).
    public var memoryLimitInMB: Int { environment.memoryLimitInMB }
    /// The log group the function's output goes to, `/aws/lambda/<name>` by default.
    public var logGroupName: String { environment.logGroupName }
    /// This instance's log stream.
    public var logStreamName: String { environment.logStreamName }

    /// Writes `message` as one line of the function's log: `<timestamp>\tINFO\t<message>`.
    public func log(_ message: String) {
        logWriter.log(message, level: "INFO", requestID: nil)
    }
}
