import NimbusWire

/// Records are stored as JSON written and read here, member by member through NimbusWire's
/// writer and parser: `JSONDecoder` was the largest single cost of an S3 GET and `JSONEncoder`
/// of a PUT's CPU. Members are named after the properties, as the `Codable` encoding that wrote
/// the records of earlier versions named them. `StoredRecordTests` checks that every stored
/// property round-trips.
extension ObjectRecord {
    /// The record as stored, for `stored(_:)` to read back.
    var storedJSON: String {
        var object = StoredObjectWriter()
        object.string("blob", blob)
        object.string("bucket", bucket)
        object.strings("checksums", checksums)
        object.value("deleteMarker", deleteMarker.map(JSONValue.bool))
        object.string("eTag", eTag)
        object.member("headers") { headers.write(into: &$0) }
        object.string("key", key)
        object.number("lastModified", "\(lastModified)")
        object.number("partsCount", partsCount.map { String($0) })
        object.number("size", String(size))
        object.value("tags", tags.map(ObjectTag.json))
        object.string("versionID", versionID)
        return object.text
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
    var storedJSON: String {
        var object = StoredObjectWriter()
        write(into: &object)
        return object.text
    }

    /// Writes the headers' members (in ascending key order, as `StoredObjectWriter` needs).
    fileprivate func write(into object: inout StoredObjectWriter) {
        object.string("cacheControl", cacheControl)
        object.string("contentDisposition", contentDisposition)
        object.string("contentEncoding", contentEncoding)
        object.string("contentLanguage", contentLanguage)
        object.string("contentType", contentType)
        object.string("expires", expires)
        object.strings("metadata", metadata)
        object.value("tags", tags.map(ObjectTag.json))
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

/// Writes a stored object member by member, without building a tree of values first (that
/// was 1.9 % of an S3 PUT's profile). Members must come in ascending key order: the text is then
/// the same as `JSONWriter` gives for the whole object (`StoredRecordTests` checks it). A `nil`
/// value leaves its member out.
private struct StoredObjectWriter {
    private var writer = JSONWriter()
    private var first = true

    init() {
        writer.openObject()
    }

    mutating func string(_ key: String, _ value: String?) {
        guard let value else { return }
        self.key(key)
        writer.writeString(value)
    }

    /// A number member from its JSON text.
    mutating func number(_ key: String, _ text: String?) {
        value(key, text.map(JSONValue.number))
    }

    /// An object of strings, written even when empty.
    mutating func strings(_ key: String, _ members: [String: String]) {
        self.key(key)
        writer.writeObject(strings: members.sorted { $0.key < $1.key })
    }

    mutating func value(_ key: String, _ value: JSONValue?) {
        guard let value else { return }
        self.key(key)
        writer.write(value)
    }

    /// An object member whose members `body` writes.
    mutating func member(_ key: String, _ body: (inout StoredObjectWriter) -> Void) {
        self.key(key)
        writer.openObject()
        first = true
        body(&self)
        writer.closeObject()
        first = false
    }

    /// The object's text; the writer is done.
    var text: String {
        mutating get {
            writer.closeObject()
            return String(decoding: writer.bytes, as: UTF8.self)
        }
    }

    private mutating func key(_ key: String) {
        writer.writeKey(key, first: first)
        first = false
    }
}
