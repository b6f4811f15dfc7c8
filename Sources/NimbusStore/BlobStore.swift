/// Large values (function code, objects) kept outside the SQL store.
///
/// `put` is atomic and durable: after it returns the blob survives a crash, and a reader
/// never sees a partly written blob.
package protocol BlobStore: Sendable {
    func put(_ key: String, _ bytes: [UInt8]) async throws
    /// The blob's bytes, or `nil` when there is no blob under `key`.
    func get(_ key: String) async throws -> [UInt8]?
    /// Removes the blob; removing a missing blob is not an error.
    func delete(_ key: String) async throws
    /// Starts a blob written in pieces (an upload streaming in): nothing is visible under
    /// `key` until the writer's `commit` returns, and then all of it is, durably.
    func makeWriter(_ key: String) async throws -> any BlobWriter
    /// Opens the blob for reading in ranges, or `nil` when there is no blob under `key`.
    /// The reader keeps seeing the blob it opened even if it is replaced or deleted meanwhile.
    func openReader(_ key: String) async throws -> (any BlobReader)?
    /// Deletes the blobs of `namespace` (keys `"<namespace>/…"`) whose keys are not in
    /// `referenced`, and the unfinished writes left there by a crash.
    ///
    /// For startup, before anything writes to the namespace: a blob committed by a writer
    /// still running, whose row is not written yet, would look unreferenced.
    /// - Returns: what was removed.
    func removeUnreferenced(namespace: String, referenced: Set<String>) async throws -> BlobSweep
}

/// What `BlobStore.removeUnreferenced` removed.
package struct BlobSweep: Sendable, Hashable {
    /// Blobs and unfinished writes removed.
    package var count = 0
    /// Their size in bytes.
    package var bytes: Int64 = 0

    package init(count: Int = 0, bytes: Int64 = 0) {
        self.count = count
        self.bytes = bytes
    }
}

/// A blob being written: `write` the pieces in order, then `commit` (durable and atomic)
/// or `abort` (nothing stays). A writer dropped without either leaves nothing visible.
package protocol BlobWriter: AnyObject, Sendable {
    /// Bytes written so far.
    var size: Int { get }
    func write(_ bytes: [UInt8]) async throws
    /// Makes the blob durable and visible under its key, replacing any earlier one.
    func commit() async throws
    /// Discards what was written.
    func abort() async
}

/// An open blob read in ranges; closes itself when released.
package protocol BlobReader: AnyObject, Sendable {
    /// The blob's length in bytes.
    var size: Int { get }
    /// Up to `count` bytes from `offset` (fewer only at the end of the blob).
    func read(offset: Int, count: Int) async throws -> [UInt8]
}
