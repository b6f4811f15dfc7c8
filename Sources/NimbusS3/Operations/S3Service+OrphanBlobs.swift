import Logging
import NimbusStore

/// The startup sweep of blobs no row names.
///
/// A body blob is committed before the row naming it, and a replaced blob is deleted after
/// the commit that dropped its row: a crash between the two leaves a blob that nothing reads
/// but that takes space. Before serving, S3 removes the blobs of its namespace (`s3/…`) that
/// no object, version or part row names, and unfinished writes. Inline bodies live in
/// `s3_inline_bodies`, in the transaction of their row, and are never orphaned.
extension S3Service {
    /// The blob namespace of S3's bodies and parts (`newBlobKey()`).
    static let blobNamespace = "s3"

    /// Removes S3's unreferenced blobs and logs how many and how many bytes; a failure is
    /// logged, not thrown (the orphans stay until the next start).
    /// - Precondition: nothing writes S3 blobs yet (called from `init`, before serving).
    func removeOrphanBlobs() async {
        do {
            let referenced = try await store.referencedBlobs()
            let sweep = try await blobs.removeUnreferenced(namespace: Self.blobNamespace, referenced: referenced)
            logger.log(
                level: sweep.count > 0 ? .notice : .debug,
                "s3: removed orphan blobs",
                metadata: ["count": "\(sweep.count)", "bytes": "\(sweep.bytes)", "referenced": "\(referenced.count)"]
            )
        } catch {
            logger.error("s3: orphan blob sweep failed", metadata: ["error": "\(error)"])
        }
    }
}
