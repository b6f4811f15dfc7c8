/// The characters a message may carry: XML's, as AWS documents them,
/// `#x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF`.
/// See https://docs.aws.amazon.com/AWSSimpleQueueService/latest/APIReference/API_SendMessage.html
enum MessageBody {
    /// The first character outside the allowed set, or `nil` when every character is allowed.
    static func firstInvalidScalar(_ text: String) -> Unicode.Scalar? {
        // Fast path: ASCII text only needs its control characters checked.
        var ascii = true
        for byte in text.utf8 {
            if byte >= 0x80 {
                ascii = false
                break
            }
            if byte < 0x20, byte != 0x09, byte != 0x0A, byte != 0x0D { return Unicode.Scalar(byte) }
        }
        if ascii { return nil }
        for scalar in text.unicodeScalars where !isAllowed(scalar.value) { return scalar }
        return nil
    }

    static func isAllowed(_ value: UInt32) -> Bool {
        switch value {
        case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: true
        default: false
        }
    }

    /// AWS's message for a body with a forbidden character.
    static func invalidMessage(_ scalar: Unicode.Scalar) -> String {
        "Invalid binary character '#x\(String(scalar.value, radix: 16, uppercase: true))' was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF"
    }
}
