import Foundation
import NimbusCore
package import NimbusWire

/// GetObjectAttributes: the attributes asked for, without the object's bytes.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObjectAttributes.html
extension S3Service {
    static let objectAttributeNames: Set<String> = ["ETag", "Checksum", "ObjectParts", "StorageClass", "ObjectSize"]

    package func getObjectAttributes(
        _ input: S3Shapes.GetObjectAttributesRequest,
        context: RequestContext
    ) async throws -> S3Shapes.GetObjectAttributesOutput {
        let asked = Set(input.objectAttributes.flatMap { $0.split(separator: ",").map { $0.trimming(" ") } })
        guard !asked.isEmpty else {
            throw S3Errors.invalidArgument(
                "Missing required header for this request: x-amz-object-attributes",
                name: "x-amz-object-attributes",
                value: ""
            )
        }
        for name in asked where !Self.objectAttributeNames.contains(name) {
            throw S3Errors.invalidArgument("Invalid attribute name specified.", name: "x-amz-object-attributes", value: name)
        }
        let record = try await readableObject(input.bucket, input.key, versionID: input.versionId)
        var output = S3Shapes.GetObjectAttributesOutput(
            lastModified: Date(timeIntervalSince1970: record.lastModified.rounded(.down)),
            versionId: record.versionID
        )
        // S3 gives the ETag here without quotes.
        if asked.contains("ETag") { output.eTag = record.eTag.replacingOccurrences(of: "\"", with: "") }
        if asked.contains("ObjectSize") { output.objectSize = Int64(record.size) }
        if asked.contains("StorageClass") { output.storageClass = "STANDARD" }
        if asked.contains("Checksum"), !record.checksums.isEmpty {
            output.checksum = S3Shapes.Checksum(
                checksumCRC32: record.checksums["crc32"],
                checksumCRC32C: record.checksums["crc32c"],
                checksumCRC64NVME: record.checksums["crc64nvme"],
                checksumSHA1: record.checksums["sha1"],
                checksumSHA256: record.checksums["sha256"],
                checksumType: record.partsCount == nil ? "FULL_OBJECT" : "COMPOSITE"
            )
        }
        if asked.contains("ObjectParts"), let parts = record.partsCount {
            output.objectParts = S3Shapes.GetObjectAttributesParts(totalPartsCount: parts)
        }
        return output
    }
}
