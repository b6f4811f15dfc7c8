import NimbusCore

/// The errors the SQS API answers with. SQS moved from the query protocol to JSON, so each
/// error has the JSON code (the model's shape name) and the code query clients know; botocore
/// reads the latter from `x-amzn-query-error` and reports it as `Error.Code`.
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/CommonErrors.html
extension AWSError {
    static func sqs(_ code: String, _ message: String, query: String? = nil) -> AWSError {
        AWSError(code: code, message: message, queryCode: query ?? code)
    }

    static let queueDoesNotExist = sqs(
        "QueueDoesNotExist",
        "The specified queue does not exist.",
        query: "AWS.SimpleQueueService.NonExistentQueue"
    )

    static let queueDeletedRecently = sqs(
        "QueueDeletedRecently",
        "You must wait 60 seconds after deleting a queue before you can create another queue with the same name.",
        query: "AWS.SimpleQueueService.QueueDeletedRecently"
    )

    static let overLimit = AWSError(
        code: "OverLimit",
        status: 403,
        message: "Too many messages are in flight: the queue allows \(QueueState.inFlightLimit).",
        queryCode: "OverLimit"
    )

    static func queueNameExists(_ attribute: String) -> AWSError {
        sqs(
            "QueueNameExists",
            "A queue already exists with the same name and a different value for attribute \(attribute)",
            query: "QueueAlreadyExists"
        )
    }

    static func invalidParameterValue(_ message: String) -> AWSError {
        sqs("InvalidParameterValue", message)
    }

    /// AWS's wording for a parameter outside its range.
    static func invalidParameter(_ name: String, value: String, reason: String) -> AWSError {
        invalidParameterValue("Value \(value) for parameter \(name) is invalid. Reason: \(reason).")
    }

    static func missingParameter(_ name: String) -> AWSError {
        sqs("MissingParameter", "The request must contain the parameter \(name).")
    }

    static func invalidAttributeName(_ name: String) -> AWSError {
        sqs("InvalidAttributeName", "Unknown Attribute \(name).")
    }

    static func invalidAttributeValue(_ name: String, _ detail: String? = nil) -> AWSError {
        sqs("InvalidAttributeValue", "Invalid value for the parameter \(name).\(detail.map { " Reason: \($0)" } ?? "")")
    }

    static func receiptHandleIsInvalid(_ handle: String, reason: String = "The receipt handle is not valid") -> AWSError {
        sqs("ReceiptHandleIsInvalid", "The input receipt handle \"\(handle)\" is not a valid receipt handle. \(reason).")
    }

    static let receiptHandleExpired = sqs("ReceiptHandleIsInvalid", "The receipt handle has expired.")

    static func messageNotInflight() -> AWSError {
        sqs("MessageNotInflight", "The message referred to isn't in flight.", query: "AWS.SimpleQueueService.MessageNotInflight")
    }

    static func invalidMessageContents(_ message: String) -> AWSError {
        sqs("InvalidMessageContents", message)
    }

    static let emptyBatchRequest = sqs(
        "EmptyBatchRequest",
        "There should be at least one SendMessageBatchRequestEntry in the request.",
        query: "AWS.SimpleQueueService.EmptyBatchRequest"
    )

    static func emptyBatch(_ entry: String) -> AWSError {
        sqs("EmptyBatchRequest", "There should be at least one \(entry) in the request.", query: "AWS.SimpleQueueService.EmptyBatchRequest")
    }

    static func tooManyEntries(_ count: Int) -> AWSError {
        sqs(
            "TooManyEntriesInBatchRequest",
            "Maximum number of entries per request are 10. You have sent \(count).",
            query: "AWS.SimpleQueueService.TooManyEntriesInBatchRequest"
        )
    }

    static func batchEntryIdsNotDistinct(_ id: String) -> AWSError {
        sqs("BatchEntryIdsNotDistinct", "Id \(id) repeated.", query: "AWS.SimpleQueueService.BatchEntryIdsNotDistinct")
    }

    static func invalidBatchEntryId(_ id: String) -> AWSError {
        sqs(
            "InvalidBatchEntryId",
            "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.",
            query: "AWS.SimpleQueueService.InvalidBatchEntryId"
        )
    }

    static func batchRequestTooLong(_ size: Int, limit: Int) -> AWSError {
        sqs(
            "BatchRequestTooLong",
            "Batch requests cannot be longer than \(limit) bytes. You have sent \(size) bytes.",
            query: "AWS.SimpleQueueService.BatchRequestTooLong"
        )
    }

    static let purgeQueueInProgress = sqs(
        "PurgeQueueInProgress",
        "Only one PurgeQueue operation on the queue is allowed every 60 seconds.",
        query: "AWS.SimpleQueueService.PurgeQueueInProgress"
    )

    static func unsupportedOperation(_ message: String) -> AWSError {
        sqs("UnsupportedOperation", message, query: "AWS.SimpleQueueService.UnsupportedOperation")
    }

    static func resourceNotFound(_ message: String) -> AWSError {
        sqs("ResourceNotFoundException", message)
    }

    static func overLimit(_ message: String) -> AWSError {
        sqs("OverLimit", message)
    }
}
