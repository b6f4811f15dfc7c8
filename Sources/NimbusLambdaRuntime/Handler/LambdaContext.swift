/// What a handler knows about the invocation it is serving: its request id, deadline and trace,
/// the function's configuration, and a log that tags lines with the request id.
///
/// The fields are those of AWS's Lambda context object
/// (https://docs.aws.amazon.com/lambda/latest/dg/golang-context.html), read from the Runtime
/// API's `next` response headers and the function's environment.
public struct LambdaContext: Sendable {
    /// The invocation's request id (`Lambda-Runtime-Aws-Request-Id`); the invoke response's
    /// `x-amzn-RequestId` names the same invocation.
    public let requestID: String
    /// When Lambda stops the invocation (`Lambda-Runtime-Deadline-Ms`), on the continuous clock,
    /// so `try await Task.sleep(until: context.deadline - .seconds(1))` works.
    public let deadline: ContinuousClock.Instant
    /// The ARN the caller invoked, with a version or alias qualifier if it used one
    /// (`Lambda-Runtime-Invoked-Function-Arn`).
    public let invokedFunctionARN: String
    /// The X-Ray trace header (`Lambda-Runtime-Trace-Id`), also in `_X_AMZN_TRACE_ID` while the
    /// invocation runs; nil if Lambda sent none.
    public let traceID: String?
    /// The client context a mobile SDK caller sent, as JSON text (`Lambda-Runtime-Client-Context`).
    public let clientContext: String?
    /// The Amazon Cognito identity of a mobile SDK caller, as JSON text
    /// (`Lambda-Runtime-Cognito-Identity`).
    public let cognitoIdentity: String?

    let environment: FunctionEnvironment
    let logWriter: LogWriter

    init(metadata: InvocationMetadata, environment: FunctionEnvironment, logWriter: LogWriter, now: Int64 = epochMilliseconds()) {
        requestID = metadata.requestID
        deadline = .now + .milliseconds(metadata.deadlineMilliseconds - now)
        invokedFunctionARN = metadata.invokedFunctionARN
        traceID = metadata.traceID
        clientContext = metadata.clientContext
        cognitoIdentity = metadata.cognitoIdentity
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

    /// The time left before ``deadline``; zero once it has passed.
    public func remainingTime() -> Duration {
        max(.zero, deadline - .now)
    }

    /// Writes `message` as one line of the function's log: `<timestamp>\t<request id>\tINFO\t<message>`.
    public func log(_ message: String) {
        logWriter.log(message, level: "INFO", requestID: requestID)
    }
}
