import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

/// CreateBucket, HeadBucket, DeleteBucket, ListBuckets, GetBucketLocation.
extension S3Service {
    package func createBucket(_ input: S3Shapes.CreateBucketRequest, context: RequestContext) async throws -> S3Shapes.CreateBucketOutput {
        guard BucketName.isValid(input.bucket) else { throw S3Errors.invalidBucketName(input.bucket) }
        let requestRegion = (try? SigV4Authorization.parse(context.request))??.region ?? account.region
        let constraint = input.createBucketConfiguration?.locationConstraint.flatMap { $0.isEmpty ? nil : $0 }
        let region: String
        switch constraint {
        case nil:
            guard requestRegion == "us-east-1" else {
                throw AWSError(
                    code: "IllegalLocationConstraintException",
                    message: "The unspecified location constraint is incompatible for the region specific endpoint this request was sent to."
                )
            }
            region = "us-east-1"
        case "us-east-1"?:
            throw AWSError(
                code: "InvalidLocationConstraint",
                message: "The specified location-constraint is not valid",
                details: ["LocationConstraint": "us-east-1"]
            )
        case let name?:
            guard name == requestRegion else {
                throw AWSError(
                    code: "IllegalLocationConstraintException",
                    message: "The \(name) location constraint is incompatible for the region specific endpoint this request was sent to."
                )
            }
            region = name
        }
        let created = try await store.createBucket(S3Store.BucketRow(name: input.bucket, region: region, createdAt: clock.now()))
        // us-east-1 answers 200 to re-creating a bucket you own (AWS's legacy behaviour).
        if !created, region != "us-east-1" {
            throw AWSError(
                code: "BucketAlreadyOwnedByYou",
                status: 409,
                message: "Your previous request to create the named bucket succeeded and you already own it.",
                details: ["BucketName": input.bucket]
            )
        }
        return S3Shapes.CreateBucketOutput(location: "/" + input.bucket)
    }

    package func headBucket(_ input: S3Shapes.HeadBucketRequest, context: RequestContext) async throws -> S3Shapes.HeadBucketOutput {
        let row = try await existingBucket(input.bucket)
        return S3Shapes.HeadBucketOutput(bucketRegion: row.region)
    }

    package func deleteBucket(_ input: S3Shapes.DeleteBucketRequest, context: RequestContext) async throws {
        switch try await store.deleteBucket(input.bucket) {
        case .deleted: return
        case .missing: throw S3Errors.noSuchBucket(input.bucket)
        case .notEmpty: throw S3Errors.bucketNotEmpty(input.bucket)
        }
    }

    package func listBuckets(_ input: S3Shapes.ListBucketsRequest, context: RequestContext) async throws -> S3Shapes.ListBucketsOutput {
        var rows = try await store.buckets()
        if let prefix = input.prefix { rows = rows.filter { $0.name.hasPrefix(prefix) } }
        if let region = input.bucketRegion { rows = rows.filter { $0.region == region } }
        if let token = input.continuationToken { rows = rows.filter { $0.name > token } }
        let limit = input.maxBuckets ?? 10_000
        let page = Array(rows.prefix(limit))
        return S3Shapes.ListBucketsOutput(
            buckets: page.map { S3Shapes.Bucket(bucketRegion: $0.region, creationDate: Date(timeIntervalSince1970: $0.createdAt), name: $0.name) },
            continuationToken: rows.count > limit ? page.last?.name : nil,
            owner: owner,
            prefix: input.prefix
        )
    }

    package func getBucketLocation(
        _ input: S3Shapes.GetBucketLocationRequest,
        context: RequestContext
    ) async throws -> S3Shapes.GetBucketLocationOutput {
        let row = try await existingBucket(input.bucket)
        return S3Shapes.GetBucketLocationOutput(locationConstraint: row.region == "us-east-1" ? nil : row.region)
    }
}
