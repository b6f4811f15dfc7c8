/// An Amazon Resource Name: `arn:partition:service:region:account:resource`.
///
/// See https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html
package struct ARN: Hashable, Sendable, CustomStringConvertible {
    package var partition: String
    package var service: String
    package var region: String
    package var account: String
    /// Everything after the fifth colon, e.g. `function:my-fn:prod` or `my-queue`.
    package var resource: String

    package init(partition: String = "aws", service: String, region: String, account: String, resource: String) {
        self.partition = partition
        self.service = service
        self.region = region
        self.account = account
        self.resource = resource
    }

    /// Parses an ARN; `nil` when the text has fewer than six colon-separated parts,
    /// does not start with `arn`, or has an empty partition, service or resource.
    package init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, !parts[2].isEmpty, !parts[5].isEmpty else {
            return nil
        }
        self.init(
            partition: String(parts[1]),
            service: String(parts[2]),
            region: String(parts[3]),
            account: String(parts[4]),
            resource: String(parts[5])
        )
    }

    package var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }
}
