import NimbusCore
import NimbusWire

/// One statement of a function's resource policy, as AWS writes it for `AddPermission`:
/// `{"Sid", "Effect": "Allow", "Principal", "Action", "Resource", "Condition"}`.
struct PolicyStatement {
    let json: JSONValue

    /// - Throws: AWS's validation errors for a malformed statement id, action or principal.
    init(_ input: LambdaShapes.AddPermissionRequest, resource: String) throws(AWSError) {
        let sid = input.statementId
        guard (1...100).contains(sid.utf8.count),
            sid.utf8.allSatisfy({ ($0 >= 48 && $0 <= 57) || ($0 >= 65 && $0 <= 90) || ($0 >= 97 && $0 <= 122) || $0 == 45 || $0 == 95 || $0 == 46 })
        else {
            throw .validation(
                "1 validation error detected: Value '\(sid)' at 'statementId' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: ([a-zA-Z0-9-_.]+)"
            )
        }
        let action = input.action
        let actionName = action.hasPrefix("lambda:") ? String(action.dropFirst("lambda:".count)) : nil
        guard action == "*" || actionName == "*" || (actionName.map { !$0.isEmpty && $0.allSatisfy(\.isLetter) } ?? false) else {
            throw .validation(
                "1 validation error detected: Value '\(action)' at 'action' failed to satisfy constraint: "
                    + "Member must satisfy regular expression pattern: (lambda:[*]|lambda:[a-zA-Z]+|[*])"
            )
        }
        var condition: [String: JSONValue] = [:]
        var equals: [String: JSONValue] = [:]
        if let account = input.sourceAccount { equals["AWS:SourceAccount"] = .string(account) }
        if let organization = input.principalOrgID { equals["aws:PrincipalOrgID"] = .string(organization) }
        if let token = input.eventSourceToken { equals["lambda:EventSourceToken"] = .string(token) }
        if let authType = input.functionUrlAuthType { equals["lambda:FunctionUrlAuthType"] = .string(authType) }
        if !equals.isEmpty { condition["StringEquals"] = .object(equals) }
        if let source = input.sourceArn { condition["ArnLike"] = .object(["AWS:SourceArn": .string(source)]) }
        var statement: [String: JSONValue] = [
            "Sid": .string(sid),
            "Effect": .string("Allow"),
            "Principal": try Self.principal(input.principal),
            "Action": .string(action),
            "Resource": .string(resource),
        ]
        if !condition.isEmpty { statement["Condition"] = .object(condition) }
        json = .object(statement)
    }

    /// `*`, a service (`s3.amazonaws.com`), an account id (as its root ARN) or an ARN.
    private static func principal(_ text: String) throws(AWSError) -> JSONValue {
        if text == "*" { return .string("*") }
        if text.hasSuffix(".amazonaws.com") || text.hasSuffix(".amazonaws.com.cn") { return .object(["Service": .string(text)]) }
        if text.utf8.count == 12, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) {
            return .object(["AWS": .string("arn:aws:iam::\(text):root")])
        }
        if text.hasPrefix("arn:") { return .object(["AWS": .string(text)]) }
        throw .invalidParameter("The provided principal was invalid. Please check the principal and try again.")
    }

    /// The `Sid` of a stored statement.
    static func id(of statement: JSONValue) -> String? {
        guard case .object(let members) = statement, case .string(let sid)? = members["Sid"] else { return nil }
        return sid
    }
}
