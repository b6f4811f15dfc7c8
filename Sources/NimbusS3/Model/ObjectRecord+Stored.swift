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
    ///
    /// Read member by member from the text (an S3 GET reads one record per request); a member
    /// of the wrong type counts as missing, as when the members were looked up in a parsed tree.
    static func stored(_ text: String?) -> ObjectRecord? {
        guard let text else { return nil }
        var reading = StoredMembers()
        do {
            try JSONParser.readObject(text.utf8) { name, parser throws(WireError) in try reading.read(name, from: &parser) }
        } catch {
            return nil
        }
        return reading.record
    }
}

/// The members of a stored record as they are read.
private struct StoredMembers {
    var bucket: String?
    var key: String?
    var blob: String?
    var size: Int?
    var eTag: String?
    var lastModified: Double?
    var headers: ObjectHeaders?
    var checksums: [String: String] = [:]
    var partsCount: Int?
    var versionID: String?
    var deleteMarker: Bool?
    var tags: [ObjectTag]?

    mutating func read(_ name: String, from parser: inout JSONParser) throws(WireError) {
        switch name {
        case "headers":
            var headers = ObjectHeaders()
            try parser.readMembers { name, parser throws(WireError) in try headers.read(name, from: &parser) }
            self.headers = headers
        case "bucket": bucket = try parser.value().stringValue
        case "key": key = try parser.value().stringValue
        case "blob": blob = try parser.value().stringValue
        case "size": size = try parser.value().intValue
        case "eTag": eTag = try parser.value().stringValue
        case "lastModified": lastModified = try parser.value().doubleValue
        case "checksums": checksums = try parser.value().objectValue?.compactMapValues { $0.stringValue } ?? [:]
        case "partsCount": partsCount = try parser.value().intValue
        case "versionID": versionID = try parser.value().stringValue
        case "deleteMarker": deleteMarker = try parser.value().boolValue
        case "tags": tags = try parser.value().arrayValue.map(ObjectTag.list)
        default: _ = try parser.value()
        }
    }

    /// The record, when every required member was read.
    var record: ObjectRecord? {
        guard let bucket, let key, let blob, let size, let eTag, let lastModified, let headers else { return nil }
        var record = ObjectRecord(bucket: bucket, key: key, blob: blob, size: size, eTag: eTag, lastModified: lastModified, headers: headers)
        record.checksums = checksums
        record.partsCount = partsCount
        record.versionID = versionID
        record.deleteMarker = deleteMarker
        record.tags = tags
        return record
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
        guard let text else { return nil }
        var headers = ObjectHeaders()
        do {
            try JSONParser.readObject(text.utf8) { name, parser throws(WireError) in try headers.read(name, from: &parser) }
        } catch {
            return nil
        }
        return headers
    }

    /// Reads the stored member `name` from `parser`; members it does not know are skipped.
    fileprivate mutating func read(_ name: String, from parser: inout JSONParser) throws(WireError) {
        let value = try parser.value()
        switch name {
        case "contentType": contentType = value.stringValue
        case "contentEncoding": contentEncoding = value.stringValue
        case "contentDisposition": contentDisposition = value.stringValue
        case "contentLanguage": contentLanguage = value.stringValue
        case "cacheControl": cacheControl = value.stringValue
        case "expires": expires = value.stringValue
        case "metadata": metadata = value.objectValue?.compactMapValues { $0.stringValue } ?? [:]
        case "tags": tags = value.arrayValue.map(ObjectTag.list)
        default: break
        }
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

/// The text of a stored JSON object.
private enum StoredJSON {
    static func text(_ members: [String: JSONValue]) -> String {
        String(decoding: JSONWriter.encode(.object(members)), as: UTF8.self)
    }
}
