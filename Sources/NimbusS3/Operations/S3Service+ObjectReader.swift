import NimbusCore
import NimbusStore
import NimbusWire

/// Other services read objects through `ObjectReader` (Lambda code from `S3Bucket`/`S3Key`).
extension S3Service: ObjectReader {
    package func objectBytes(bucket: String, key: String, versionID: String?, limit: Int) async throws -> [UInt8] {
        let record = try await readableObject(bucket, key, versionID: versionID)
        guard record.size <= limit else { throw S3Errors.entityTooLarge(record.size, limit: limit) }
        guard let body = try await openBody(record) else { throw S3Errors.noSuchKey(key) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(record.size)
        let stream = body.stream(from: 0, count: record.size)
        while let piece = try await stream.next() { bytes += piece }
        return bytes
    }
}
