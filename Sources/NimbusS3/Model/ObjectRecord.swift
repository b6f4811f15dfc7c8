/// An object as stored: where its bytes are and what S3 returns about it.
struct ObjectRecord: Sendable, Codable, Hashable {
    var bucket: String
    var key: String
    /// The blob holding the bytes.
    var blob: String
    var size: Int
    /// Quoted, as S3 sends it.
    var eTag: String
    var lastModified: Double
    var headers: ObjectHeaders
    /// Additional checksums by algorithm name (`crc32`…), base64 as clients send them.
    var checksums: [String: String] = [:]
    var partsCount: Int?
}

/// The representation headers and user metadata kept with an object.
struct ObjectHeaders: Sendable, Codable, Hashable {
    var contentType: String?
    var contentEncoding: String?
    var contentDisposition: String?
    var contentLanguage: String?
    var cacheControl: String?
    var expires: String?
    var metadata: [String: String] = [:]
}
