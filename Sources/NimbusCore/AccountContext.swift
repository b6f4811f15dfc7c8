/// The account and region a Nimbus server plays, as `--account-id` and `--region` set them.
package struct AccountContext: Hashable, Sendable {
    /// The 12-digit account id, e.g. `000000000000`.
    package var accountID: String
    /// The region name, e.g. `us-east-1`.
    package var region: String
    /// The partition, `aws` unless the region says otherwise.
    package var partition: String

    package init(accountID: String = "000000000000", region: String = "us-east-1") {
        self.accountID = accountID
        self.region = region
        self.partition = Self.partition(of: region)
    }

    /// Whether `text` is a valid AWS account id: exactly 12 digits.
    package static func isValidAccountID(_ text: String) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    /// Whether `text` looks like a region name (`xx-name-1`, lower-case letters, digits and dashes).
    package static func isValidRegion(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        let allowed = text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
        return allowed && parts.count >= 3 && parts.allSatisfy { !$0.isEmpty } && parts.last!.allSatisfy(\.isNumber)
    }

    private static func partition(of region: String) -> String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        return "aws"
    }
}
