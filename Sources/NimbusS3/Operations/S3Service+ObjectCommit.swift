import NimbusCore
import NimbusStore
import NimbusWire

/// The last step of PutObject, CopyObject and CompleteMultipartUpload: the object's row.
extension S3Service {
    /// Writes `record` over the key's current object, with its inline body and the
    /// notification records of `eventName`, then flushes the commit to the disk
    /// (`SQLStore.syncCommitted()`): when this returns, the object is durable against a power
    /// loss and visible, so the caller may acknowledge it.
    ///
    /// Puts arriving together share the transaction (`S3Store.objectWrites`) and the flush.
    /// If the row cannot be written the body's new blob is deleted; the blob the row replaced
    /// is deleted after the flush. The notification worker is woken only once the flush is done.
    /// - Throws: the write's error (`NoSuchBucket`…), or the flush's: then the object may be
    ///   visible but the request fails, as for an answer lost on the way.
    func commitObject(_ record: ObjectRecord, body: ObjectBody, eventName: String, context: RequestContext) async throws -> S3Store.Change<String?> {
        let change: S3Store.Change<String?>
        do {
            let event = objectEvent(eventName, bucket: record.bucket, key: record.key, record: record, context: context)
            change = try await store.putObject(record, inlineBytes: body.inlineBytes, event: event)
        } catch {
            await discard([body.blobKey])
            throw error
        }
        try await store.store.syncCommitted()
        await discard([committed(change)])
        return change
    }
}
