package import Crypto
import NimbusCore

/// S3 entity tags: the hex MD5 of a single-part object, and for a multipart object the MD5
/// of the concatenated binary MD5s of its parts followed by `-<part count>`; always quoted.
package enum ETag {
    /// `"<hex md5>"` of a finished digest.
    package static func quoted(_ digest: Insecure.MD5.Digest) -> String {
        "\"" + Hex.encode(digest) + "\""
    }

    /// The multipart ETag of parts whose (quoted or bare) hex ETags are `parts`, in order;
    /// `nil` if one is not a hex MD5.
    package static func multipart(_ parts: [String]) -> String? {
        var hasher = Insecure.MD5()
        for part in parts {
            guard let bytes = bytes(ofHex: part.trimming("\"")), bytes.count == 16 else { return nil }
            hasher.update(data: bytes)
        }
        return "\"" + Hex.encode(hasher.finalize()) + "-\(parts.count)\""
    }

    static func bytes(ofHex text: String) -> [UInt8]? {
        let utf8 = Array(text.utf8)
        guard utf8.count % 2 == 0 else { return nil }
        var result: [UInt8] = []
        var index = 0
        while index < utf8.count {
            guard let high = nibble(utf8[index]), let low = nibble(utf8[index + 1]) else { return nil }
            result.append(high << 4 | low)
            index += 2
        }
        return result
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

/// An MD5 fed in pieces whose result is a quoted ETag.
struct MD5Accumulator {
    private var hasher = Insecure.MD5()

    mutating func update(_ bytes: [UInt8]) { hasher.update(data: bytes) }

    var quoted: String { ETag.quoted(hasher.finalize()) }
}
