import Foundation
import NimbusCore
import NimbusStore

/// Object writes: a put (through the group commit), a delete (or delete marker), an in-place
/// change (tags), each with the notification records it produces, in one transaction.
extension S3Store {
    /// What writing or removing an object did.
    struct Change<Value: Sendable>: Sendable {
        var value: Value
        /// Whether notification records were written with the change (the worker should look).
        var notified: Bool
        /// The version the change created or removed, in a bucket whose versioning was ever set.
        var versionID: String? = nil
    }

    /// Stores `record` over any earlier object of its key, if the bucket still exists, with
    /// its inline body (`inlineBytes`, when `record` names one) and the notification records
    /// `event` produces, in one transaction. With versioning enabled the record becomes a new
    /// version (the earlier one stays); suspended, it replaces the `null` version.
    /// Puts arriving together share the transaction; the commit is not flushed to the disk
    /// yet (`S3Service.commitObject` does that before acknowledging).
    /// - Returns: the blob no row names any more (to delete), or `nil`; a replaced inline
    ///   body is deleted in the transaction.
    /// - Throws: `NoSuchBucket` when the bucket is gone.
    func putObject(_ record: ObjectRecord, inlineBytes: [UInt8]? = nil, event: ObjectEvent? = nil) async throws -> Change<String?> {
        try await objectWrites.submit(PendingPut(record: record, inlineBytes: inlineBytes, event: event)).get()
    }

    static func writeObject(
        _ record: ObjectRecord,
        inlineBytes: [UInt8]?,
        event: ObjectEvent?,
        ownerID: String,
        in transaction: any SQLTransaction
    ) async throws -> Change<String?> {
        // The bucket and, in one statement, the key's current object (which an unversioned put replaces).
        let buckets = try await transaction.query(
            """
            SELECT b.name AS name, b.region AS region, b.notification AS notification, b.versioning AS versioning, o.record AS record
            FROM s3_buckets b LEFT JOIN s3_objects o ON o.bucket = b.name AND o.key = \(record.key)
            WHERE b.name = \(record.bucket)
            """
        )
        guard let bucketRow = buckets.first else { throw S3Errors.noSuchBucket(record.bucket) }
        if ObjectBody.isInline(record.blob) {
            try await Self.insertInlineBody(record.blob, inlineBytes ?? [], in: transaction)
        }
        var record = record
        var replaced: String?
        switch bucketRow.string("versioning") {
        case nil:
            record.versionID = nil
            replaced = ObjectRecord.stored(bucketRow.string("record"))?.blob
        case "Enabled":
            record.versionID = Self.newVersionID()
            replaced = nil
            try await Self.insertVersion(record, in: transaction)
        default:
            record.versionID = "null"
            let old = try await Self.removeVersion(record.bucket, record.key, "null", in: transaction)
            replaced = old?.deleteMarker == true ? nil : old?.blob
            try await Self.insertVersion(record, in: transaction)
        }
        replaced = try await Self.release(replaced, in: transaction)
        let text = record.storedJSON
        try await transaction.execute(
            """
            INSERT INTO s3_objects (bucket, key, record) VALUES (\(record.bucket), \(record.key), \(text))
            ON CONFLICT (bucket, key) DO UPDATE SET record = excluded.record
            """
        )
        var notified = false
        if var event {
            event.versionID = record.versionID
            notified = try await Self.enqueueNotifications(event, bucketRow: bucketRow, ownerID: ownerID, now: event.time, in: transaction)
        }
        return Change(value: replaced, notified: notified, versionID: record.versionID)
    }

    /// What a delete did.
    struct Deletion: Sendable {
        /// Blobs no row names any more.
        var orphanedBlobs: [String] = []
        /// The delete created a delete marker, or removed one.
        var deleteMarker = false
    }

