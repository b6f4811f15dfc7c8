/// Reads a stored object's bytes by bucket and key: how a service that takes input "from S3"
/// (Lambda's `Code.S3Bucket`/`S3Key`) reaches Nimbus's S3 without importing it. The server
/// registers the S3 service as the reader.
package protocol ObjectReader: Sendable {
    /// The whole object, if it is at most `limit` bytes.
    /// - Parameter versionID: a version to read instead of the current object (`nil` for the current one).
    /// - Throws: an `AWSError` with S3's code and message: `NoSuchBucket`, `NoSuchKey`,
    ///   `NoSuchVersion`, or `EntityTooLarge` when the object is over `limit`.
    func objectBytes(bucket: String, key: String, versionID: String?, limit: Int) async throws -> [UInt8]
}
