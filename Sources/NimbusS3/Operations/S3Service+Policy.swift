import NimbusCore
package import NimbusWire

/// Put/Get/DeleteBucketPolicy: the policy is validated and stored, not enforced.
extension S3Service {
    package func putBucketPolicy(_ input: S3Shapes.PutBucketPolicyRequest, context: RequestContext) async throws {
        try await existingBucket(input.bucket)
        try BucketPolicy.validate(input.policy)
        try await store.setBucketSetting(.policy, bucket: input.bucket, value: input.policy)
    }

    package func getBucketPolicy(_ input: S3Shapes.GetBucketPolicyRequest, context: RequestContext) async throws -> S3Shapes.GetBucketPolicyOutput {
        guard let policy = try await store.bucketSetting(.policy, bucket: input.bucket) else {
            throw AWSError(
                code: "NoSuchBucketPolicy",
                status: 404,
                message: "The bucket policy does not exist",
                details: ["BucketName": input.bucket]
            )
        }
        return S3Shapes.GetBucketPolicyOutput(policy: policy)
    }

    package func deleteBucketPolicy(_ input: S3Shapes.DeleteBucketPolicyRequest, context: RequestContext) async throws {
        try await store.setBucketSetting(.policy, bucket: input.bucket, value: nil)
    }
}
