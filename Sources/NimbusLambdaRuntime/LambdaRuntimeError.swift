/// Why the runtime could not go on talking to the Lambda Runtime API.
///
/// Errors thrown by a handler are not `LambdaRuntimeError`s: they are reported to Lambda as the
/// invocation's (or initialization's) error and the runtime carries on. This error ends the
/// runtime (``LambdaHandler/main()`` prints it and exits with status 1, as AWS's runtimes do);
/// Lambda then reports `Runtime.ExitError` for the invocation in flight.
public struct LambdaRuntimeError: Error, CustomStringConvertible, Sendable {
    /// What went wrong, with the values that say where; equality compares only this.
    enum Code: Equatable, Sendable {
        /// `AWS_LAMBDA_RUNTIME_API` is not set: the process was not started by Lambda.
        case missingRuntimeAPIAddress
        /// `AWS_LAMBDA_RUNTIME_API` is not `host:port`.
        case invalidRuntimeAPIAddress(String)
        /// No connection to the Runtime API (address, reason).
        case connectFailed(String, String)
        case sendFailed(String)
        case receiveFailed(String)
        /// The Runtime API closed the connection before a whole response arrived.
        case connectionClosed
        /// The Runtime API's response is not HTTP/1.1 as this client reads it (what was wrong).
        case malformedResponse(String)
        /// An endpoint answered with a status it never uses for success (path, status, body).
        case unexpectedStatus(String, Int, String)
        /// A `next` response lacks a header the runtime needs (the header's name).
        case missingHeader(String)
        /// A `next` response header has a value the runtime cannot read (name, value).
        case malformedHeader(String, String)
        /// The handler's initializer threw; the error was reported to `/init/error`.
        case initializationFailed(String)
    }

    let code: Code
    let fileID: String
    let line: Int

    init(_ code: Code, fileID: String = #fileID, line: Int = #line) {
        self.code = code
        self.fileID = fileID
        self.line = line
    }

    public var description: String {
        "LambdaRuntimeError(\(fileID):\(line)): \(message)"
    }

    /// What went wrong, without where in this library it was noticed.
    var message: String {
        switch code {
        case .missingRuntimeAPIAddress:
            "AWS_LAMBDA_RUNTIME_API is not set; a Lambda function runs under Lambda (or Nimbus), which sets it"
        case .invalidRuntimeAPIAddress(let value): "AWS_LAMBDA_RUNTIME_API is not host:port: '\(value)'"
        case .connectFailed(let address, let reason): "cannot connect to the Runtime API at \(address): \(reason)"
        case .sendFailed(let reason): "sending to the Runtime API failed: \(reason)"
        case .receiveFailed(let reason): "receiving from the Runtime API failed: \(reason)"
        case .connectionClosed: "the Runtime API closed the connection before the response was complete"
        case .malformedResponse(let what): "malformed Runtime API response: \(what)"
        case .unexpectedStatus(let path, let status, let body):
            "Runtime API \(path) answered \(status): \(body)"
        case .missingHeader(let name): "the Runtime API's next invocation has no \(name) header"
        case .malformedHeader(let name, let value): "the Runtime API's next invocation has a malformed \(name) header: '\(value)'"
        case .initializationFailed(let message): "the handler's initializer threw: \(message)"
        }
    }
}

extension LambdaRuntimeError: Equatable {
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
}
