import NimbusCore

/// Queue names, URLs and ARNs.
///
/// A queue is addressed by `http://<host>:<port>/<account>/<name>`, built from the Host of the
/// request that asks for it; any URL whose last two path segments are an account and a queue
/// name addresses that queue, whatever its scheme and host (the SDK may rewrite hosts).
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-queue-message-identifiers.html
struct QueueKey: Hashable, Sendable {
    var account: String
    var name: String

    /// Whether the name is a FIFO queue's (`.fifo` suffix).
    var isFIFO: Bool { name.hasSuffix(".fifo") }
}

enum QueueName {
    static let maximumLength = 80

    /// Checks a queue name: 1–80 alphanumeric characters, hyphens or underscores, plus the
    /// `.fifo` suffix (counted in the 80) for a FIFO queue.
    static func validate(_ name: String, fifo: Bool) throws(AWSError) {
        let stem = fifo && name.hasSuffix(".fifo") ? name.dropLast(5) : Substring(name)
        let valid =
            !stem.isEmpty && name.utf8.count <= maximumLength
            && stem.utf8.allSatisfy { isNameByte($0) }
            && (fifo == name.hasSuffix(".fifo"))
        guard valid else {
            throw fifo
                ? .invalidParameterValue(
                    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length."
                )
                : .invalidParameterValue("Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 48 && byte <= 57) || (byte >= 65 && byte <= 90) || (byte >= 97 && byte <= 122) || byte == 45 || byte == 95
    }

    /// The account and name a queue URL addresses.
    /// - Throws: `InvalidAddress` when the URL has no `/<account>/<name>` path,
    ///   `QueueDoesNotExist` when its account or name cannot be a queue's.
    static func key(fromURL url: String) throws(AWSError) -> QueueKey {
        var path = Substring(url)
        if let colon = path.firstIndex(of: ":"), path[colon...].hasPrefix("://") {
            path = path[path.index(colon, offsetBy: 3)...]
            guard let slash = path.firstIndex(of: "/") else { throw invalidAddress(url) }
            path = path[slash...]
        }
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        guard segments.count >= 2 else { throw invalidAddress(url) }
        let account = String(segments[segments.count - 2])
        let name = String(segments[segments.count - 1])
        guard AccountContext.isValidAccountID(account), !name.isEmpty, name.utf8.count <= maximumLength else {
            throw AWSError.queueDoesNotExist
        }
        return QueueKey(account: account, name: name)
    }

    /// The key an SQS ARN (`arn:aws:sqs:<region>:<account>:<name>`) names, or `nil`.
    static func key(fromARN text: String) -> QueueKey? {
        guard let arn = ARN(text), arn.service == "sqs", !arn.account.isEmpty, !arn.resource.contains(":") else { return nil }
        return QueueKey(account: arn.account, name: arn.resource)
    }

    static func invalidAddress(_ url: String) -> AWSError {
        AWSError.sqs("InvalidAddress", "The address \(url) is not valid for this endpoint.")
    }

    /// `http://<host>/<account>/<name>`, with the host (and port) the client used.
    static func url(_ key: QueueKey, host: String?) -> String {
        "http://\(host ?? "localhost:4566")/\(key.account)/\(key.name)"
    }

    static func arn(_ key: QueueKey, account context: AccountContext) -> String {
        ARN(partition: context.partition, service: "sqs", region: context.region, account: key.account, resource: key.name).description
    }
}
