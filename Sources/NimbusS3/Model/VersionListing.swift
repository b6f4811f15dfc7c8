import Foundation

/// One page of ListObjectVersions: versions and delete markers by key, newest first within
/// a key, after the (`KeyMarker`, `VersionIdMarker`) position, with keys rolled up into
/// common prefixes at the delimiter; each version and each prefix counts against `MaxKeys`.
struct VersionListing {
    struct Entry {
        var record: ObjectRecord
        var isLatest: Bool
    }

    var entries: [Entry] = []
    var commonPrefixes: [String] = []
    var isTruncated = false
    var nextKeyMarker: String?
    var nextVersionIDMarker: String?

    /// - Parameter all: the versions from the key marker on (the marker's key with all its
    ///   versions), ordered by key and newest first within a key.
    static func page(
        _ all: [ObjectRecord],
        keyMarker: String?,
        versionIDMarker: String?,
        delimiter: String?,
        prefix: String,
        maxKeys: Int
    ) -> VersionListing {
        var listing = VersionListing()
        var previousKey: String?
        let hasVersionMarker = !(versionIDMarker ?? "").isEmpty
        var passedVersionMarker = false
        var count = 0
        for record in all {
            let isLatest = record.key != previousKey
            previousKey = record.key
            if let keyMarker, !keyMarker.isEmpty {
                if record.key < keyMarker { continue }
                // Without a version marker the whole marker key is behind us; with one, its
                // versions up to and including the marker are.
                if record.key == keyMarker, !hasVersionMarker || !passedVersionMarker {
                    if record.versionID == versionIDMarker { passedVersionMarker = true }
                    continue
                }
            }
            if let delimiter, !delimiter.isEmpty, let range = record.key.dropFirst(prefix.count).range(of: delimiter) {
                let common = String(record.key[..<range.upperBound])
                if listing.commonPrefixes.last == common { continue }
                if let keyMarker, common <= keyMarker, keyMarker.hasPrefix(common) { continue }
                if count == maxKeys {
                    listing.isTruncated = true
                    break
                }
                listing.commonPrefixes.append(common)
                listing.nextKeyMarker = common
                listing.nextVersionIDMarker = nil
                count += 1
                continue
            }
            if count == maxKeys {
                listing.isTruncated = true
                break
            }
            listing.entries.append(Entry(record: record, isLatest: isLatest))
            listing.nextKeyMarker = record.key
            listing.nextVersionIDMarker = record.versionID
            count += 1
        }
        return listing
    }
}
