import Crypto
import Foundation
package import NimbusStore

#if canImport(Glibc)
import Glibc
import NimbusCore
#endif

/// Blobs as files under a folder: a key with a namespace (`s3/…`, `lambda/…`: lowercase letters
/// and digits before the first `/`) at `<root>/ns/<namespace>/<2 hex>/<2 hex>/<sha256 of key>`,
/// so one owner's blobs can be walked (`removeUnreferenced`); any other key at
/// `<root>/<2 hex>/<2 hex>/<sha256 of key>`. Blobs written before namespaces existed stay at the
/// second form and are still read and deleted there.
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
        let digest = Self.digest(key)
        let base = Self.namespace(of: key).map { "\(root)/ns/\($0)" } ?? root
        let folder = "\(base)/\(digest.prefix(2))/\(digest.dropFirst(2).prefix(2))"
        return (folder, "\(folder)/\(digest)")
    }

    /// Where a namespaced key's blob was kept before namespaces had folders, or `nil`.
    private func legacyPath(for key: String) -> (folder: String, file: String)? {
        guard Self.namespace(of: key) != nil else { return nil }
        let digest = Self.digest(key)
        let folder = "\(root)/\(digest.prefix(2))/\(digest.dropFirst(2).prefix(2))"
        return (folder, "\(folder)/\(digest)")
    }

    /// The file name of a key's blob: the hex SHA-256 of the key.
    static func digest(_ key: String) -> String {
        Hex.encode(SHA256.hash(data: Array(key.utf8)))
    }

    /// The key's namespace: 1–32 lowercase ASCII letters and digits before its first `/`.
    static func namespace(of key: String) -> String? {
        guard let slash = key.firstIndex(of: "/") else { return nil }
        let name = key[..<slash]
        guard (1...32).contains(name.utf8.count), name.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) }) else {
            return nil
        }
        return String(name)
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
        guard let data = FileManager.default.contents(atPath: file) ?? legacyPath(for: key).flatMap({ FileManager.default.contents(atPath: $0.file) })
        else { return nil }
        return [UInt8](data)
    }

    package func delete(_ key: String) async throws {
        let paths = [try path(for: key)] + [legacyPath(for: key)].compactMap { $0 }
        try await BlockingIO.shared.run {
            for (folder, file) in paths {
                if unlink(file) != 0 {
                    if errno == ENOENT { continue }
                    throw StoreError(.io, "unlink \(file): errno \(errno)")
                }
                try Self.syncFolder(folder)
            }
        }
    }

    package func makeWriter(_ key: String) async throws -> any BlobWriter {
        let (folder, file) = try path(for: key)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        return try FileBlobWriter(file: file, folder: folder)
    }

    package func openReader(_ key: String) async throws -> (any BlobReader)? {
        let (_, file) = try path(for: key)
        if let reader = try FileBlobReader(path: file) { return reader }
        return try legacyPath(for: key).flatMap { try FileBlobReader(path: $0.file) }
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
