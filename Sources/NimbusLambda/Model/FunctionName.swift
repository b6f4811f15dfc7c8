import NimbusCore

/// A function named the ways the Lambda API accepts: `my-fn`, `my-fn:prod`,
/// `123456789012:function:my-fn`, or the full ARN `arn:aws:lambda:us-east-1:123456789012:function:my-fn[:qualifier]`.
struct FunctionName: Hashable {
    let name: String
    let qualifier: String?

    /// - Throws: `InvalidParameterValueException` when the text is none of the accepted forms,
    ///   or names another account or region.
    init(_ text: String, account: AccountContext) throws(AWSError) {
        var parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        if parts.first == "arn" {
            guard parts.count >= 7, parts[2] == "lambda", parts[5] == "function" else {
                throw .invalidParameter("The function ARN \(text) is not valid")
            }
            guard parts[3] == account.region, parts[4] == account.accountID else {
                throw .invalidParameter("The function \(text) is not in account \(account.accountID), region \(account.region)")
            }
            parts = Array(parts[6...])
        } else if parts.count >= 3, parts[1] == "function" {
            guard parts[0] == account.accountID else { throw .invalidParameter("The function \(text) is not in account \(account.accountID)") }
            parts = Array(parts[2...])
        }
        guard (1...2).contains(parts.count), Self.isValidName(parts[0]) else {
            throw .invalidParameter(
                "1 validation error detected: Value '\(text)' at 'functionName' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: [a-zA-Z0-9-_]+ (64 characters at most)"
            )
        }
        name = parts[0]
        qualifier = parts.count == 2 ? parts[1] : nil
    }

    static func isValidName(_ name: String) -> Bool {
        (1...64).contains(name.utf8.count)
            && name.utf8.allSatisfy { ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 }
    }

    func arn(in account: AccountContext) -> String {
        ARN(partition: account.partition, service: "lambda", region: account.region, account: account.accountID, resource: "function:\(name)")
            .description
    }

    /// The ARN the function was invoked by: qualified when the name carried a qualifier.
    func invokedARN(in account: AccountContext) -> String {
        qualifier.map { "\(arn(in: account)):\($0)" } ?? arn(in: account)
    }
}
