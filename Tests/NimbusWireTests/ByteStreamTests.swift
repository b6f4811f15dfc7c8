import NimbusWire
import Testing

@Suite struct ByteStreamTests {
    @Test func aBufferStreamHandsOverWhatItHasNotYieldedOnce() async throws {
        let stream = ByteStream(bytes: [1, 2, 3])
        #expect(stream.takeBuffered() == [1, 2, 3])
        #expect(stream.takeBuffered() == [])
        #expect(try await stream.next() == nil, "taken bytes are not yielded again")

        let read = ByteStream(bytes: [4, 5])
        #expect(try await read.next() == [4, 5])
        #expect(read.takeBuffered() == [])
    }

    @Test func aPulledStreamHasNoBuffer() async throws {
        let stream = ByteStream { nil }
        #expect(stream.takeBuffered() == nil)
    }
}
