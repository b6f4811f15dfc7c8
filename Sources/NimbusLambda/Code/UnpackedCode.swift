import Synchronization

/// The code digests known to be unpacked under the service's code folder, so that an invoke
/// finds its function's code without looking at the disk each time.
final class UnpackedCode: Sendable {
    private let digests = Mutex<Set<String>>([])

    func contains(_ digest: String) -> Bool {
        digests.withLock { $0.contains(digest) }
    }

    func insert(_ digest: String) {
        _ = digests.withLock { $0.insert(digest) }
    }

    /// Forgets a digest whose folder is being removed.
    func remove(_ digest: String) {
        _ = digests.withLock { $0.remove(digest) }
    }
}
