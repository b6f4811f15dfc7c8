import Crypto

/// A flexible checksum (`x-amz-checksum-*`) computed over a body that arrives in pieces;
/// `value` is the same base64 text `ChecksumAlgorithm.digest` gives for the whole body.
package struct ChecksumAccumulator: Sendable {
    package let algorithm: ChecksumAlgorithm
    private var crc32: UInt32 = ~0
    private var crc64: UInt64 = ~0
    private var sha1 = Insecure.SHA1()
    private var sha256 = SHA256()

    package init(_ algorithm: ChecksumAlgorithm) {
        self.algorithm = algorithm
    }

    /// Adds the next piece of the body.
    package mutating func update(_ bytes: some Collection<UInt8>) {
        switch algorithm {
        case .crc32: crc32 = Self.run(crc32, bytes, CRC.crc32Table)
        case .crc32c: crc32 = Self.run(crc32, bytes, CRC.crc32cTable)
        case .crc64nvme:
            var crc = crc64
            let table = CRC.crc64Table
            for byte in bytes { crc = table[Int((crc ^ UInt64(byte)) & 0xFF)] ^ (crc >> 8) }
            crc64 = crc
        case .sha1:
            bytes.withContiguousStorageIfAvailable { sha1.update(bufferPointer: UnsafeRawBufferPointer($0)) } ?? sha1.update(data: Array(bytes))
        case .sha256:
            bytes.withContiguousStorageIfAvailable { sha256.update(bufferPointer: UnsafeRawBufferPointer($0)) } ?? sha256.update(data: Array(bytes))
        }
    }

    /// Base64 of the big-endian digest of everything added.
    package var value: String {
        switch algorithm {
        case .crc32, .crc32c: Base64.encode(withUnsafeBytes(of: (~crc32).bigEndian) { Array($0) })
        case .crc64nvme: Base64.encode(withUnsafeBytes(of: (~crc64).bigEndian) { Array($0) })
        case .sha1: Base64.encode(Array(sha1.finalize()))
        case .sha256: Base64.encode(Array(sha256.finalize()))
        }
    }

    private static func run(_ start: UInt32, _ bytes: some Collection<UInt8>, _ table: [UInt32]) -> UInt32 {
        var crc = start
        table.withUnsafeBufferPointer { table in
            if let done = bytes.withContiguousStorageIfAvailable({ buffer -> UInt32 in
                var value = crc
                for byte in buffer { value = table[Int((value ^ UInt32(byte)) & 0xFF)] ^ (value >> 8) }
                return value
            }) {
                crc = done
            } else {
                for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
            }
        }
        return crc
    }
}
