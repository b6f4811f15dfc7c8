import NimbusCore

/// The errors the Lambda API answers with, as AWS names them.
/// See https://docs.aws.amazon.com/lambda/latest/api/API_CreateFunction.html#API_CreateFunction_Errors
extension AWSError {
    static func invalidParameter(_ message: String) -> AWSError {
        AWSError(code: "InvalidParameterValueException", message: message)
    }

    static func functionNotFound(_ arn: String) -> AWSError {
        AWSError(code: "ResourceNotFoundException", status: 404, message: "Function not found: \(arn)")
    }

    static func functionExists(_ name: String) -> AWSError {
        AWSError(code: "ResourceConflictException", status: 409, message: "Function already exist: \(name)")
    }
}
