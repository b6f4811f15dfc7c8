import NimbusCore

/// The errors the CloudWatch Logs API answers with, as AWS names and words them.
/// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/CommonErrors.html
extension AWSError {
    /// A parameter is missing, malformed or out of range (AWS Logs uses this code where other
    /// services say `ValidationException`).
    static func invalidParameter(_ message: String) -> AWSError {
        AWSError(code: "InvalidParameterException", message: message)
    }

    /// AWS's wording for a value that breaks a model constraint.
    static func constraint(_ value: String, at member: String, _ constraint: String) -> AWSError {
        invalidParameter("1 validation error detected: Value '\(value)' at '\(member)' failed to satisfy constraint: \(constraint)")
    }

    static let logGroupNotFound = AWSError(code: "ResourceNotFoundException", message: "The specified log group does not exist.")

    static let logStreamNotFound = AWSError(code: "ResourceNotFoundException", message: "The specified log stream does not exist.")

    static let logGroupExists = AWSError(code: "ResourceAlreadyExistsException", message: "The specified log group already exists")

    static let logStreamExists = AWSError(code: "ResourceAlreadyExistsException", message: "The specified log stream already exists")

    static let invalidNextToken = AWSError.invalidParameter("The specified nextToken is invalid.")
}
