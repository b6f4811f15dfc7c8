import Crypto
import NimbusWire

/// A receipt handle's content: which receive of which message of which queue it is for.
///
/// The handle a client sees is opaque: these three numbers and an HMAC-SHA256 tag under a key
/// kept in the store, in base64. A forged or altered handle fails the tag; a genuine one
/// names its receive exactly, so a handle from an earlier receive of the same message is
/// recognised as stale. The key persists, so handles stay valid across restarts.
struct ReceiptHandle: Hashable, Sendable {
    var queue: Int64
    var sequence: Int64
    var receipt: Int64
}

/// Signs and checks receipt handles.
struct ReceiptSigner: Sendable {
    private static let version: UInt8 = 1
    private static let tagLength = 16
    /// The MAC with the key already absorbed: each handle copies it and adds only its own bytes.
    private let keyed: HMAC<SHA256>

    init(key: [UInt8]) {
        keyed = HMAC<SHA256>(key: SymmetricKey(data: key))
    }

    /// A fresh random key, in base64, for the store's settings.
    static func makeKey() -> String {
        Base64.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }

    func encode(_ handle: ReceiptHandle) -> String {
        var bytes: [UInt8] = [Self.version]
        for value in [handle.queue, handle.sequence, handle.receipt] {
            withUnsafeBytes(of: value.bigEndian) { bytes += $0 }
        }
        bytes += tag(bytes)
        return Base64.encode(bytes)
    }

    /// The handle `text` encodes, or `nil` when it is not one this server issued.
    func decode(_ text: String) -> ReceiptHandle? {
        guard text.utf8.count < 128, let bytes = Base64.decode(text), bytes.count == 25 + Self.tagLength, bytes[0] == Self.version else {
            return nil
        }
        let body = bytes[0..<25]
        guard constantTimeEqual(tag(Array(body)), Array(bytes[25...])) else { return nil }
        func number(at offset: Int) -> Int64 {
            bytes[offset..<offset + 8].reduce(Int64(0)) { ($0 << 8) | Int64($1) }
        }
        return ReceiptHandle(queue: number(at: 1), sequence: number(at: 9), receipt: number(at: 17))
    }

    private func tag(_ body: [UInt8]) -> [UInt8] {
        var mac = keyed
        mac.update(data: body)
        return Array(mac.finalize().prefix(Self.tagLength))
    }

    private func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
        guard lhs.count == rhs.count else { return false }
        return zip(lhs, rhs).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