    /// Deletes as S3 does, with the notification records `event` produces (S3 notifies a
    /// delete even when the key did not exist): without `versionID`, the current object (or,
    /// in a versioned bucket, a new delete marker hides it); with one, that version for good.
    /// - Throws: `InvalidArgument` for a version id other than `null` in a bucket never versioned.
    func deleteObject(
        _ bucket: String,
        _ key: String,
        versionID: String? = nil,
        event: ObjectEvent? = nil,
        now: Double = 0
    ) async throws
        -> Change<Deletion>
    {
        try await store.transaction { transaction in
            let bucketRow = try await transaction.query("SELECT region, notification, versioning FROM s3_buckets WHERE name = \(bucket)").first
            var event = event
            var deletion = Deletion()
            var version: String?
            switch (bucketRow?.string("versioning"), versionID) {
            case (nil, let versionID):
                if let versionID, versionID != "null" {
                    throw S3Errors.invalidArgument("Invalid version id specified", name: "versionId", value: versionID)
                }
                let old = try await transaction.query("SELECT record FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)")
                if let record = ObjectRecord.stored(old.first?.string("record")) {
                    try await transaction.execute("DELETE FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)")
                    deletion.orphanedBlobs = [try await Self.release(record.blob, in: transaction)].compactMap { $0 }
                }
                version = versionID
            case (_, let versionID?):
                guard let removed = try await Self.removeVersion(bucket, key, versionID, in: transaction) else {
                    return Change(value: deletion, notified: false, versionID: versionID)
                }
                if removed.deleteMarker != true {
                    deletion.orphanedBlobs = [try await Self.release(removed.blob, in: transaction)].compactMap { $0 }
                }
                deletion.deleteMarker = removed.deleteMarker == true
                try await Self.refreshCurrent(bucket, key, in: transaction)
                version = versionID
            case (let status?, nil):
                let markerID = status == "Enabled" ? Self.newVersionID() : "null"
                if markerID == "null", let old = try await Self.removeVersion(bucket, key, "null", in: transaction), old.deleteMarker != true {
                    deletion.orphanedBlobs = [try await Self.release(old.blob, in: transaction)].compactMap { $0 }
                }
                let marker = ObjectRecord(
                    bucket: bucket,
                    key: key,
                    blob: "",
                    size: 0,
                    eTag: "",
                    lastModified: now,
                    headers: ObjectHeaders(),
                    versionID: markerID,
                    deleteMarker: true
                )
                try await Self.insertVersion(marker, in: transaction)
                try await transaction.execute("DELETE FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)")
                deletion.deleteMarker = true
                // ObjectRemoved:Delete → ObjectRemoved:DeleteMarkerCreated (LifecycleExpiration alike).
                if let name = event?.name, name.hasSuffix(":Delete") { event?.name = name + "MarkerCreated" }
                version = markerID
            }
            var notified = false
            if var event, let bucketRow {
                event.versionID = version
                notified = try await Self.enqueueNotifications(event, bucketRow: bucketRow, ownerID: ownerID, now: event.time, in: transaction)
            }
            return Change(value: deletion, notified: notified, versionID: version)
        }
    }

    /// Changes one object or version in place (its tags), with the notification records
    /// `event` produces; returns the changed record.
    /// - Throws: `NoSuchKey`, `NoSuchVersion`, or `MethodNotAllowed` for a delete marker.
    func updateObject(
        _ bucket: String,
        _ key: String,
        versionID: String?,
        event: ObjectEvent?,
        _ change: @escaping @Sendable (inout ObjectRecord) -> Void
    ) async throws -> Change<ObjectRecord> {
        try await store.transaction { transaction in
            guard let bucketRow = try await transaction.query("SELECT region, notification, versioning FROM s3_buckets WHERE name = \(bucket)").first
            else { throw S3Errors.noSuchBucket(bucket) }
            let versioned = bucketRow.string("versioning") != nil
            let current = ObjectRecord.stored(
                try await transaction.query("SELECT record FROM s3_objects WHERE bucket = \(bucket) AND key = \(key)").first?.string("record")
            )
            var record: ObjectRecord
            if let versionID, versioned {
                let rows = try await transaction.query(
                    "SELECT record FROM s3_versions WHERE bucket = \(bucket) AND key = \(key) AND version_id = \(versionID)"
                )
                guard let found = ObjectRecord.stored(rows.first?.string("record")) else { throw S3Errors.noSuchVersion(key, versionID) }
                guard found.deleteMarker != true else { throw S3Errors.methodNotAllowed(deleteMarker: found, method: nil) }
                record = found
            } else {
                if let versionID, versionID != "null" {
                    throw S3Errors.invalidArgument("Invalid version id specified", name: "versionId", value: versionID)
                }
                guard let found = current else { throw S3Errors.noSuchKey(key) }
                record = found
            }
            change(&record)
            let text = record.storedJSON
            if versioned {
                try await transaction.execute(
                    """
                    UPDATE s3_versions SET record = \(text)
                    WHERE bucket = \(bucket) AND key = \(key) AND version_id = \(record.versionID ?? "null")
                    """
                )
            }
            if current?.versionID == record.versionID {
                try await transaction.execute("UPDATE s3_objects SET record = \(text) WHERE bucket = \(bucket) AND key = \(key)")
            }
            var notified = false
            if var event {
                event.versionID = record.versionID
                event.size = record.size
                event.eTag = record.eTag.trimming("\"")
                notified = try await Self.enqueueNotifications(event, bucketRow: bucketRow, ownerID: ownerID, now: event.time, in: transaction)
            }
            return Change(value: record, notified: notified, versionID: record.versionID)
        }
    }
}
