import Foundation

/// One page of ListObjectVersions: versions and delete markers by key, newest first within
/// a key, after the (`KeyMarker`, `VersionIdMarker`) position, with keys rolled up into
/// common prefixes at the delimiter; each version and each prefix counts against `MaxKeys`.
///
/// The versions come from `fetch` in batches, in listing order, from a `Position`: a page
/// reads about `MaxKeys` rows (more only to step over rolled-up prefixes), never the bucket.
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectVersions.html
struct VersionListing {
    struct Entry {
        var record: ObjectRecord
        var isLatest: Bool
    }

    /// A version as stored, with its place among its key's versions (higher is newer).
    struct Row: Sendable {
        var record: ObjectRecord
        var seq: Int
    }

    /// Where a listing resumes: after every version of keys up to `key`, except the versions
    /// of `key` itself older than `olderThan` when it is set.
    struct Position: Sendable, Hashable {
        var key: String
        var olderThan: Int?

        init(key: String, olderThan: Int? = nil) {
            self.key = key
            self.olderThan = olderThan
        }
    }

    var entries: [Entry] = []
    var commonPrefixes: [String] = []
    var isTruncated = false
    var nextKeyMarker: String?
    var nextVersionIDMarker: String?

    /// Lists at most `maxKeys` versions and common prefixes together.
    /// - Parameters:
    ///   - start: the position the request's markers name.
    ///   - fetch: up to `limit` rows after a position, under the prefix, in listing order.
    static func page(
        prefix: String,
        delimiter: String?,
        from start: Position,
        maxKeys: Int,
        fetch: (_ after: Position, _ limit: Int) async throws -> [Row]
    ) async throws -> VersionListing {
        var listing = VersionListing()
        guard maxKeys > 0 else { return listing }
        let delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }
        var cursor = start
        // Resuming inside a key: its newest version was on an earlier page.
        var previousKey: String? = start.olderThan == nil ? nil : start.key
        var count = 0
        while true {
            let limit = max(maxKeys - count + 1, 100)
            let batch = try await fetch(cursor, limit)
            var jumped = false
            for row in batch {
                let key = row.record.key
                let isLatest = key != previousKey
                previousKey = key
                if let delimiter, let range = key.dropFirst(prefix.count).firstRange(of: delimiter) {
                    let common = String(key[..<range.upperBound])
                    // A prefix returned before (the marker is inside it, or is it) is skipped; a new
                    // one counts once. Compared by UTF-8 bytes, the store's order.
                    if start.key.utf8.lexicographicallyPrecedes(common.utf8) {
                        if count == maxKeys {
                            listing.isTruncated = true
                            return listing
                        }
                        listing.commonPrefixes.append(common)
                        listing.nextKeyMarker = common
                        listing.nextVersionIDMarker = nil
                        count += 1
                    }
                    cursor = Position(key: common + "\u{10FFFF}", olderThan: nil)
                    jumped = true
                    break
                }
                if count == maxKeys {
                    listing.isTruncated = true
                    return listing
                }
                listing.entries.append(Entry(record: row.record, isLatest: isLatest))
                listing.nextKeyMarker = key
                listing.nextVersionIDMarker = row.record.versionID
                count += 1
                cursor = Position(key: key, olderThan: row.seq)
            }
            if !jumped && batch.count < limit { return listing }
        }
    }
}
