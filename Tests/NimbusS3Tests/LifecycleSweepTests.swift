import NimbusCore
import NimbusS3
import NimbusTesting
import NimbusWire
import Testing

@Suite struct LifecycleSweepTests {
    func expireAfterOneDay(_ h: S3Harness, bucket: String) async throws {
        _ = try await h.service.putBucketLifecycleConfiguration(
            S3Shapes.PutBucketLifecycleConfigurationRequest(
                bucket: bucket,
                lifecycleConfiguration: S3Shapes.BucketLifecycleConfiguration(
                    rules: [
                        S3Shapes.LifecycleRule(
                            expiration: S3Shapes.LifecycleExpiration(days: 1),
                            filter: S3Shapes.LifecycleRuleFilter(prefix: "tmp/"),
                            id: "tmp",
                            status: "Enabled"
                        )
                    ]
                )
            ),
            context: s3Context()
        )
    }

    func keys(_ h: S3Harness, _ bucket: String) async throws -> [String] {
        try await h.service.listObjectsV2(S3Shapes.ListObjectsV2Request(bucket: bucket), context: s3Context()).contents?.compactMap(\.key) ?? []
    }

    @Test func objectsExpireAtTheMidnightAfterTheirDays() async throws {
        try await withS3 { h in
            _ = try await h.service.createBucket(S3Shapes.CreateBucketRequest(bucket: "life"), context: s3Context())
            for key in ["tmp/a", "keep/b"] {
                _ = try await h.service.putObject(S3Shapes.PutObjectRequest(bucket: "life", key: key), context: s3Context(Array("x".utf8)))
            }
            try await expireAfterOneDay(h, bucket: "life")
            #expect(try await h.service.sweepLifecycle() == 0)
            h.clock.advance(by: 86_400)
            #expect(try await h.service.sweepLifecycle() == 0)  // created 03:04 UTC: due at the second midnight
            h.clock.advance(by: 86_400)
            #expect(try await h.service.sweepLifecycle() == 1)
            #expect(try await keys(h, "life") == ["keep/b"])
        }
    }

    @Test func inAVersionedBucketExpiryAddsADeleteMarker() async throws {
        try await withS3 { h in
            _ = try await h.service.createBucket(S3Shapes.CreateBucketRequest(bucket: "life"), context: s3Context())
            try await h.service.putBucketVersioning(
                S3Shapes.PutBucketVersioningRequest(bucket: "life", versioningConfiguration: S3Shapes.VersioningConfiguration(status: "Enabled")),
                context: s3Context()
            )
            _ = try await h.service.putObject(S3Shapes.PutObjectRequest(bucket: "life", key: "tmp/a"), context: s3Context(Array("x".utf8)))
            try await expireAfterOneDay(h, bucket: "life")
            h.clock.advance(by: 3 * 86_400)
            #expect(try await h.service.sweepLifecycle() == 1)
            #expect(try await keys(h, "life") == [])
            let versions = try await h.service.listObjectVersions(S3Shapes.ListObjectVersionsRequest(bucket: "life"), context: s3Context())
            #expect(versions.versions?.count == 1)
            #expect(versions.deleteMarkers?.first?.isLatest == true)
        }
    }
}
