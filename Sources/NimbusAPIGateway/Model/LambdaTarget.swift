import Foundation
package import NimbusCore

/// The Lambda function an `AWS_PROXY` integration or a `REQUEST` authorizer invokes.
///
/// AWS accepts the function's ARN (optionally qualified by a version or alias) or the
/// API Gateway invocation URI that wraps it:
/// `arn:aws:apigateway:<region>:lambda:path/2015-03-31/functions/<function ARN>/invocations`.
package enum LambdaTarget {
    /// The function ARN inside `uri`, or `nil` when `uri` names no function.
    package static func functionARN(_ uri: String) -> ARN? {
        var text = uri
        if text.hasPrefix("arn:aws:apigateway:"), let start = text.range(of: "/functions/") {
            text = String(text[start.upperBound...])
            guard text.hasSuffix("/invocations") else { return nil }
            text.removeLast("/invocations".count)
        }
        guard let arn = ARN(text), arn.service == "lambda", arn.resource.hasPrefix("function:") else { return nil }
        let name = arn.resource.dropFirst("function:".count).split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(name.count), name.allSatisfy({ !$0.isEmpty }) else { return nil }
        return arn
    }
}
