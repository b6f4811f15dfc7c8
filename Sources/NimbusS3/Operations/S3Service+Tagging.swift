import NimbusCore
import NimbusStore
package import NimbusWire

/// Object tagging (Put/Get/DeleteObjectTagging, notified as `ObjectTagging:Put`/`:Delete`) and
/// bucket tagging (Put/Get/DeleteBucketTagging).
extension S3Service {
    package func putObjectTagging(_ input: S3Shapes.PutObjectTaggingRequest, context: RequestContext) async throws -> S3Shapes.PutObjectTaggingOutput
    {
        let tags = input.tagging.tagSet.map { ObjectTag(key: $0.key, value: $0.value) }
        try ObjectTagging.validate(tags, limit: ObjectTagging.objectLimit)
        let event = objectEvent("ObjectTagging:Put", bucket: input.bucket, key: input.key, record: nil, context: context)
        let change = try await store.updateObject(input.bucket, input.key, versionID: input.versionId, event: event) { $0.tags = tags }
        return S3Shapes.PutObjectTaggingOutput(versionId: committed(change).versionID)
    }

    package func getObjectTagging(_ input: S3Shapes.GetObjectTaggingRequest, context: RequestContext) async throws -> S3Shapes.GetObjectTaggingOutput
    {
        let record = try await readableObject(input.bucket, input.key, versionID: input.versionId)
        return S3Shapes.GetObjectTaggingOutput(
            tagSet: (record.tags ?? []).map { S3Shapes.Tag(key: $0.key, value: $0.value) },
            versionId: record.versionID
        )
    }

    package func deleteObjectTagging(
        _ input: S3Shapes.DeleteObjectTaggingRequest,
        context: RequestContext
    ) async throws -> S3Shapes.DeleteObjectTaggingOutput {
        let event = objectEvent("ObjectTagging:Delete", bucket: input.bucket, key: input.key, record: nil, context: context)
        let change = try await store.updateObject(input.bucket, input.key, versionID: input.versionId, event: event) { $0.tags = nil }
        return S3Shapes.DeleteObjectTaggingOutput(versionId: committed(change).versionID)
    }

    package func putBucketTagging(_ input: S3Shapes.PutBucketTaggingRequest, context: RequestContext) async throws {
        let tags = input.tagging.tagSet.map { ObjectTag(key: $0.key, value: $0.value) }
        try ObjectTagging.validate(tags, limit: ObjectTagging.bucketLimit)
        try await store.setBucketTags(tags, bucket: input.bucket)
    }

    package func getBucketTagging(_ input: S3Shapes.GetBucketTaggingRequest, context: RequestContext) async throws -> S3Shapes.GetBucketTaggingOutput
    {
        guard let tags = try await store.bucketTags(input.bucket) else {
            throw AWSError(code: "NoSuchTagSet", status: 404, message: "The TagSet does not exist", details: ["BucketName": input.bucket])
        }
        return S3Shapes.GetBucketTaggingOutput(tagSet: tags.map { S3Shapes.Tag(key: $0.key, value: $0.value) })
    }

    package func deleteBucketTagging(_ input: S3Shapes.DeleteBucketTaggingRequest, context: RequestContext) async throws {
        try await store.setBucketTags(nil, bucket: input.bucket)
    }
}

extension S3Store {
    /// The bucket's tags, `nil` when none were set.
    /// - Throws: `NoSuchBucket`.
    func bucketTags(_ bucket: String) async throws -> [ObjectTag]? {
        guard let row = try await store.query("SELECT tags FROM s3_buckets WHERE name = \(bucket)").first else {
            throw S3Errors.noSuchBucket(bucket)
        }
        return Self.decode([ObjectTag].self, row.string("tags"))
    }

    /// Replaces (or with `nil` removes) the bucket's tags.
    /// - Throws: `NoSuchBucket`.
    func setBucketTags(_ tags: [ObjectTag]?, bucket: String) async throws {
        let text = try tags.map { try Self.encode($0) }
        try await store.transaction { transaction in
            if try await transaction.query("SELECT name FROM s3_buckets WHERE name = \(bucket)").isEmpty { throw S3Errors.noSuchBucket(bucket) }
            try await transaction.execute("UPDATE s3_buckets SET tags = \(text) WHERE name = \(bucket)")
        }
    }
}
