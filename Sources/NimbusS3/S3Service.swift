import Foundation
package import NimbusCore
package import NimbusStore
package import NimbusWire

/// Amazon S3: buckets, objects (streamed to and from the blob store), listings, copies and
/// multipart uploads, over restXml with path-style and virtual-hosted-style addressing.
///
/// An object's bytes go to a new blob, fsynced and renamed into place; only then is the
/// row naming it committed, so a 200 means durable and atomically visible, and an upload
/// that fails or is interrupted leaves nothing visible. The replaced blob is deleted after.
package struct S3Service: ServiceHandler, S3Operations {
    package let serviceName = "s3"

    /// AWS's single-PUT limit (5 GiB); larger objects need a multipart upload.
    static let maximumPutSize = 5 * 1024 * 1024 * 1024
    /// The smallest part but the last of a multipart upload (5 MiB).
    static let minimumPartSize = 5 * 1024 * 1024

    let store: S3Store
    let blobs: any BlobStore
    let account: AccountContext
    let clock: any WallClock

    /// Migrates the service's tables.
    package init(
        store: any SQLStore,
        blobs: any BlobStore,
        account: AccountContext = AccountContext(),
        clock: any WallClock = SystemWallClock()
    )
        async throws
    {
        try await store.migrate(S3Store.migrations)
        self.store = S3Store(store: store)
        self.blobs = blobs
        self.account = account
        self.clock = clock
    }

    /// The bucket, or `NoSuchBucket`.
    @discardableResult
    func existingBucket(_ name: String) async throws -> S3Store.BucketRow {
        guard let row = try await store.bucket(name) else { throw S3Errors.noSuchBucket(name) }
        return row
    }

    /// A fresh blob key for an object or part.
    func newBlobKey() -> String {
        "s3/" + UUID().uuidString.lowercased()
    }

    /// Deletes blobs no row names any more; a failure only leaves an unreachable file.
    func discard(_ blobKeys: [String?]) async {
        for key in blobKeys.compactMap({ $0 }) { try? await blobs.delete(key) }
    }

    /// The owner every bucket and object reports.
    var owner: S3Shapes.Owner {
        S3Shapes.Owner(displayName: "nimbus", id: account.accountID)
    }
}
