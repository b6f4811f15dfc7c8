import Logging
import NimbusCore
import NimbusStore

/// Applies buckets' lifecycle rules: expires current objects (deleting them, or adding a delete
/// marker in a versioned bucket, notified as `LifecycleExpiration:*`), removes noncurrent
/// versions and lone expired delete markers, and aborts incomplete multipart uploads.
/// S3 does this about once a day; Nimbus sweeps every `lifecycleInterval` seconds and right
/// after a configuration is put.
extension S3Service {
    /// Runs sweeps until the task is cancelled.
    func runLifecycle() async {
        while !Task.isCancelled {
            do {
                try await sweepLifecycle()
            } catch {
                logger.warning("s3: lifecycle sweep failed", metadata: ["error": "\(error)"])
            }
            await lifecycleWake.wait(upTo: .seconds(lifecycleInterval))
        }
    }

    /// One sweep over every bucket with lifecycle rules.
    /// - Returns: how many objects, versions and uploads it removed.
    @discardableResult
    package func sweepLifecycle() async throws -> Int {
        let now = clock.now()
        var removed = 0
        for (bucket, text) in try await store.bucketsWithSetting(.lifecycle) {
            let rules = (S3Store.decode([ExpirationRule].self, text) ?? []).filter(\.enabled)
            guard !rules.isEmpty else { continue }
            removed += try await expireCurrent(bucket, rules: rules, now: now)
            if rules.contains(where: { $0.noncurrentDays != nil || $0.expiredObjectDeleteMarker == true }),
                try await store.versioning(bucket) != nil
            {
                removed += try await expireVersions(bucket, rules: rules, now: now)
            }
            if rules.contains(where: { $0.abortIncompleteDays != nil }) {
                removed += try await abortStaleUploads(bucket, rules: rules, now: now)
            }
        }
        return removed
    }

    private func expireCurrent(_ bucket: String, rules: [ExpirationRule], now: Double) async throws -> Int {
        var removed = 0
        var after = ""
        while true {
            let page = try await store.objects(bucket, prefix: "", after: after, limit: 1000)
            for record in page {
                let expired = rules.contains { rule in
                    rule.selects(key: record.key, size: record.size, tags: record.tags ?? [])
                        && (rule.expiry(created: record.lastModified).map { $0 <= now } ?? false)
                }
                guard expired else { continue }
                let event = ObjectEvent(
                    name: "LifecycleExpiration:Delete",
                    bucket: bucket,
                    key: record.key,
                    sequencer: sequencer.next(now: now),
                    time: now,
                    requestID: RequestID.make(),
                    sourceIP: "s3.amazonaws.com",
                    principalID: "s3.amazonaws.com"
                )
                let change = try await store.deleteObject(bucket, record.key, event: event, now: now)
                await discard(committed(change).orphanedBlobs)
                removed += 1
            }
            guard page.count == 1000, let last = page.last else { return removed }
            after = last.key
        }
    }

    /// Reads the bucket's versions in pages and applies the rules to each key's whole history.
    private func expireVersions(_ bucket: String, rules: [ExpirationRule], now: Double) async throws -> Int {
        var removed = 0
        var position = VersionListing.Position(key: "")
        var history: [ObjectRecord] = []
        let pageSize = 1000
        while true {
            let batch = try await store.versions(bucket, prefix: "", after: position, limit: pageSize)
            for row in batch {
                if let first = history.first, first.key != row.record.key {
                    removed += try await expire(history, bucket: bucket, rules: rules, now: now)
                    history = []
                }
                history.append(row.record)
                position = VersionListing.Position(key: row.record.key, olderThan: row.seq)
            }
            if batch.count < pageSize { break }
        }
        if !history.isEmpty { removed += try await expire(history, bucket: bucket, rules: rules, now: now) }
        return removed
    }

    /// Expires the noncurrent versions of one key that are due, and its delete marker when
    /// it is all that remains; `history` is the key's versions, newest first.
    private func expire(_ history: [ObjectRecord], bucket: String, rules: [ExpirationRule], now: Double) async throws -> Int {
        guard let key = history.first?.key else { return 0 }
        var removed = 0
        var remaining = history.count
        for position in 1..<max(history.count, 1) {
            let version = history[position]
            let noncurrentSince = history[position - 1].lastModified
            let due = rules.contains { rule in
                guard let days = rule.noncurrentDays, rule.selects(key: key, size: version.size, tags: version.tags ?? []) else { return false }
                return ExpirationRule.nextMidnight(after: noncurrentSince + Double(days) * 86_400) <= now
            }
            guard due, let versionID = version.versionID else { continue }
            let change = try await store.deleteObject(bucket, key, versionID: versionID, now: now)
            await discard(committed(change).orphanedBlobs)
            removed += 1
            remaining -= 1
        }
        if remaining == 1, let marker = history.first, marker.deleteMarker == true, let versionID = marker.versionID,
            rules.contains(where: { $0.expiredObjectDeleteMarker == true && key.hasPrefix($0.prefix) })
        {
            _ = try await store.deleteObject(bucket, key, versionID: versionID, now: now)
            removed += 1
        }
        return removed
    }

    private func abortStaleUploads(_ bucket: String, rules: [ExpirationRule], now: Double) async throws -> Int {
        var removed = 0
        for upload in try await store.uploads(bucket, prefix: "", after: "", limit: 10_000) {
            let stale = rules.contains { rule in
                guard let days = rule.abortIncompleteDays, upload.key.hasPrefix(rule.prefix) else { return false }
                return ExpirationRule.nextMidnight(after: upload.initiated + Double(days) * 86_400) <= now
            }
            guard stale, let parts = try await store.removeUpload(upload.uploadID) else { continue }
            await discard(parts)
            removed += 1
        }
        return removed
    }
}
