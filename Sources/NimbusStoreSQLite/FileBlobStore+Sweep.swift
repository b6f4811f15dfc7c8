import Foundation
package import NimbusStore

#if canImport(Glibc)
import Glibc
#endif

/// Removing a namespace's unreferenced blob files: a crash between a blob's commit and the
/// commit of the row naming it, or between a row's removal and its blob's deletion, leaves a
/// file no row names; a crash while a blob is written leaves its temporary file.
extension FileBlobStore {
    package func removeUnreferenced(namespace: String, referenced: Set<String>) async throws -> BlobSweep {
        guard Self.namespace(of: namespace + "/") == namespace else {
            throw StoreError(.invalidKey, "not a blob namespace: \(namespace)")
        }
        // File names are digests of keys: keep the files whose names are referenced keys' digests.
        let keep = Set(referenced.lazy.filter { Self.namespace(of: $0) == namespace }.map(Self.digest))
        let base = "\(root)/ns/\(namespace)"
        return try await BlockingIO.shared.run { try Self.sweep(base, keeping: keep) }
    }

    /// Walks `<base>/<2 hex>/<2 hex>/` and unlinks every file not named in `keep`.
    private static func sweep(_ base: String, keeping keep: Set<String>) throws -> BlobSweep {
        var sweep = BlobSweep()
        let files = FileManager.default
        guard files.fileExists(atPath: base) else { return sweep }
        for first in try files.contentsOfDirectory(atPath: base) {
            for second in (try? files.contentsOfDirectory(atPath: "\(base)/\(first)")) ?? [] {
                let folder = "\(base)/\(first)/\(second)"
                var removed = false
                for name in (try? files.contentsOfDirectory(atPath: folder)) ?? [] where !keep.contains(name) {
                    let file = "\(folder)/\(name)"
                    var status = stat()
                    guard lstat(file, &status) == 0, (status.st_mode & S_IFMT) == S_IFREG else { continue }
                    guard unlink(file) == 0 else {
                        if errno == ENOENT { continue }
                        throw StoreError(.io, "unlink \(file): errno \(errno)")
                    }
                    sweep.count += 1
                    sweep.bytes += Int64(status.st_size)
                    removed = true
                }
                if removed { try syncFolder(folder) }
            }
        }
        return sweep
    }
}
