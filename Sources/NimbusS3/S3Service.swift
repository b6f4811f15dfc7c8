import Foundation
package import Logging
package import NimbusCore
package import NimbusStore
import NimbusWire

/// Amazon S3: buckets, objects (streamed to and from the blob store), listings, copies and
/// multipart uploads, over restXml with path-style and virtual-hosted-style addressing.
///
/// A small object's bytes (≤ `ObjectBody.inlineLimit`) are stored inline, in the transaction
/// that writes its row; a larger one's go to a new blob, fsynced and renamed into place before
/// the row naming it is committed. The commit is then flushed (`SQLStore.syncCommitted()`), so
/// a 200 means durable and atomically visible, and an upload that fails or is interrupted
/// leaves nothing visible. A replaced blob is deleted after; a replaced inline body with the row.
/// Blobs a crash left unreferenced are removed when the service starts (`removeOrphanBlobs`).
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
    /// Delivers bucket notifications from the outbox; `runNotifications()` runs it.
    let notifier: NotificationWorker
    let dispatcher: any Dispatcher
    let sequencer = Sequencer()
    let logger: Logger
    /// Wakes the lifecycle sweeper (a configuration was put).
    let lifecycleWake = WakeSignal()
    /// Seconds between lifecycle sweeps.
    let lifecycleInterval: Int64

    /// Migrates the service's tables and removes the blobs no row names (a crash left them).
    /// - Parameters:
    ///   - dispatcher: where notifications go (functions, queues, topics by ARN).
    ///   - notificationRetryScale: multiplies notification retry delays (tests shrink them).
    ///   - lifecycleInterval: seconds between lifecycle sweeps (S3 runs them about daily).
    package init(
        store: any SQLStore,
        blobs: any BlobStore,
        dispatcher: any Dispatcher,
        account: AccountContext = AccountContext(),
        clock: any WallClock = SystemWallClock(),
        logger: Logger = Logger(label: "nimbus.s3"),
        notificationRetryScale: Double = 1,
        lifecycleInterval: Int64 = 60
    )
        async throws
    {
        try await store.migrate(S3Store.migrations)
        let s3Store = S3Store(store: store, ownerID: account.accountID)
        self.store = s3Store
        self.blobs = blobs
        self.account = account
        self.clock = clock
        self.dispatcher = dispatcher
        self.logger = logger
        self.lifecycleInterval = lifecycleInterval
        notifier = NotificationWorker(store: s3Store, dispatcher: dispatcher, clock: clock, logger: logger, retryDelayScale: notificationRetryScale)
        await removeOrphanBlobs()
    }

    /// Delivers bucket notifications and applies lifecycle rules until the task is cancelled;
    /// notifications still pending stay in the store for the next start.
    package func runBackgroundWork() async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await notifier.run() }
            group.addTask { await runLifecycle() }
        }
    }

    /// Delivers the notifications due now once (tests drive delivery with it).
    /// - Returns: the number of attempts made.
    @discardableResult
    package func deliverDueNotifications() async throws -> Int {
        try await notifier.deliverDue()
    }

    /// The bucket, or `NoSuchBucket`.
    @discardableResult
    func existingBucket(_ name: String) async throws -> S3Store.BucketRow {
        guard let row = try await store.bucket(name) else { throw S3Errors.noSuchBucket(name) }
        return row
    }

    /// A fresh blob key for an object or part.
    func newBlobKey() -> String {
        Self.blobNamespace + "/" + UniqueName.make()
    }

    /// The owner every bucket and object reports.
    var owner: S3Shapes.Owner {
        S3Shapes.Owner(displayName: "nimbus", id: account.accountID)
    }
}
