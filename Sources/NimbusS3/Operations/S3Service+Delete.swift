import NimbusCore
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
        let change = try await store.deleteObject(input.bucket, input.key, versionID: input.versionId, event: event, now: clock.now())
        let deletion = committed(change)
        await discard(deletion.orphanedBlobs)
        return S3Shapes.DeleteObjectOutput(deleteMarker: deletion.deleteMarker ? true : nil, versionId: change.versionID)
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
                let change = try await store.deleteObject(input.bucket, object.key, versionID: object.versionId, event: event, now: clock.now())
                let deletion = committed(change)
                await discard(deletion.orphanedBlobs)
                let markerCreated = deletion.deleteMarker && object.versionId == nil
                deleted.append(
                    S3Shapes.DeletedObject(
                        deleteMarker: deletion.deleteMarker ? true : nil,
                        deleteMarkerVersionId: deletion.deleteMarker ? change.versionID : nil,
                        key: object.key,
                        versionId: markerCreated ? nil : object.versionId
                    )
                )
            } catch let error as AWSError {
                errors.append(S3Shapes.Error(code: error.code, key: object.key, message: error.message, versionId: object.versionId))
            }
        }
        let quiet = input.delete.quiet ?? false
        return S3Shapes.DeleteObjectsOutput(deleted: quiet || deleted.isEmpty ? nil : deleted, errors: errors.isEmpty ? nil : errors)
    }
}
