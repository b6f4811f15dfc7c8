#if canImport(Glibc)
import Glibc
#endif

/// Keeps the beginning of the write-ahead log in memory, so that a commit never waits for the
/// disk to read a block back before it overwrites part of it.
///
/// A log frame is a 24-byte header plus a page, so every frame begins and ends inside a
/// file-system block. After a checkpoint the log restarts from its beginning and overwrites
/// frames written a thousand pages earlier; once the kernel has dropped those clean pages from
/// its cache, each partly overwritten block is read from the disk inside the commit (strace
/// showed a 4 KiB `pwrite` of an SQS commit taking 0.3 ms instead of 0.01 ms). This maps the
/// log's first `limit` bytes and locks them (`mlock`), refreshed as the log grows. Without the
/// right to lock that much (`RLIMIT_MEMLOCK`), the pages are only mapped, which the kernel
/// reclaims after unmapped file pages.
///
/// Used by one thread (the checkpointer's).
struct WALResidency: ~Copyable {
    /// The `-wal` file.
    let path: String
    /// The most bytes kept, from the start of the log.
    let limit: Int
    private var mapping: Mapping?

    private struct Mapping {
        var address: UnsafeMutableRawPointer
        var length: Int
        var inode: ino_t
        var locked: Bool
    }

    init(path: String, limit: Int) {
        self.path = path
        self.limit = limit
    }

    deinit {
        if let mapping { munmap(mapping.address, mapping.length) }
    }

    /// How many bytes of the log are mapped, and whether they are locked.
    var kept: (bytes: Int, locked: Bool) {
        (mapping?.length ?? 0, mapping?.locked ?? false)
    }

    /// Maps (again) the log as it is now, up to `limit`; a missing log releases the mapping.
    mutating func refresh() {
        var status = stat()
        guard stat(path, &status) == 0 else { return release() }
        let page = Int(sysconf(Int32(_SC_PAGESIZE)))
        let length = min(Int(status.st_size), limit) / page * page
        if let mapping, mapping.inode == status.st_ino, mapping.length == length {
            if !mapping.locked { _ = madvise(mapping.address, mapping.length, Self.populateRead) }
            return
        }
        release()
        guard length > 0 else { return }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return }
        defer { close(descriptor) }
        guard let address = mmap(nil, length, PROT_READ, MAP_SHARED, descriptor, 0), address != MAP_FAILED else { return }
        let locked = mlock(address, length) == 0
        // Not locked: fault the pages in, so that they are at least mapped.
        if !locked { _ = madvise(address, length, Self.populateRead) }
        mapping = Mapping(address: address, length: length, inode: status.st_ino, locked: locked)
    }

    /// Unmaps (and so unlocks) the log.
    mutating func release() {
        guard let mapping else { return }
        munmap(mapping.address, mapping.length)
        self.mapping = nil
    }

    /// `MADV_POPULATE_READ` (Linux 5.14), which Glibc's headers may not name.
    private static let populateRead: Int32 = 22
}
