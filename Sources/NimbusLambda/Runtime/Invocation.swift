/// An event on its way to an instance, with what the Runtime API's `next` tells the runtime about it.
struct Invocation: Sendable {
    var requestID: String
    var payload: [UInt8]
    /// When the function must have answered, in milliseconds since the Unix epoch; set when
    /// the invocation reaches its instance (a cold start's initialisation does not count).
    var deadlineMilliseconds: Int64
    var invokedFunctionARN: String
    var traceID: String
    /// The client context as JSON (the Invoke API takes it base64-encoded).
    var clientContext: String?
    var cognitoIdentity: String?

    /// The headers `GET …/invocation/next` answers with.
    var nextHeaders: [(name: String, value: String)] {
        var headers: [(name: String, value: String)] = [
            ("Content-Type", "application/json"),
            ("Lambda-Runtime-Aws-Request-Id", requestID),
            ("Lambda-Runtime-Deadline-Ms", String(deadlineMilliseconds)),
            ("Lambda-Runtime-Invoked-Function-Arn", invokedFunctionARN),
            ("Lambda-Runtime-Trace-Id", traceID),
        ]
        if let clientContext { headers.append(("Lambda-Runtime-Client-Context", clientContext)) }
        if let cognitoIdentity { headers.append(("Lambda-Runtime-Cognito-Identity", cognitoIdentity)) }
        return headers
    }
}

/// How an invocation ended, as the Runtime API saw it.
enum RuntimeOutcome: Sendable, Equatable {
    /// The function's result.
    case response([UInt8])
    /// The runtime reported an error: its body and `errorType`.
    case error(body: [UInt8], type: String)
    /// The runtime tried to answer with more than 6 MB.
    case responseTooLarge
    /// The instance stopped (exit, kill, timeout) before answering.
    case ended
}

/// How an instance's initialisation ended.
enum Readiness: Sendable, Equatable {
    /// The runtime asked for its first event.
    case ready
    /// The runtime reported `POST /runtime/init/error`: its body and `errorType`.
    case initError(body: [UInt8], type: String)
    /// The instance stopped before either.
    case ended
}
