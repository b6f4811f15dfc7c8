import Foundation

/// The members GetObject and HeadObject share (their outputs' headers), set from the
/// object's record straight into either generated output shape.
struct ObjectView {
    let record: ObjectRecord

    /// Sets the shared members of `output`; with `checksums`, the record's checksums too.
    func fill(_ output: inout some ObjectViewOutput, checksums: Bool) {
        let headers = record.headers
        output.acceptRanges = "bytes"
        output.contentLength = Int64(record.size)
        output.eTag = record.eTag
        output.lastModified = Date(timeIntervalSince1970: record.lastModified.rounded(.down))
        output.contentType = headers.contentType
        output.contentEncoding = headers.contentEncoding
        output.contentDisposition = headers.contentDisposition
        output.contentLanguage = headers.contentLanguage
        output.cacheControl = headers.cacheControl
        output.expires = headers.expires
        output.metadata = headers.metadata.isEmpty ? nil : headers.metadata
        output.partsCount = record.partsCount
        output.versionId = record.versionID
        output.tagCount = record.tags.flatMap { $0.isEmpty ? nil : $0.count }
        if checksums {
            output.checksumCRC32 = record.checksums["crc32"]
            output.checksumCRC32C = record.checksums["crc32c"]
            output.checksumCRC64NVME = record.checksums["crc64nvme"]
            output.checksumSHA1 = record.checksums["sha1"]
            output.checksumSHA256 = record.checksums["sha256"]
            if !record.checksums.isEmpty { output.checksumType = record.partsCount == nil ? "FULL_OBJECT" : "COMPOSITE" }
        }
    }
}

/// The members of the generated GetObject and HeadObject outputs that `ObjectView` sets.
protocol ObjectViewOutput {
    var acceptRanges: String? { get set }
    var contentLength: Int64? { get set }
    var eTag: String? { get set }
    var lastModified: Date? { get set }
    var contentType: String? { get set }
    var contentEncoding: String? { get set }
    var contentDisposition: String? { get set }
    var contentLanguage: String? { get set }
    var cacheControl: String? { get set }
    var expires: String? { get set }
    var metadata: [String: String]? { get set }
    var partsCount: Int? { get set }
    var versionId: String? { get set }
    var tagCount: Int? { get set }
    var checksumCRC32: String? { get set }
    var checksumCRC32C: String? { get set }
    var checksumCRC64NVME: String? { get set }
    var checksumSHA1: String? { get set }
    var checksumSHA256: String? { get set }
    var checksumType: String? { get set }
}

extension S3Shapes.GetObjectOutput: ObjectViewOutput {}
extension S3Shapes.HeadObjectOutput: ObjectViewOutput {}
