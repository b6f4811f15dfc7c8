import NimbusCore
import Synchronization

/// A body that arrives or leaves in chunks: S3 objects stream between the socket and disk
/// through it, so no request or response holds a whole object in memory.
///
/// Pull-based and single-consumer: `next()` returns the following chunk, `nil` at the end,
/// and throws when the source fails (a dropped connection, a bad checksum). The edge builds
/// one from its HTTP body; services read it; wrappers (aws-chunked decoding, checksums) chain.
package struct ByteStream: Sendable {
    private let pull: @Sendable () async throws -> [UInt8]?
    /// The unread bytes of a stream made from one buffer; `nil` for other streams.
    private let buffer: Buffer?

    /// The bytes of a buffer stream, shared by its pull closure and `takeBuffered`.
    private final class Buffer: Sendable {
        let bytes: Mutex<[UInt8]?>

        init(_ bytes: [UInt8]) { self.bytes = Mutex(bytes.isEmpty ? nil : bytes) }

        func take() -> [UInt8]? {
            bytes.withLock { value in
                defer { value = nil }
                return value
            }
        }
    }

    /// A stream whose chunks come from `next`, called until it returns `nil`.
    package init(next: @escaping @Sendable () async throws -> [UInt8]?) {
        pull = next
        buffer = nil
    }

    /// A stream of the bytes of one buffer (for bodies already in memory).
    package init(bytes: [UInt8]) {
        let state = Buffer(bytes)
        pull = { state.take() }
        buffer = state
    }

    /// For a stream made from one buffer (`init(bytes:)`), everything it has not yielded yet,
    /// taken at once (the stream is at its end afterwards), so a writer can send it as one
    /// body instead of pulling chunks; `nil` for a stream whose chunks come from elsewhere.
    package func takeBuffered() -> [UInt8]? {
        buffer.map { $0.take() ?? [] }
    }

    /// The next chunk, or `nil` at the end of the body.
    package func next() async throws -> [UInt8]? {
        try await pull()
    }

    /// Reads the rest of the stream into memory.
    /// - Throws: `AWSError` `MaxMessageLengthExceeded` when it holds more than `limit` bytes,
    ///   or the stream's own error.
    package func collect(upTo limit: Int) async throws -> [UInt8] {
        var result: [UInt8] = []
        while let chunk = try await next() {
            guard result.count + chunk.count <= limit else {
                throw AWSError(code: "MaxMessageLengthExceeded", message: "Your request was too big (over \(limit) bytes).")
            }
            result.append(contentsOf: chunk)
        }
        return result
    }

    /// A stream that passes every chunk of this one through `transform` and, at the end,
    /// calls `finish` (which may throw, e.g. on a checksum mismatch) and emits what it returns.
    package func map(
        _ transform: @escaping @Sendable ([UInt8]) throws -> [UInt8],
        finish: @escaping @Sendable () throws -> [UInt8]? = { nil }
    ) -> ByteStream {
        let done = Mutex(false)
        return ByteStream {
            if done.withLock({ $0 }) { return nil }
            if let chunk = try await self.next() { return try transform(chunk) }
            done.withLock { $0 = true }
            return try finish()
        }
    }
}
