/// S3's general-purpose bucket naming rules
/// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html).
package enum BucketName {
    private static let reservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"]
    private static let reservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"]

    /// Whether `name` may name a new bucket: 3–63 characters of lower-case letters, digits,
    /// dots and hyphens; starting and ending with a letter or digit; no two adjacent dots;
    /// not shaped like an IPv4 address; none of AWS's reserved prefixes and suffixes.
    package static func isValid(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else { return false }
        func alphanumeric(_ byte: UInt8) -> Bool {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        }
        guard alphanumeric(bytes[0]), alphanumeric(bytes[bytes.count - 1]) else { return false }
        for (index, byte) in bytes.enumerated() {
            guard alphanumeric(byte) || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".") else { return false }
            if byte == UInt8(ascii: "."), index > 0, bytes[index - 1] == UInt8(ascii: ".") { return false }
        }
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isNumber) }) { return false }
        if reservedPrefixes.contains(where: name.hasPrefix) || reservedSuffixes.contains(where: name.hasSuffix) { return false }
        return true
    }
}
