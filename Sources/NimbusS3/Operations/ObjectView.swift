import Foundation
import NimbusWire

/// The members GetObject and HeadObject share (their outputs' headers), built once as a
/// `WireValue` both generated output shapes decode.
struct ObjectView {
    let record: ObjectRecord

    func wire(checksums: Bool) -> WireValue {
        var object = WireObject()
        let headers = record.headers
        object.set("AcceptRanges", "bytes")
        object.set("ContentLength", Int64(record.size))
        object.set("ETag", record.eTag)
        object.set("LastModified", Date(timeIntervalSince1970: record.lastModified.rounded(.down)))
        object.set("ContentType", headers.contentType)
        object.set("ContentEncoding", headers.contentEncoding)
        object.set("ContentDisposition", headers.contentDisposition)
        object.set("ContentLanguage", headers.contentLanguage)
        object.set("CacheControl", headers.cacheControl)
        object.set("Expires", headers.expires)
        object.set("Metadata", headers.metadata.isEmpty ? nil : headers.metadata)
        object.set("PartsCount", record.partsCount)
        object.set("VersionId", record.versionID)
        object.set("TagCount", record.tags.map { $0.isEmpty ? nil : Int64($0.count) } ?? nil)
        if checksums {
            object.set("ChecksumCRC32", record.checksums["crc32"])
            object.set("ChecksumCRC32C", record.checksums["crc32c"])
            object.set("ChecksumCRC64NVME", record.checksums["crc64nvme"])
            object.set("ChecksumSHA1", record.checksums["sha1"])
            object.set("ChecksumSHA256", record.checksums["sha256"])
            if !record.checksums.isEmpty { object.set("ChecksumType", record.partsCount == nil ? "FULL_OBJECT" : "COMPOSITE") }
        }
        return object.value
    }
}
