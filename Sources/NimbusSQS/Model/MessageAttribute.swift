import NimbusCore

/// One message attribute (or message system attribute) as sent: a data type and a value.
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html
struct MessageAttribute: Hashable, Sendable {
    var dataType: String
    var stringValue: String?
    var binaryValue: [UInt8]?
    var stringListValues: [String] = []
    var binaryListValues: [[UInt8]] = []

    /// Bytes the attribute counts toward the message size: its name, type and value.
    func size(name: String) -> Int {
        name.utf8.count + dataType.utf8.count + (stringValue?.utf8.count ?? 0) + (binaryValue?.count ?? 0)
            + stringListValues.reduce(0) { $0 + $1.utf8.count } + binaryListValues.reduce(0) { $0 + $1.count }
    }
}

/// AWS's rules for message attributes.
enum MessageAttributeRules {
    static let maximumCount = 10
    static let maximumNameLength = 256

    /// Checks user message attributes: at most 10, valid names and data types, a value that
    /// matches the type. Returns their size in bytes (counted toward the message's size).
    static func validate(_ attributes: [String: MessageAttribute]) throws(AWSError) -> Int {
        guard attributes.count <= maximumCount else {
            throw AWSError.invalidParameterValue(
                "Number of message attributes [\(attributes.count)] exceeds the allowed maximum [\(maximumCount)]."
            )
        }
        var size = 0
        for name in attributes.keys.sorted() {
            let attribute = attributes[name]!
            try validateName(name)
            try validateValue(attribute, name: name)
            size += attribute.size(name: name)
        }
        return size
    }

    static func validateName(_ name: String) throws(AWSError) {
        let lower = name.lowercased()
        let bytes = Array(name.utf8)
        let charactersValid = bytes.allSatisfy { QueueName.isNameByte($0) || $0 == UInt8(ascii: ".") }
        let periodsValid = bytes.first != UInt8(ascii: ".") && bytes.last != UInt8(ascii: ".") && !name.contains("..")
        guard !name.isEmpty, bytes.count <= maximumNameLength, charactersValid, periodsValid else {
            throw AWSError.invalidParameterValue(
                "Message (user) attribute name '\(name)' is invalid: names are 1 to 256 characters (A-Z, a-z, 0-9, '_', '-', '.'), and cannot start or end with a period or contain two periods in a row."
            )
        }
        guard !lower.hasPrefix("aws."), !lower.hasPrefix("amazon.") else {
            throw AWSError.invalidParameterValue(
                "You can't use message attribute names beginning with 'AWS.' or 'Amazon.'. These strings are reserved for internal use."
            )
        }
    }

    static func validateValue(_ attribute: MessageAttribute, name: String) throws(AWSError) {
        let type = attribute.dataType
        let base = type.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? ""
        guard ["String", "Number", "Binary"].contains(base), type.utf8.count <= maximumNameLength, !type.hasSuffix(".") else {
            throw AWSError.invalidParameterValue(
                "The type of message (user) attribute '\(name)' is invalid. You must use only the following supported type prefixes: Binary, Number, String."
            )
        }
        let empty = AWSError.invalidParameterValue(
            "The message attribute '\(name)' must contain non-empty message attribute value for message attribute type '\(base)'."
        )
        if base == "Binary" {
            guard let binary = attribute.binaryValue, !binary.isEmpty else { throw empty }
            guard attribute.stringValue == nil else { throw mismatched(name, base) }
        } else {
            guard let string = attribute.stringValue, !string.isEmpty else { throw empty }
            guard attribute.binaryValue == nil else { throw mismatched(name, base) }
            if let bad = MessageBody.firstInvalidScalar(string) {
                throw AWSError.invalidParameterValue(
                    "Message (user) attribute '\(name)' value contains invalid binary character '#x\(String(bad.value, radix: 16, uppercase: true))'."
                )
            }
            if base == "Number" {
                guard Double(string.trimmingSpaces) != nil else {
                    throw AWSError.invalidParameterValue("Can't cast the value of message (user) attribute '\(name)' to a number.")
                }
            }
        }
    }

    private static func mismatched(_ name: String, _ base: String) -> AWSError {
        AWSError.invalidParameterValue("Message (user) attribute '\(name)' has a value that does not match its type '\(base)'.")
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var text = Substring(self)
        while text.first == " " { text.removeFirst() }
        while text.last == " " { text.removeLast() }
        return text
    }
}
