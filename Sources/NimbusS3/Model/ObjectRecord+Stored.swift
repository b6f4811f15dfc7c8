import NimbusWire

/// Records are stored as JSON written and read here, member by member through NimbusWire's
/// writer and parser: `JSONDecoder` was the largest single cost of an S3 GET and `JSONEncoder`
/// of a PUT's CPU. Members are named after the properties, as the `Codable` encoding that wrote
/// the records of earlier versions named them. `StoredRecordTests` checks that every stored
/// property round-trips.
extension ObjectRecord {
    /// The record as stored, for `stored(_:)` to read back.
    var storedJSON: String {
        var members: [String: JSONValue] = [
            "bucket": .string(bucket),
            "key": .string(key),
            "blob": .string(blob),
            "size": .number(String(size)),
            "eTag": .string(eTag),
            "lastModified": .number("\(lastModified)"),
            "headers": .object(headers.members),
            "checksums": .object(checksums.mapValues(JSONValue.string)),
        ]
        members["partsCount"] = partsCount.map { .number(String($0)) }
        members["versionID"] = versionID.map(JSONValue.string)
        members["deleteMarker"] = deleteMarker.map(JSONValue.bool)
        members["tags"] = tags.map(ObjectTag.json)
        return StoredJSON.text(members)
    }

    /// The record stored as `text`, or `nil` when there is none or it is not a record.
    static func stored(_ text: String?) -> ObjectRecord? {
        StoredJSON.members(text).flatMap(ObjectRecord.init(members:))
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
    /// The headers as stored (a multipart upload's), for `stored(_:)` to read back.
    var storedJSON: String { StoredJSON.text(members) }

    fileprivate var members: [String: JSONValue] {
        var members: [String: JSONValue] = ["metadata": .object(metadata.mapValues(JSONValue.string))]
        members["contentType"] = contentType.map(JSONValue.string)
        members["contentEncoding"] = contentEncoding.map(JSONValue.string)
        members["contentDisposition"] = contentDisposition.map(JSONValue.string)
        members["contentLanguage"] = contentLanguage.map(JSONValue.string)
        members["cacheControl"] = cacheControl.map(JSONValue.string)
        members["expires"] = expires.map(JSONValue.string)
        members["tags"] = tags.map(ObjectTag.json)
        return members
    }

    /// The headers stored as `text` (a multipart upload's), or `nil`.
    static func stored(_ text: String?) -> ObjectHeaders? {
        StoredJSON.members(text).map(ObjectHeaders.init(members:))
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
    /// `tags` as stored: objects with a `key` and a `value`.
    fileprivate static func json(_ tags: [ObjectTag]) -> JSONValue {
        .array(tags.map { .object(["key": .string($0.key), "value": .string($0.value)]) })
    }

    /// The tags among `elements` (objects with a `key` and a `value`).
    fileprivate static func list(_ elements: [JSONValue]) -> [ObjectTag] {
        elements.compactMap { element in
            guard let key = element.objectValue?["key"]?.stringValue, let value = element.objectValue?["value"]?.stringValue else { return nil }
            return ObjectTag(key: key, value: value)
        }
    }
}

/// The text of a stored JSON object, both ways.
private enum StoredJSON {
    static func text(_ members: [String: JSONValue]) -> String {
        String(decoding: JSONWriter.encode(.object(members)), as: UTF8.self)
    }

    /// The object's members, or `nil` when `text` is missing or not a JSON object.
    static func members(_ text: String?) -> [String: JSONValue]? {
        text.flatMap { (try? JSONParser.parse($0.utf8))?.objectValue }
    }
}
