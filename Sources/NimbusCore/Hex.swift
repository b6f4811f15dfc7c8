/// Lowercase hexadecimal, the way AWS prints digests (ETags, `CodeSha256`'s hex forms, SigV4
/// hashes, SQS's MD5s).
package enum Hex {
    /// `bytes` as two lowercase hex digits each.
    ///
    /// Inlinable so that each caller gets a version specialized for its sequence type (a
    /// digest, an array): the digits are written straight into the string's storage.
    @inlinable
    package static func encode(_ bytes: some Sequence<UInt8>) -> String {
        if let text = bytes.withContiguousStorageIfAvailable({ encode(UnsafeRawBufferPointer($0)) }) { return text }
        return Array(bytes).withUnsafeBytes { encode($0) }
    }

    /// The bytes of `buffer` as two lowercase hex digits each.
    package static func encode(_ buffer: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: buffer.count * 2) { out in
            for (index, byte) in buffer.enumerated() {
                out[2 * index] = digit(byte >> 4)
                out[2 * index + 1] = digit(byte & 0x0F)
            }
            return buffer.count * 2
        }
    }

    private static func digit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
