/// The invocation a Runtime API `next` response announces, read from its headers
/// (https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html#runtimes-api-next).
struct InvocationMetadata: Sendable, Equatable {
    enum Header {
        static let requestID = "Lambda-Runtime-Aws-Request-Id"
        static let deadline = "Lambda-Runtime-Deadline-Ms"
        static let invokedFunctionARN = "Lambda-Runtime-Invoked-Function-Arn"
        static let traceID = "Lambda-Runtime-Trace-Id"
        static let clientContext = "Lambda-Runtime-Client-Context"
        static let cognitoIdentity = "Lambda-Runtime-Cognito-Identity"
    }

    var requestID: String
    /// Milliseconds since the Unix epoch.
    var deadlineMilliseconds: Int64
    var invokedFunctionARN: String
    var traceID: String?
    var clientContext: String?
    var cognitoIdentity: String?

    /// - Throws: `.missingHeader` naming the request id, deadline or function ARN header when it
    ///   is absent or empty; `.malformedHeader` with the value when the deadline is not a
    ///   non-negative integer.
    init(headers: HTTPHeaders) throws(LambdaRuntimeError) {
        guard let requestID = headers[Header.requestID], !requestID.isEmpty else {
            throw LambdaRuntimeError(.missingHeader(Header.requestID))
        }
        guard let deadline = headers[Header.deadline], !deadline.isEmpty else {
            throw LambdaRuntimeError(.missingHeader(Header.deadline))
        }
        guard let milliseconds = Int64(deadline), milliseconds >= 0 else {
            throw LambdaRuntimeError(.malformedHeader(Header.deadline, deadline))
        }
        guard let arn = headers[Header.invokedFunctionARN], !arn.isEmpty else {
            throw LambdaRuntimeError(.missingHeader(Header.invokedFunctionARN))
        }
        self.requestID = requestID
        self.deadlineMilliseconds = milliseconds
        self.invokedFunctionARN = arn
        self.traceID = headers[Header.traceID].flatMap { $0.isEmpty ? nil : $0 }
        self.clientContext = headers[Header.clientContext].flatMap { $0.isEmpty ? nil : $0 }
        self.cognitoIdentity = headers[Header.cognitoIdentity].flatMap { $0.isEmpty ? nil : $0 }
    }
}
