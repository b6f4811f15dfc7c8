import Crypto

/// The flexible checksums S3 clients send (`x-amz-checksum-<algorithm>`), as base64 of the
/// big-endian digest. See https://docs.aws.amazon.com/AmazonS3/latest/userguide/checking-object-integrity.html
package enum ChecksumAlgorithm: String, Sendable, CaseIterable {
    case crc32, crc32c, crc64nvme, sha1, sha256

    /// The header (or trailer) that carries this checksum.
    package var headerName: String { "x-amz-checksum-\(rawValue)" }

    /// The algorithm named by a header such as `x-amz-checksum-crc32`.
    package init?(headerName: String) {
        // Runs for every header of every request: reject without allocating first.
        guard headerName.utf8.count > 15, headerName.utf8.first == UInt8(ascii: "x") || headerName.utf8.first == UInt8(ascii: "X") else {
            return nil
        }
        let lowered = headerName.lowercased()
        guard lowered.hasPrefix("x-amz-checksum-") else { return nil }
        self.init(rawValue: String(lowered.dropFirst(15)))
    }

    /// Base64 of the digest of `bytes`.
    package func digest(_ bytes: [UInt8]) -> String {
        switch self {
        case .crc32: Base64.encode(bigEndian(CRC.crc32(bytes)))
        case .crc32c: Base64.encode(bigEndian(CRC.crc32c(bytes)))
        case .crc64nvme: Base64.encode(bigEndian(CRC.crc64nvme(bytes)))
        case .sha1: Base64.encode(Array(Insecure.SHA1.hash(data: bytes)))
        case .sha256: Base64.encode(Array(SHA256.hash(data: bytes)))
        }
    }

    private func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}

/// Table-driven reflected CRCs.
enum CRC {
    private static func table32(_ polynomial: UInt32) -> [UInt32] {
        (0..<256).map { index in
            var crc = UInt32(index)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ polynomial : crc >> 1 }
            return crc
        }
    }

    static let crc32Table = table32(0xEDB8_8320)
    static let crc32cTable = table32(0x82F6_3B78)
    static let crc64Table: [UInt64] = (0..<256).map { index in
        var crc = UInt64(index)
        for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0x9A6C_9329_AC4B_C9B5 : crc >> 1 }
        return crc
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 { run32(bytes, crc32Table) }
    static func crc32c(_ bytes: [UInt8]) -> UInt32 { run32(bytes, crc32cTable) }

    static func crc64nvme(_ bytes: [UInt8]) -> UInt64 {
        var crc: UInt64 = ~0
        for byte in bytes { crc = crc64Table[Int((crc ^ UInt64(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }

    private static func run32(_ bytes: [UInt8], _ table: [UInt32]) -> UInt32 {
        var crc: UInt32 = ~0
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xFF)] ^ (crc >> 8) }
        return ~crc
    }
}
