package import NimbusCore
import NimbusWire

/// Bucket policies as S3 checks them on PutBucketPolicy: a JSON document of statements, each
/// with an effect, a principal, actions and resources. Nimbus stores the policy; it does not
/// enforce it.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucket-policies.html
package enum BucketPolicy {
    /// S3's limit on a bucket policy (20 KB).
    static let maximumSize = 20 * 1024

    /// - Throws: `MalformedPolicy` with S3's message for what is wrong.
    package static func validate(_ text: String) throws(AWSError) {
        guard text.utf8.count <= maximumSize else { throw malformed("Policy exceeds the maximum allowed document size.") }
        guard text.first == "{", case .object(let document)? = try? JSONParser.parse(Array(text.utf8)) else {
            throw malformed("Policies must be valid JSON and the first byte must be '{'")
        }
        if let version = document["Version"] {
            guard version == .string("2012-10-17") || version == .string("2008-10-17") else {
                throw malformed("The policy must contain a valid version string")
            }
        }
        let statements: [JSONValue]
        switch document["Statement"] {
        case .array(let list)? where !list.isEmpty: statements = list
        case .object?: statements = [document["Statement"]!]
        default: throw malformed("Missing required field Statement")
        }
        for statement in statements {
            guard case .object(let fields) = statement else { throw malformed("Statement is not an object") }
            guard case .string(let effect)? = fields["Effect"] else { throw malformed("Missing required field Effect") }
            guard effect == "Allow" || effect == "Deny" else { throw malformed("Invalid effect: \(effect)") }
            guard fields["Principal"] != nil || fields["NotPrincipal"] != nil else { throw malformed("Missing required field Principal") }
            guard fields["Action"] != nil || fields["NotAction"] != nil else { throw malformed("Missing required field Action") }
            guard fields["Resource"] != nil || fields["NotResource"] != nil else { throw malformed("Missing required field Resource") }
            for action in strings(fields["Action"] ?? fields["NotAction"]!) where !(action == "*" || action.hasPrefix("s3:")) {
                throw malformed("Policy has invalid action")
            }
            guard !strings(fields["Resource"] ?? fields["NotResource"]!).isEmpty else { throw malformed("Policy has an empty resource") }
        }
    }

    private static func strings(_ value: JSONValue) -> [String] {
        switch value {
        case .string(let text): [text]
        case .array(let list): list.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: []
        }
    }

    private static func malformed(_ message: String) -> AWSError {
        AWSError(code: "MalformedPolicy", message: message)
    }
}
