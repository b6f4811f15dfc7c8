/// An error as AWS reports it: a code, an HTTP status, a message and who is at fault.
///
/// Services throw it; the wire layer renders it in the request's protocol
/// (JSON `__type`, query `<ErrorResponse>`, S3 `<Error>`).
package struct AWSError: Error, Hashable, Sendable {
    /// AWS's error code, e.g. `ValidationException` or `NoSuchBucket`.
    package var code: String
    /// The HTTP status code of the response.
    package var status: Int
    /// A message for the person reading the error.
    package var message: String
    /// `true` when the caller is at fault (`Sender`), `false` for `Receiver` faults.
    package var senderFault: Bool

    package init(code: String, status: Int = 400, message: String, senderFault: Bool? = nil) {
        self.code = code
        self.status = status
        self.message = message
        self.senderFault = senderFault ?? (status < 500)
    }
}

extension AWSError {
    /// The operation exists in AWS's model but Nimbus does not implement it (HTTP 501).
    package static func notImplemented(service: String, operation: String) -> AWSError {
        AWSError(
            code: "NotImplemented",
            status: 501,
            message: "Nimbus does not implement \(service):\(operation) yet",
            senderFault: false
        )
    }

    /// A request parameter failed AWS's validation (HTTP 400).
    package static func validation(_ message: String) -> AWSError {
        AWSError(code: "ValidationException", message: message)
    }

    /// An unexpected failure inside Nimbus (HTTP 500); the message never leaks internals.
    package static func internalFailure(_ message: String = "An internal error occurred") -> AWSError {
        AWSError(code: "InternalFailure", status: 500, message: message, senderFault: false)
    }
}

extension AWSError: CustomStringConvertible {
    package var description: String { "\(code) (\(status)): \(message)" }
}
