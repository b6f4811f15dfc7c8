/// An object as stored: where its bytes are and what S3 returns about it (stored as
/// `storedJSON`, read with `stored(_:)`).
struct ObjectRecord: Sendable, Hashable {
    var bucket: String
    var key: String
    /// Where the bytes are: a blob key, or the name of an inline body (`ObjectBody.isInline`).
    var blob: String
    var size: Int
    /// Quoted, as S3 sends it.
    var eTag: String
    var lastModified: Double
    var headers: ObjectHeaders
    /// Additional checksums by algorithm name (`crc32`…), base64 as clients send them.
    var checksums: [String: String] = [:]
    var partsCount: Int?
    /// The version id in a bucket whose versioning was ever set (`null` for the null version); `nil` otherwise.
    var versionID: String?
    /// A delete marker: a version without bytes that hides the key.
    var deleteMarker: Bool?
    /// The object's tags, in the order they were given.
    var tags: [ObjectTag]?
}

/// One tag of an object or bucket.
package struct ObjectTag: Sendable, Codable, Hashable {
    package var key: String
    package var value: String

    package init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// The representation headers and user metadata kept with an object.
struct ObjectHeaders: Sendable, Hashable {
    var contentType: String?
    var contentEncoding: String?
    var contentDisposition: String?
    var contentLanguage: String?
    var cacheControl: String?
    var expires: String?
    var metadata: [String: String] = [:]
    /// A multipart upload's `x-amz-tagging`, until completion gives the object its tags.
    var tags: [ObjectTag]?
}
