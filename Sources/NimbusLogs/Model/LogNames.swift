import NimbusCore

/// Log group and stream names: AWS's constraints, group identifiers (name or ARN) and ARNs.
/// See https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_CreateLogGroup.html
enum LogNames {
    static let maximumLength = 512

    /// Group names: 1–512 of `[\.\-_/#A-Za-z0-9]`.
    static func validateGroup(_ name: String, member: String = "logGroupName") throws(AWSError) {
        try validateLength(name, member: member)
        let allowed = name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
            case UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "/"), UInt8(ascii: "#"): true
            default: false
            }
        }
        guard allowed else {
            throw AWSError.constraint(name, at: member, #"Member must satisfy regular expression pattern: [\.\-_/#A-Za-z0-9]+"#)
        }
    }

    /// Stream names: 1–512 characters, neither `:` nor `*`.
    static func validateStream(_ name: String, member: String = "logStreamName") throws(AWSError) {
        try validateLength(name, member: member)
        guard !name.unicodeScalars.contains(where: { $0 == ":" || $0 == "*" }) else {
            throw AWSError.constraint(name, at: member, "Member must satisfy regular expression pattern: [^:*]*")
        }
    }

    private static func validateLength(_ name: String, member: String) throws(AWSError) {
        let length = name.unicodeScalars.count
        guard length >= 1 else { throw AWSError.constraint(name, at: member, "Member must have length greater than or equal to 1") }
        guard length <= maximumLength else {
            throw AWSError.constraint(name, at: member, "Member must have length less than or equal to \(maximumLength)")
        }
    }

    /// The group an operation names with `logGroupName` or `logGroupIdentifier` (a name or an
    /// ARN, with or without the trailing `:*`); exactly one of them must be given.
    static func group(name: String?, identifier: String?) throws(AWSError) -> String {
        switch (name, identifier) {
        case (let name?, nil):
            try validateGroup(name)
            return name
        case (nil, let identifier?):
            var text = Substring(identifier)
            if text.hasPrefix("arn:") {
                let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
                guard parts.count == 6, parts[2] == "logs", parts[5].hasPrefix("log-group:") else {
                    throw AWSError.invalidParameter("\(identifier) is not a log group ARN")
                }
                text = parts[5].dropFirst("log-group:".count)
                if text.hasSuffix(":*") { text = text.dropLast(2) }
            }
            try validateGroup(String(text), member: "logGroupIdentifier")
            return String(text)
        case (nil, nil):
            throw AWSError.invalidParameter("Either logGroupName or logGroupIdentifier must be specified.")
        case (_?, _?):
            throw AWSError.invalidParameter("LogGroup name and LogGroup ARN are mutually exclusive parameters.")
        }
    }

    /// `arn:aws:logs:<region>:<account>:log-group:<name>`, with `:*` when `wildcard` (the
    /// form `LogGroup.arn` has; `logGroupArn` has none).
    static func groupARN(_ name: String, account: AccountContext, wildcard: Bool) -> String {
        ARN(partition: account.partition, service: "logs", region: account.region, account: account.accountID, resource: "log-group:\(name)")
            .description + (wildcard ? ":*" : "")
    }

    static func streamARN(_ stream: String, group: String, account: AccountContext) -> String {
        groupARN(group, account: account, wildcard: false) + ":log-stream:\(stream)"
    }
}
