import NimbusCore
import NimbusS3
import NimbusWire
import Testing

/// GetObject and HeadObject of a key hidden by a delete marker, as S3 answers them.
@Suite struct DeleteMarkerReadTests {
    func failure(_ body: () async throws -> Void) async -> AWSError? {
        do {
            try await body()
            return nil
        } catch {
            return error as? AWSError
        }
    }

    @Test func currentMarkerIsNoSuchKeyNamingIt() async throws {
        try await withS3 { h in
            let s3 = h.service
            _ = try await s3.createBucket(S3Shapes.CreateBucketRequest(bucket: "markers"), context: s3Context())
            try await s3.putBucketVersioning(
                S3Shapes.PutBucketVersioningRequest(bucket: "markers", versioningConfiguration: S3Shapes.VersioningConfiguration(status: "Enabled")),
                context: s3Context()
            )
            _ = try await s3.putObject(S3Shapes.PutObjectRequest(bucket: "markers", key: "k"), context: s3Context([1, 2, 3]))
            let deleted = try await s3.deleteObject(S3Shapes.DeleteObjectRequest(bucket: "markers", key: "k"), context: s3Context())
            let marker = try #require(deleted.versionId)
            #expect(deleted.deleteMarker == true)

            let get = await failure { _ = try await s3.getObject(S3Shapes.GetObjectRequest(bucket: "markers", key: "k"), context: s3Context()) }
            #expect(get?.code == "NoSuchKey" && get?.status == 404)
            #expect(get?.headers == ["x-amz-delete-marker": "true", "x-amz-version-id": marker])
            let head = await failure { _ = try await s3.headObject(S3Shapes.HeadObjectRequest(bucket: "markers", key: "k"), context: s3Context()) }
            #expect(head?.code == "NoSuchKey" && head?.headers["x-amz-delete-marker"] == "true")

            let byVersion = await failure {
                _ = try await s3.getObject(S3Shapes.GetObjectRequest(bucket: "markers", key: "k", versionId: marker), context: s3Context())
            }
            #expect(byVersion?.code == "MethodNotAllowed" && byVersion?.status == 405)
            #expect(byVersion?.headers["x-amz-delete-marker"] == "true" && byVersion?.headers["x-amz-version-id"] == marker)
            #expect(byVersion?.headers["Last-Modified"] != nil)
            #expect(byVersion?.details["ResourceType"] == "DeleteMarker" && byVersion?.details["Method"] == "GET")
            let headVersion = await failure {
                _ = try await s3.headObject(S3Shapes.HeadObjectRequest(bucket: "markers", key: "k", versionId: marker), context: s3Context())
            }
            #expect(headVersion?.status == 405 && headVersion?.details["Method"] == "HEAD")

            // A key that never existed is a plain NoSuchKey.
            let missing = await failure {
                _ = try await s3.getObject(S3Shapes.GetObjectRequest(bucket: "markers", key: "other"), context: s3Context())
            }
            #expect(missing?.code == "NoSuchKey" && missing?.headers.isEmpty == true)
        }
    }
}
