import Crypto
import Foundation
package import NimbusStore

#if canImport(Glibc)
import Glibc
import NimbusCore
#endif

/// Blobs as files under a folder: `<root>/<2 hex>/<2 hex>/<sha256 of key>`.
///
/// A write goes to a temporary file in the same folder, is fsynced, renamed over the
/// final name and the folder fsynced: a reader sees the old blob or the new one, never a
/// partial one, and the new one survives a crash once `put` returns.
package struct FileBlobStore: BlobStore {
    package let root: String

    package init(root: String) throws {
        self.root = root
        do {
            try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        } catch {
            throw StoreError(.cannotOpen, "cannot create blob folder \(root): \(error)")
        }
    }

    private func path(for key: String) throws -> (folder: String, file: String) {
        guard !key.isEmpty else { throw StoreError(.invalidKey, "blob keys must not be empty") }
        let digest = Hex.encode(SHA256.hash(data: Array(key.utf8)))
        let folder = "\(root)/\(digest.prefix(2))/\(digest.dropFirst(2).prefix(2))"
        return (folder, "\(folder)/\(digest)")
    }

    package func put(_ key: String, _ bytes: [UInt8]) async throws {
        let (folder, file) = try path(for: key)
        // The writes and fsyncs wait on the disk: off the cooperative pool.
        try await BlockingIO.shared.run { try Self.writeDurably(bytes, folder: folder, file: file) }
    }

    private static func writeDurably(_ bytes: [UInt8], folder: String, file: String) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let temporary = "\(file).tmp-\(UUID().uuidString)"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw StoreError(.io, "open \(temporary): errno \(errno)") }
        do {
            try bytes.withUnsafeBytes { buffer in
                var offset = 0
                while offset < buffer.count {
                    let written = write(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
                    if written < 0 {
                        if errno == EINTR { continue }
                        throw StoreError(.io, "write \(temporary): errno \(errno)")
                    }
                    offset += written
                }
            }
            guard fsync(descriptor) == 0 else { throw StoreError(.io, "fsync \(temporary): errno \(errno)") }
            close(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard rename(temporary, file) == 0 else {
            unlink(temporary)
            throw StoreError(.io, "rename \(temporary): errno \(errno)")
        }
        try Self.syncFolder(folder)
    }

    package func get(_ key: String) async throws -> [UInt8]? {
        let (_, file) = try path(for: key)
        guard let data = FileManager.default.contents(atPath: file) else { return nil }
        return [UInt8](data)
    }

    package func delete(_ key: String) async throws {
        let (folder, file) = try path(for: key)
        try await BlockingIO.shared.run {
            if unlink(file) != 0, errno != ENOENT { throw StoreError(.io, "unlink \(file): errno \(errno)") }
            try Self.syncFolder(folder)
        }
    }

    package func makeWriter(_ key: String) async throws -> any BlobWriter {
        let (folder, file) = try path(for: key)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try FileBlobWriter(file: file, folder: folder)
    }

    package func openReader(_ key: String) async throws -> (any BlobReader)? {
        let (_, file) = try path(for: key)
        return try FileBlobReader(path: file)
    }

    private func syncFolder(_ folder: String) throws {
        try Self.syncFolder(folder)
    }

    static func syncFolder(_ folder: String) throws {
        let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw StoreError(.io, "fsync \(folder): errno \(errno)") }
    }
}
