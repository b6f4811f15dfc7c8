import NimbusCore
import NimbusS3
import NimbusWire
import Testing

@Suite struct ObjectReaderTests {
    @Test func readsTheWholeObjectOrNamesS3sError() async throws {
        try await withS3 { h in
            _ = try await h.service.createBucket(S3Shapes.CreateBucketRequest(bucket: "code"), context: s3Context())
            let bytes = (0..<300_000).map { UInt8(truncatingIfNeeded: $0 * 7) }
            _ = try await h.service.putObject(S3Shapes.PutObjectRequest(bucket: "code", key: "fn.zip"), context: s3Context(bytes))
            let reader: any ObjectReader = h.service
            #expect(try await reader.objectBytes(bucket: "code", key: "fn.zip", versionID: nil, limit: 1 << 20) == bytes)
            #expect(try await reader.objectBytes(bucket: "code", key: "fn.zip", versionID: "null", limit: 1 << 20) == bytes)

            func code(_ body: () async throws -> [UInt8]) async -> String? {
                do {
                    _ = try await body()
                    return nil
                } catch let error as AWSError {
                    return error.code
                } catch {
                    return "\(error)"
                }
            }
            #expect(await code { try await reader.objectBytes(bucket: "code", key: "missing", versionID: nil, limit: 1 << 20) } == "NoSuchKey")
            #expect(
                await code { try await reader.objectBytes(bucket: "nope-bucket", key: "fn.zip", versionID: nil, limit: 1 << 20) } == "NoSuchBucket"
            )
            #expect(await code { try await reader.objectBytes(bucket: "code", key: "fn.zip", versionID: "v9", limit: 1 << 20) } == "InvalidArgument")
            #expect(await code { try await reader.objectBytes(bucket: "code", key: "fn.zip", versionID: nil, limit: 1000) } == "EntityTooLarge")
        }
    }
}
