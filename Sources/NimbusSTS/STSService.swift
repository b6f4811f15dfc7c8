import NimbusCore
package import NimbusWire

/// AWS Security Token Service: tells callers who they are.
///
/// SDKs and the AWS CLI call `GetCallerIdentity` to check credentials before other work.
/// In open mode every caller is the account's root; with verified signatures the caller is
/// the IAM user named by the credentials file's profile.
package struct STSService: ServiceHandler, STSOperations {
    package let serviceName = "sts"

    package init() {}

    /// See https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html
    package func getCallerIdentity(
        _ input: STSShapes.GetCallerIdentityRequest,
        context: RequestContext
    ) async throws -> STSShapes.GetCallerIdentityResponse {
        let account = context.account
        guard let principal = context.caller.principal else {
            let root = ARN(partition: account.partition, service: "iam", region: "", account: account.accountID, resource: "root")
            return .init(account: account.accountID, arn: root.description, userId: account.accountID)
        }
        let user = ARN(partition: account.partition, service: "iam", region: "", account: account.accountID, resource: "user/\(principal)")
        return .init(account: account.accountID, arn: user.description, userId: context.caller.accessKeyID ?? principal)
    }
}
