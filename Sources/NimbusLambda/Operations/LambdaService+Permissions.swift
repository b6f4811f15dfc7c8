import Foundation
import NimbusCore
package import NimbusWire

/// Resource policies: who may invoke a function (`AddPermission`). Nimbus stores them in
/// AWS's JSON shape so other services and a later IAM layer can evaluate them.
extension LambdaService {
    /// See https://docs.aws.amazon.com/lambda/latest/api/API_AddPermission.html
    package func addPermission(_ input: LambdaShapes.AddPermissionRequest, context: RequestContext) async throws -> LambdaShapes.AddPermissionResponse
    {
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        let resource = try await policyResource(name, account: context.account)
        let statement = try PolicyStatement(input, resource: resource.arn)
        let json = statement.json
        try await functions.editPolicy(of: name.name, qualifier: resource.qualifier, newRevision: UUID().uuidString.lowercased()) { current in
            try Self.checkRevision(input.revisionId, of: current?.revisionID)
            let statements = current?.statements ?? []
            guard !statements.contains(where: { PolicyStatement.id(of: $0) == input.statementId }) else {
                throw AWSError(
                    code: "ResourceConflictException",
                    status: 409,
                    message:
                        "The statement id (\(input.statementId)) provided already exists. Please provide a new statement id, or remove the existing statement."
                )
            }
            return statements + [json]
        }
        return .init(statement: String(decoding: JSONWriter.encode(json), as: UTF8.self))
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_RemovePermission.html
    package func removePermission(_ input: LambdaShapes.RemovePermissionRequest, context: RequestContext) async throws {
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        let resource = try await policyResource(name, account: context.account)
        try await functions.editPolicy(of: name.name, qualifier: resource.qualifier, newRevision: UUID().uuidString.lowercased()) { current in
            try Self.checkRevision(input.revisionId, of: current?.revisionID)
            let statements = current?.statements ?? []
            guard statements.contains(where: { PolicyStatement.id(of: $0) == input.statementId }) else {
                throw AWSError(
                    code: "ResourceNotFoundException",
                    status: 404,
                    message: "Statement \(input.statementId) is not found in resource policy."
                )
            }
            return statements.filter { PolicyStatement.id(of: $0) != input.statementId }
        }
    }

    /// See https://docs.aws.amazon.com/lambda/latest/api/API_GetPolicy.html
    package func getPolicy(_ input: LambdaShapes.GetPolicyRequest, context: RequestContext) async throws -> LambdaShapes.GetPolicyResponse {
        let name = try FunctionName(input.functionName, account: context.account).qualified(by: input.qualifier)
        let resource = try await policyResource(name, account: context.account)
        guard let policy = try await functions.policy(of: name.name, qualifier: resource.qualifier) else {
            throw AWSError(code: "ResourceNotFoundException", status: 404, message: "The resource you requested does not exist.")
        }
        let document: JSONValue = .object([
            "Version": .string("2012-10-17"),
            "Id": .string("default"),
            "Statement": .array(policy.statements),
        ])
        return .init(policy: String(decoding: JSONWriter.encode(document), as: UTF8.self), revisionId: policy.revisionID)
    }

    /// The ARN a policy is attached to and its qualifier key ('' unqualified); the version or
    /// alias must exist.
    private func policyResource(_ name: FunctionName, account: AccountContext) async throws -> (arn: String, qualifier: String) {
        _ = try await resolve(name, account: account)
        guard let qualifier = name.qualifier, qualifier != "$LATEST" else { return (name.arn(in: account), "") }
        if case .alias(let alias) = Qualifier(qualifier), try await functions.alias(alias, of: name.name) == nil {
            throw AWSError.functionNotFound(name.invokedARN(in: account))
        }
        return (name.invokedARN(in: account), qualifier)
    }
}
