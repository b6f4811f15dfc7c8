import Crypto
import NimbusWire
import Testing

@testable import NimbusS3

@Suite struct DigestPipelineTests {
    /// Chunks hashed on other threads still hash in order: the result is the one-shot digest.
    @Test func theDigestOfChunksHashedAsideIsTheDigestOfTheWhole() async throws {
        var generator = SystemRandomNumberGenerator()
        let chunks = (0..<200).map { index in (0..<(index * 97 % 5_000)).map { _ in UInt8.random(in: 0...255, using: &generator) } }
        let whole = chunks.flatMap { $0 }
        let algorithm = try #require(ChecksumAlgorithm(rawValue: "crc32c"))
        var inline = BodyDigest(checksum: ChecksumAccumulator(algorithm))
        inline.update(Array(chunks[0]))
        var pipeline = DigestPipeline(continuing: inline)
        for chunk in chunks.dropFirst() { await pipeline.add(chunk) }
        let digest = await pipeline.finish()
        #expect(Array(digest.md5.finalize()) == Array(Insecure.MD5.hash(data: whole)))
        var expected = ChecksumAccumulator(algorithm)
        expected.update(whole)
        #expect(digest.checksum?.value == expected.value)
    }
}
