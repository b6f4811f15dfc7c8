import NimbusWire

/// Records are stored as the JSON `JSONEncoder` writes for them (`S3Store.encode`) and read back
/// here, member by member from NimbusWire's parser: `JSONDecoder` was the largest single cost
/// of an S3 GET. `StoredRecordTests` checks that every stored property round-trips.
extension ObjectRecord {
    /// The record stored as `text`, or `nil` when there is none or it is not a record.
    static func stored(_ text: String?) -> ObjectRecord? {
        guard let text, let members = (try? JSONParser.parse(text.utf8))?.objectValue else { return nil }
        return ObjectRecord(members: members)
    }

    private init?(members: [String: JSONValue]) {
        guard let bucket = members["bucket"]?.stringValue, let key = members["key"]?.stringValue,
            let blob = members["blob"]?.stringValue, let size = members["size"]?.intValue,
            let eTag = members["eTag"]?.stringValue, let lastModified = members["lastModified"]?.doubleValue,
            let headers = members["headers"]?.objectValue.flatMap(ObjectHeaders.init(members:))
        else { return nil }
        self.init(bucket: bucket, key: key, blob: blob, size: size, eTag: eTag, lastModified: lastModified, headers: headers)
        checksums = members["checksums"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        partsCount = members["partsCount"]?.intValue
        versionID = members["versionID"]?.stringValue
        deleteMarker = members["deleteMarker"]?.boolValue
        tags = members["tags"]?.arrayValue.map(ObjectTag.list)
    }
}

extension ObjectHeaders {
    /// The headers stored as `text` (a multipart upload's), or `nil`.
    static func stored(_ text: String?) -> ObjectHeaders? {
        guard let text, let members = (try? JSONParser.parse(text.utf8))?.objectValue else { return nil }
        return ObjectHeaders(members: members)
    }

    fileprivate init(members: [String: JSONValue]) {
        self.init()
        contentType = members["contentType"]?.stringValue
        contentEncoding = members["contentEncoding"]?.stringValue
        contentDisposition = members["contentDisposition"]?.stringValue
        contentLanguage = members["contentLanguage"]?.stringValue
        cacheControl = members["cacheControl"]?.stringValue
        expires = members["expires"]?.stringValue
        metadata = members["metadata"]?.objectValue?.compactMapValues(\.stringValue) ?? [:]
        tags = members["tags"]?.arrayValue.map(ObjectTag.list)
    }
}

extension ObjectTag {
    /// The tags among `elements` (objects with a `key` and a `value`).
    fileprivate static func list(_ elements: [JSONValue]) -> [ObjectTag] {
        elements.compactMap { element in
            guard let key = element.objectValue?["key"]?.stringValue, let value = element.objectValue?["value"]?.stringValue else { return nil }
            return ObjectTag(key: key, value: value)
        }
    }
}
