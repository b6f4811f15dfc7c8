/// One page of a bucket listing (ListObjects, ListObjectsV2, ListMultipartUploads' keys):
/// keys after a marker, under a prefix, with keys that share the part up to the next
/// delimiter after the prefix rolled up into one common prefix.
///
/// The keys come from `fetch`, in UTF-8 binary order (S3's order, and SQLite's for TEXT),
/// in batches: `fetch(after, limit)` returns up to `limit` keys greater than `after` that
/// start with the prefix. A rolled-up prefix is skipped over in one fetch.
package struct ObjectListing<Entry: Sendable>: Sendable {
    package var entries: [Entry] = []
    package var commonPrefixes: [String] = []
    package var isTruncated = false
    /// The last key or common prefix returned: the next page starts after it.
    package var nextMarker: String?

    package init() {}

    /// Lists at most `maxKeys` entries and common prefixes together.
    package static func page(
        prefix: String,
        delimiter: String?,
        after marker: String,
        maxKeys: Int,
        key: (Entry) -> String,
        fetch: (_ after: String, _ limit: Int) async throws -> [Entry]
    ) async throws -> ObjectListing {
        var listing = ObjectListing()
        var cursor = marker
        let delimiter = delimiter.flatMap { $0.isEmpty ? nil : $0 }
        guard maxKeys > 0 else { return listing }
        var count = 0
        while true {
            let limit = max(maxKeys - count + 1, 100)
            let batch = try await fetch(cursor, limit)
            var jumped = false
            for entry in batch {
                let name = key(entry)
                var rolledUp: String?
                if let delimiter, let range = name.dropFirst(prefix.count).firstRange(of: delimiter) {
                    rolledUp = String(name[..<range.upperBound])
                }
                if let common = rolledUp, common <= marker {
                    // A marker inside a common prefix already returned: skip the rest of it.
                    cursor = common + "\u{10FFFF}"
                    jumped = true
                    break
                }
                if count == maxKeys {
                    listing.isTruncated = true
                    return listing
                }
                if let common = rolledUp {
                    listing.commonPrefixes.append(common)
                    listing.nextMarker = common
                    count += 1
                    cursor = common + "\u{10FFFF}"
                    jumped = true
                    break
                }
                listing.entries.append(entry)
                listing.nextMarker = name
                count += 1
                cursor = name
            }
            if !jumped && batch.count < limit { return listing }
        }
    }
}
