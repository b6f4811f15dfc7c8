import NimbusCore

/// The errors the API Gateway v2 control plane answers with, as its model defines them.
/// See https://docs.aws.amazon.com/apigatewayv2/latest/api-reference/errors.html
extension AWSError {
    /// `BadRequestException` (400): a parameter AWS would refuse.
    static func badRequest(_ message: String) -> AWSError {
        AWSError(code: "BadRequestException", status: 400, message: message)
    }

    /// `NotFoundException` (404) for a missing resource of `kind` (`Api`, `Route`…).
    static func notFound(_ kind: String, _ identifier: String) -> AWSError {
        AWSError(
            code: "NotFoundException",
            status: 404,
            message: "Invalid \(kind) identifier specified \(identifier)",
            details: ["ResourceType": kind]
        )
    }

    /// `ConflictException` (409): the resource exists already.
    static func conflict(_ message: String) -> AWSError {
        AWSError(code: "ConflictException", status: 409, message: message)
    }
}
