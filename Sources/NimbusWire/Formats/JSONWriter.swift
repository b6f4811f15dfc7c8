/// Writes JSON text into a byte buffer, escaping strings as RFC 8259 requires.
package struct JSONWriter {
    package private(set) var bytes: [UInt8] = []

    package init() {}

    package mutating func write(_ value: JSONValue) {
        switch value {
        case .null: append("null")
        case .bool(let flag): append(flag ? "true" : "false")
        case .number(let text): append(text)
        case .string(let text): writeString(text)
        case .array(let elements):
            openArray()
            for (position, element) in elements.enumerated() {
                if position > 0 { writeSeparator() }
                write(element)
            }
            closeArray()
        case .object(let members):
            // Keys in order, so that equal values give equal text; sorted with their values so
            // that no member is looked up again.
            openObject()
            for (position, member) in members.sorted(by: { $0.key < $1.key }).enumerated() {
                writeKey(member.key, first: position == 0)
                write(member.value)
            }
            closeObject()
        }
    }

    /// Starts an object; `writeKey` then a value for each member, then `closeObject`.
    package mutating func openObject() { bytes.append(UInt8(ascii: "{")) }

    package mutating func closeObject() { bytes.append(UInt8(ascii: "}")) }

    /// Writes a member's key and its colon, after a comma unless it is the object's `first`.
    package mutating func writeKey(_ key: String, first: Bool) {
        if !first { writeSeparator() }
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Starts an array; values separated by `writeSeparator`, then `closeArray`.
    package mutating func openArray() { bytes.append(UInt8(ascii: "[")) }

    package mutating func closeArray() { bytes.append(UInt8(ascii: "]")) }

    package mutating func writeSeparator() { bytes.append(UInt8(ascii: ",")) }

    /// Writes an object of string members in the order given; with keys in ascending order the
    /// text is the same as `write(.object(…))` gives, without building the dictionary.
    package mutating func writeObject(strings members: [(key: String, value: String)]) {
        openObject()
        for (position, member) in members.enumerated() {
            writeKey(member.key, first: position == 0)
            writeString(member.value)
        }
        closeObject()
    }

    package mutating func writeString(_ text: String) {
        bytes.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { utf8 in
            // Runs of bytes that need no escape are copied at once.
            var runStart = 0
            for (index, byte) in utf8.enumerated() where Self.needsEscape(byte) {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                writeEscaped(byte)
                runStart = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    private mutating func writeEscaped(_ byte: UInt8) {
        switch byte {
        case UInt8(ascii: "\""): append("\\\"")
        case UInt8(ascii: "\\"): append("\\\\")
        case 0x0A: append("\\n")
        case 0x0D: append("\\r")
        case 0x09: append("\\t")
        default:
            append("\\u00")
            bytes.append(Self.hexDigit(byte >> 4))
            bytes.append(Self.hexDigit(byte & 0xF))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    private mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// The JSON text of `value`.
    package static func encode(_ value: JSONValue) -> [UInt8] {
        var writer = JSONWriter()
        writer.write(value)
        return writer.bytes
    }
}
