package import NimbusCore
import NimbusStore
package import NimbusWire

/// DeleteObject and DeleteObjects.
extension S3Service {
    package func deleteObject(_ input: S3Shapes.DeleteObjectRequest, context: RequestContext) async throws -> S3Shapes.DeleteObjectOutput {
        try await existingBucket(input.bucket)
        if let ifMatch = input.ifMatch, let record = try await store.object(input.bucket, input.key),
            !Preconditions.matches(ifMatch, record.eTag)
        {
            throw S3Errors.preconditionFailed
        }
        // Deleting a missing key succeeds, as in S3.
        let event = objectEvent("ObjectRemoved:Delete", bucket: input.bucket, key: input.key, record: nil, context: context)
        let removed = committed(try await store.deleteObject(input.bucket, input.key, event: event))
        await discard([removed?.blob])
        return S3Shapes.DeleteObjectOutput()
    }

    package func deleteObjects(_ input: S3Shapes.DeleteObjectsRequest, context: RequestContext) async throws -> S3Shapes.DeleteObjectsOutput {
        try await existingBucket(input.bucket)
        guard input.delete.objects.count <= 1000 else { throw S3Errors.malformedXML() }
        var deleted: [S3Shapes.DeletedObject] = []
        var errors: [S3Shapes.Error] = []
        for object in input.delete.objects {
            do {
                try checkKey(object.key)
                let event = objectEvent("ObjectRemoved:Delete", bucket: input.bucket, key: object.key, record: nil, context: context)
                let removed = committed(try await store.deleteObject(input.bucket, object.key, event: event))
                await discard([removed?.blob])
                deleted.append(S3Shapes.DeletedObject(key: object.key, versionId: object.versionId))
            } catch let error as AWSError {
                errors.append(S3Shapes.Error(code: error.code, key: object.key, message: error.message, versionId: object.versionId))
            }
        }
        let quiet = input.delete.quiet ?? false
        return S3Shapes.DeleteObjectsOutput(deleted: quiet || deleted.isEmpty ? nil : deleted, errors: errors.isEmpty ? nil : errors)
    }
}
