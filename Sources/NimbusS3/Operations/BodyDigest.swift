import Crypto
import NimbusWire

/// The digests of a body: its MD5 (the ETag, and `Content-MD5`'s check) and the additional
/// checksum the client asked for.
struct BodyDigest: Sendable {
    var md5 = Insecure.MD5()
    var checksum: ChecksumAccumulator?

    mutating func update(_ chunk: [UInt8]) {
        md5.update(data: chunk)
        checksum?.update(chunk)
    }
}

/// Hashes a large body's chunks in order on Swift's global executor while the request's own
/// task reads the next chunk from the socket and writes this one to the disk: MD5 runs at
/// about the disk's speed on one core here, so done in line it halves an upload's rate.
///
/// At most two chunks wait to be hashed (`add` waits for the one before the last), so a slow
/// hash slows the upload down instead of holding its body in memory.
struct DigestPipeline {
    private var latest: Task<BodyDigest, Never>
    private var previous: Task<BodyDigest, Never>?

    /// Continues from `digest`, what the chunks before were hashed to.
    init(continuing digest: BodyDigest) {
        latest = Task.detached { digest }
    }

    mutating func add(_ chunk: [UInt8]) async {
        if let previous { _ = await previous.value }
        let before = latest
        previous = before
        latest = Task.detached {
            var digest = await before.value
            digest.update(chunk)
            return digest
        }
    }

    /// The digest of every chunk added.
    func finish() async -> BodyDigest {
        await latest.value
    }
}
