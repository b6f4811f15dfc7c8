import NimbusStore
import NimbusWire
import Synchronization

/// A range of an open blob as a `ByteStream`, read in pieces as the client takes them.
enum BlobStreaming {
    /// Pieces of 256 KiB: large enough for disk bandwidth, small enough to keep memory flat.
    static let pieceSize = 256 * 1024

    static func stream(_ reader: any BlobReader, from start: Int, count: Int) -> ByteStream {
        let position = Mutex(start)
        let end = start + count
        return ByteStream {
            let offset = position.withLock { $0 }
            guard offset < end else { return nil }
            let piece = try await reader.read(offset: offset, count: min(pieceSize, end - offset))
            guard !piece.isEmpty else { return nil }
            position.withLock { $0 = offset + piece.count }
            return piece
        }
    }
}
