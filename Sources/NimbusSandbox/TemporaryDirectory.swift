import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child's private temporary directory on the host: mode 0700, created fresh under a root, removed with the child.
///
/// Its size is measured like `du` (allocated blocks, symlinks not followed) by the watchdog, which kills the child
/// when it passes `Confinement.temporaryDirectoryBytes`: the directory is on the host's disk, so it does not count
/// against the child's memory the way a tmpfs would.
struct TemporaryDirectory: Sendable {
    let path: String

    /// Creates `root` (and its parents, mode 0700) when missing, then a fresh `root/tmp-XXXXXX`.
    /// - Throws: `.temporaryDirectoryCreate` naming the directory that could not be made.
    static func create(under root: String) throws(SandboxError) -> TemporaryDirectory {
        var prefix = root.hasPrefix("/") ? "" : FileManager.default.currentDirectoryPath
        for component in root.split(separator: "/") {
            prefix += "/\(component)"
            if mkdir(prefix, 0o700) != 0, errno != EEXIST {
                throw SandboxError(code: .temporaryDirectoryCreate, path: prefix, errno: errno)
            }
        }
        var template = Array("\(prefix)/tmp-XXXXXX".utf8CString)
        guard let made = template.withUnsafeMutableBufferPointer({ mkdtemp($0.baseAddress!).map { String(cString: $0) } }) else {
            throw SandboxError(code: .temporaryDirectoryCreate, path: "\(prefix)/tmp-XXXXXX", errno: errno)
        }
        return TemporaryDirectory(path: made)
    }

    /// Removes the directory and everything in it, without following symlinks the child planted.
    /// - Throws: `.temporaryDirectoryRemove` naming the first entry that could not be removed.
    func remove() throws(SandboxError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return }
            throw SandboxError(code: .temporaryDirectoryRemove, path: path, errno: errno)
        }
        let failure = Self.empty(descriptor, path: path)
        close(descriptor)
        if let failure { throw failure }
        guard rmdir(path) == 0 else { throw SandboxError(code: .temporaryDirectoryRemove, path: path, errno: errno) }
    }

    /// The bytes the directory's contents occupy on disk.
    func allocatedBytes() -> Int {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
        guard descriptor >= 0 else { return 0 }
        defer { close(descriptor) }
        return Self.allocatedBytes(in: descriptor)
    }

    private static func allocatedBytes(in directory: Int32) -> Int {
        var total = 0
        for name in entries(of: directory) {
            var info = stat()
            guard fstatat(directory, name, &info, AT_SYMLINK_NOFOLLOW) == 0 else { continue }
            total += Int(info.st_blocks) * 512
            if info.st_mode & S_IFMT == S_IFDIR {
                let child = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                guard child >= 0 else { continue }
                total += allocatedBytes(in: child)
                close(child)
            }
        }
        return total
    }

    private static func empty(_ directory: Int32, path: String) -> SandboxError? {
        for name in entries(of: directory) {
            if unlinkat(directory, name, 0) == 0 { continue }
            guard errno == EISDIR else { return SandboxError(code: .temporaryDirectoryRemove, path: "\(path)/\(name)", errno: errno) }
            // A directory the child made unreadable is opened after giving it back to its owner.
            _ = fchmodat(directory, name, 0o700, 0)
            let child = openat(directory, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            guard child >= 0 else { return SandboxError(code: .temporaryDirectoryRemove, path: "\(path)/\(name)", errno: errno) }
            let failure = empty(child, path: "\(path)/\(name)")
            close(child)
            if let failure { return failure }
            guard unlinkat(directory, name, AT_REMOVEDIR) == 0 else {
                return SandboxError(code: .temporaryDirectoryRemove, path: "\(path)/\(name)", errno: errno)
            }
        }
        return nil
    }

    /// The names in a directory, read fully before anything is removed from it.
    private static func entries(of directory: Int32) -> [String] {
        let copy = dup(directory)
        guard copy >= 0, let stream = fdopendir(copy) else { return [] }
        defer { closedir(stream) }
        rewinddir(stream)
        var names: [String] = []
        while let entry = readdir(stream) {
            let name = withUnsafePointer(to: &entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }
}
