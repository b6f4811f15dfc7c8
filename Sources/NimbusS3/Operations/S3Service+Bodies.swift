import NimbusStore
import NimbusWire

/// An object's bytes opened for reading: in memory (an inline body, read with its query) or
/// an open blob read in pieces.
enum OpenedBody: Sendable {
    case bytes([UInt8])
    case blob(any BlobReader)

    /// `count` bytes from `start` as a stream: one buffer for inline bytes, pieces for a blob.
    func stream(from start: Int, count: Int) -> ByteStream {
        switch self {
        case .bytes(let bytes):
            let end = min(bytes.count, start + count)
            return ByteStream(bytes: start == 0 && end == bytes.count ? bytes : Array(bytes[min(start, end)..<end]))
        case .blob(let reader):
            return BlobStreaming.stream(reader, from: start, count: count)
        }
    }
}

/// Reading, copying and discarding object bodies, inline or in blobs.
extension S3Service {
    /// Opens the body `record` names, or `nil` when it is gone (deleted since the record was
    /// read); `prefetched` is its inline body when the record's query already read it.
    func openBody(_ record: ObjectRecord, prefetched: [UInt8]? = nil) async throws -> OpenedBody? {
        if ObjectBody.isInline(record.blob) {
            if let prefetched { return .bytes(prefetched) }
            return try await store.inlineBody(record.blob).map(OpenedBody.bytes)
        }
        return try await blobs.openReader(record.blob).map(OpenedBody.blob)
    }

    /// Copies `record`'s bytes (or a range of them) into a new body: inline when `inline` and
    /// the copy fits `ObjectBody.inlineLimit`, else a new committed blob.
    func copyBody(_ record: ObjectRecord, range: ByteRange?, inline: Bool) async throws -> ObjectBody {
        guard let source = try await openBody(record) else { throw S3Errors.noSuchKey(record.key) }
        let stream = source.stream(from: range?.start ?? 0, count: range?.count ?? record.size)
        if inline, (range?.count ?? record.size) <= ObjectBody.inlineLimit {
            return .inline(name: ObjectBody.newInlineName(), bytes: try await stream.collect(upTo: ObjectBody.inlineLimit))
        }
        let key = newBlobKey()
        let writer = try await blobs.makeWriter(key)
        do {
            while let piece = try await stream.next() { try await writer.write(piece) }
            try await writer.commit()
        } catch {
            await writer.abort()
            throw error
        }
        return .blob(key)
    }

    /// Deletes blobs no row names any more; a failure only leaves an unreachable file.
    ///
    /// The commit that dropped their rows is flushed first (`SQLStore.syncCommitted()`), so a
    /// power loss cannot bring back a row naming a deleted blob; if that fails the blobs stay.
    /// Inline bodies are deleted with their rows and never reach here.
    func discard(_ blobKeys: [String?]) async {
        let keys = blobKeys.compactMap { $0 }.filter { !$0.isEmpty && !ObjectBody.isInline($0) }
        guard !keys.isEmpty, (try? await store.store.syncCommitted()) != nil else { return }
        for key in keys { try? await blobs.delete(key) }
    }
}
