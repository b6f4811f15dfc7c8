import Crypto
import NimbusCore

/// The MD5 digests SQS returns so clients can check what it stored, computed exactly as AWS
/// does: of the body's UTF-8 bytes, and of the attributes in AWS's binary encoding.
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/SQSDeveloperGuide/sqs-message-metadata.html#sqs-attributes-md5-message-digest-calculation
enum MessageDigest {
    static func body(_ text: String) -> String {
        Hex.encode(Insecure.MD5.hash(data: Array(text.utf8)))
    }

    /// The digest of `attributes`, or `nil` when there are none: for each attribute in name
    /// order, its name, its data type, a transport byte (1 string, 2 binary, 3 string list,
    /// 4 binary list) and its value, each string or binary preceded by its length as 4
    /// big-endian bytes.
    static func attributes(_ attributes: [String: MessageAttribute]) -> String? {
        guard !attributes.isEmpty else { return nil }
        var bytes: [UInt8] = []
        for name in attributes.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            let attribute = attributes[name]!
            append(Array(name.utf8), to: &bytes)
            append(Array(attribute.dataType.utf8), to: &bytes)
            if let string = attribute.stringValue {
                bytes.append(1)
                append(Array(string.utf8), to: &bytes)
            } else if let binary = attribute.binaryValue {
                bytes.append(2)
                append(binary, to: &bytes)
            } else if !attribute.stringListValues.isEmpty {
                bytes.append(3)
                for string in attribute.stringListValues { append(Array(string.utf8), to: &bytes) }
            } else if !attribute.binaryListValues.isEmpty {
                bytes.append(4)
                for binary in attribute.binaryListValues { append(binary, to: &bytes) }
            }
        }
        return Hex.encode(Insecure.MD5.hash(data: bytes))
    }

    private static func append(_ value: [UInt8], to bytes: inout [UInt8]) {
        let count = UInt32(value.count)
        bytes += [UInt8(count >> 24), UInt8((count >> 16) & 0xFF), UInt8((count >> 8) & 0xFF), UInt8(count & 0xFF)]
        bytes += value
    }
}
