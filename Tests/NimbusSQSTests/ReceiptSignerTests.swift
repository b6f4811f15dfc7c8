import NimbusWire
import Testing

@testable import NimbusSQS

@Suite struct ReceiptSignerTests {
    let signer = ReceiptSigner(key: Array(repeating: 7, count: 32))
    let handle = ReceiptHandle(queue: 3, sequence: 1_234_567, receipt: 42)

    @Test func aHandleDecodesToWhatWasEncoded() {
        #expect(signer.decode(signer.encode(handle)) == handle)
        // The same handle signs the same way every time (the keyed MAC is copied, not consumed).
        #expect(signer.encode(handle) == signer.encode(handle))
    }

    @Test func anAlteredHandleIsRejected() throws {
        var bytes = try #require(Base64.decode(signer.encode(handle)))
        for index in [1, 12, 30] {
            var altered = bytes
            altered[index] ^= 1
            #expect(signer.decode(Base64.encode(altered)) == nil)
        }
        bytes.removeLast()
        #expect(signer.decode(Base64.encode(bytes)) == nil)
    }

    @Test func aHandleFromAnotherKeyIsRejected() {
        let other = ReceiptSigner(key: Array(repeating: 8, count: 32))
        #expect(other.decode(signer.encode(handle)) == nil)
    }
}
