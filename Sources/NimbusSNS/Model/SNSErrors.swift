import NimbusCore

/// The errors the SNS API answers with, as AWS names and words them.
/// See https://docs.aws.amazon.com/sns/latest/api/CommonErrors.html
extension AWSError {
    /// `InvalidParameter`: AWS prefixes every message with "Invalid parameter: ".
    static func invalidParameter(_ message: String) -> AWSError {
        AWSError(code: "InvalidParameter", message: "Invalid parameter: \(message)")
    }

    /// `ParameterValueInvalid` (botocore's `InvalidParameterValueException`), used for message attributes and sizes.
    static func invalidParameterValue(_ message: String) -> AWSError {
        AWSError(code: "ParameterValueInvalid", message: message)
    }

    static let topicNotFound = AWSError(code: "NotFound", status: 404, message: "Topic does not exist")

    static let subscriptionNotFound = AWSError(code: "NotFound", status: 404, message: "Subscription does not exist")

    static let resourceNotFound = AWSError(code: "ResourceNotFound", status: 404, message: "Resource does not exist")

    /// A filter policy that breaks a rule of the syntax (AWS: `InvalidParameter`, "FilterPolicy: …").
    static func invalidFilterPolicy(_ detail: String) -> AWSError {
        invalidParameter("FilterPolicy: \(detail)")
    }

    static func batchEntryIdsNotDistinct() -> AWSError {
        AWSError(code: "BatchEntryIdsNotDistinct", message: "Two or more batch entries in the request have the same Id.")
    }

    static func tooManyEntriesInBatch() -> AWSError {
        AWSError(code: "TooManyEntriesInBatchRequest", message: "The batch request contains more entries than permissible.")
    }

    static func emptyBatch() -> AWSError {
        AWSError(code: "EmptyBatchRequest", message: "The batch request doesn't contain any entries.")
    }

    static func invalidBatchEntryId() -> AWSError {
        AWSError(
            code: "InvalidBatchEntryId",
            message: "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long."
        )
    }

    static func batchRequestTooLong() -> AWSError {
        AWSError(code: "BatchRequestTooLong", message: "The length of all the messages put together is more than the limit.")
    }

    static func tagLimitExceeded() -> AWSError {
        AWSError(code: "TagLimitExceeded", message: "Could not complete request: tag quota of per resource exceeded")
    }
}
