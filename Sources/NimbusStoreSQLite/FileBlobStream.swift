import Foundation
import NimbusStore
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A blob file written in pieces into a temporary file beside its final name; `commit`
/// fsyncs it, renames it over the final name and fsyncs the folder.
final class FileBlobWriter: BlobWriter {
    private struct State {
        var descriptor: Int32
        var size = 0
        /// Where the written bytes not yet handed to the disk start (see `startWriteback`).
        var unflushedFrom = 0
    }

    /// Bytes written between two writeback starts: the disk works on a large upload while it
    /// still arrives, so `commit`'s fsync waits only for the last few MiB.
    static let writebackInterval = 8 << 20

    private let temporary: String
    private let file: String
    private let folder: String
    private let state: Mutex<State>

    init(file: String, folder: String) throws {
        self.file = file
        self.folder = folder
        temporary = "\(file).tmp-\(UUID().uuidString)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError(.io, "open \(temporary): errno \(errno)") }
        state = Mutex(State(descriptor: descriptor))
    }

    deinit {
        state.withLock { state in
            if state.descriptor >= 0 {
                close(state.descriptor)
                unlink(temporary)
            }
        }
    }

    var size: Int { state.withLock { $0.size } }

    func write(_ bytes: [UInt8]) async throws {
        try state.withLock { state in
            guard state.descriptor >= 0 else { throw StoreError(.io, "write to a finished blob \(file)") }
            try bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = Glibc.write(state.descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw StoreError(.io, "write \(temporary): errno \(errno)")
                    }
                    offset += written
                }
            }
            state.size += bytes.count
            if state.size - state.unflushedFrom >= Self.writebackInterval {
                FileBlobWriter.startWriteback(state.descriptor, from: state.unflushedFrom, count: state.size - state.unflushedFrom)
                state.unflushedFrom = state.size
            }
        }
    }

    private typealias SyncFileRange = @convention(c) (Int32, Int64, Int64, UInt32) -> Int32
    /// Linux's `sync_file_range` (not exported by Swift's Glibc module); `nil` elsewhere.
    private static let syncFileRange: SyncFileRange? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "sync_file_range") else { return nil }
        return unsafeBitCast(symbol, to: SyncFileRange.self)
    }()

    /// Asks the kernel to start writing a range to the disk without waiting for it
    /// (`SYNC_FILE_RANGE_WRITE`); durability still comes from `commit`'s fsync.
    private static func startWriteback(_ descriptor: Int32, from offset: Int, count: Int) {
        _ = syncFileRange?(descriptor, Int64(offset), Int64(count), 2)
    }

    /// Fsyncs, renames and fsyncs the folder on `BlockingIO`'s threads (each may wait on the disk).
    func commit() async throws {
        try await BlockingIO.shared.run { try self.commitNow() }
    }

    private func commitNow() throws {
        try state.withLock { state in
            guard state.descriptor >= 0 else { throw StoreError(.io, "commit of a finished blob \(file)") }
            defer { state.descriptor = -1 }
            guard fsync(state.descriptor) == 0 else {
                close(state.descriptor)
                unlink(temporary)
                throw StoreError(.io, "fsync \(temporary): errno \(errno)")
            }
            close(state.descriptor)
            guard rename(temporary, file) == 0 else {
                unlink(temporary)
                throw StoreError(.io, "rename \(temporary): errno \(errno)")
            }
        }
        try FileBlobStore.syncFolder(folder)
    }

    func abort() async {
        state.withLock { state in
            guard state.descriptor >= 0 else { return }
            close(state.descriptor)
            unlink(temporary)
            state.descriptor = -1
        }
    }
}

/// An open blob file, read with `pread`.
final class FileBlobReader: BlobReader {
    private let descriptor: Int32
    let size: Int

    init?(path: String) throws {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw StoreError(.io, "open \(path): errno \(errno)")
        }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            close(descriptor)
            throw StoreError(.io, "fstat \(path): errno \(errno)")
        }
        self.descriptor = descriptor
        size = Int(status.st_size)
    }

    deinit { close(descriptor) }

    func read(offset: Int, count: Int) async throws -> [UInt8] {
        let wanted = max(0, min(count, size - offset))
        guard wanted > 0 else { return [] }
        var result = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        try result.withUnsafeMutableBytes { buffer in
            while filled < wanted {
                let got = pread(descriptor, buffer.baseAddress! + filled, wanted - filled, off_t(offset + filled))
                if got < 0 {
                    if errno == EINTR { continue }
                    throw StoreError(.io, "pread: errno \(errno)")
                }
                if got == 0 { break }
                filled += got
            }
        }
        if filled < wanted { result.removeLast(wanted - filled) }
        return result
    }
}
