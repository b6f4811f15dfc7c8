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
    /// Further members of the error that AWS's model defines (Lambda's `Reason`, S3's
    /// `BucketName`…), rendered next to the message.
    package var details: [String: String]
    /// For a service that moved from the query protocol to JSON (SQS), the code its query API
    /// used (`AWS.SimpleQueueService.NonExistentQueue` for `QueueDoesNotExist`): query
    /// responses carry it as the code, JSON responses in the `x-amzn-query-error` header.
    package var queryCode: String?
    /// HTTP headers the error response carries next to the body (S3 answers a delete
    /// marker's 404 or 405 with `x-amz-delete-marker` and `x-amz-version-id`).
    package var headers: [String: String]

    package init(
        code: String,
        status: Int = 400,
        message: String,
        senderFault: Bool? = nil,
        details: [String: String] = [:],
        queryCode: String? = nil,
        headers: [String: String] = [:]
    ) {
        self.code = code
        self.status = status
        self.message = message
        self.senderFault = senderFault ?? (status < 500)
        self.details = details
        self.queryCode = queryCode
        self.headers = headers
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
