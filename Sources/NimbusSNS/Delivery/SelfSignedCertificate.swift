import Foundation
import NimbusWire
import _CryptoExtras

/// A minimal X.509 v3 certificate for an RSA key, self-signed with SHA256withRSA, in DER,
/// so that SNS message signatures can be checked the way AWS's are: against the
/// certificate at `SigningCertURL`.
enum SelfSignedCertificate {
    /// The PEM of a certificate for `key` with common name `commonName`, valid from `notBefore` for `days`.
    static func pem(for key: _RSA.Signing.PrivateKey, commonName: String, notBefore: Double, days: Int) throws -> String {
        let name = DER.sequence([DER.set([DER.sequence([DER.oid([0x55, 0x04, 0x03]), DER.utf8String(commonName)])])])
        let algorithm = DER.sequence([DER.oid([0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x0B]), DER.null])
        var serial = Array(SHA256.hash(data: Array(key.publicKey.derRepresentation)).prefix(16))
        serial[0] &= 0x7F
        let tbs = DER.sequence([
            DER.explicit(0, DER.integer([2])),
            DER.integer(serial),
            algorithm,
            name,
            DER.sequence([DER.time(notBefore), DER.time(notBefore + Double(days) * 86_400)]),
            name,
            Array(key.publicKey.derRepresentation),
        ])
        let signature = try key.signature(for: SHA256.hash(data: tbs), padding: .insecurePKCS1v1_5)
        let certificate = DER.sequence([tbs, algorithm, DER.bitString(Array(signature.rawRepresentation))])
        let body = Base64.encode(certificate)
        var lines = ["-----BEGIN CERTIFICATE-----"]
        var index = body.startIndex
        while index < body.endIndex {
            let end = body.index(index, offsetBy: 64, limitedBy: body.endIndex) ?? body.endIndex
            lines.append(String(body[index..<end]))
            index = end
        }
        lines.append("-----END CERTIFICATE-----")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// The few DER encodings a certificate needs.
enum DER {
    static func element(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        var bytes = [tag]
        let count = content.count
        if count < 0x80 {
            bytes.append(UInt8(count))
        } else {
            var length: [UInt8] = []
            var remaining = count
            while remaining > 0 {
                length.insert(UInt8(remaining & 0xFF), at: 0)
                remaining >>= 8
            }
            bytes.append(0x80 | UInt8(length.count))
            bytes += length
        }
        return bytes + content
    }

    static func sequence(_ items: [[UInt8]]) -> [UInt8] { element(0x30, items.flatMap { $0 }) }
    static func set(_ items: [[UInt8]]) -> [UInt8] { element(0x31, items.flatMap { $0 }) }
    static func oid(_ encoded: [UInt8]) -> [UInt8] { element(0x06, encoded) }
    static let null: [UInt8] = [0x05, 0x00]
    static func utf8String(_ text: String) -> [UInt8] { element(0x0C, Array(text.utf8)) }
    static func bitString(_ bytes: [UInt8]) -> [UInt8] { element(0x03, [0] + bytes) }
    static func explicit(_ number: UInt8, _ content: [UInt8]) -> [UInt8] { element(0xA0 | number, content) }

    /// A non-negative integer from big-endian bytes (a leading zero added when the top bit is set).
    static func integer(_ bytes: [UInt8]) -> [UInt8] {
        var trimmed = Array(bytes.drop { $0 == 0 })
        if trimmed.isEmpty || trimmed[0] & 0x80 != 0 { trimmed.insert(0, at: 0) }
        return element(0x02, trimmed)
    }

    /// UTCTime before 2050, GeneralizedTime from then on (RFC 5280 §4.1.2.5).
    static func time(_ seconds: Double) -> [UInt8] {
        let date = Date(timeIntervalSince1970: seconds.rounded(.down))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        let year = parts.year ?? 1970
        let rest = two(parts.month) + two(parts.day) + two(parts.hour) + two(parts.minute) + two(parts.second) + "Z"
        if year < 2050 { return element(0x17, Array((two(year % 100) + rest).utf8)) }
        return element(0x18, Array((String(format: "%04d", year) + rest).utf8))
    }
}
