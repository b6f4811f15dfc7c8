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
}
