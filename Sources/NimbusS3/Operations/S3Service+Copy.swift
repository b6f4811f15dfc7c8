import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

/// CopyObject: the source's bytes copied into a new body (inline or blob by size), metadata copied or replaced.
extension S3Service {
    package func copyObject(_ input: S3Shapes.CopyObjectRequest, context: RequestContext) async throws -> S3Shapes.CopyObjectOutput {
        try checkKey(input.key)
        let source = try CopySource(input.copySource)
        let record = try await readableObject(source.bucket, source.key, versionID: source.versionID)
        try await existingBucket(input.bucket)
        try checkCopyConditions(
            record,
            ifMatch: input.copySourceIfMatch,
            ifNoneMatch: input.copySourceIfNoneMatch,
            ifModifiedSince: input.copySourceIfModifiedSince,
            ifUnmodifiedSince: input.copySourceIfUnmodifiedSince
        )
        let directive = input.metadataDirective ?? "COPY"
        guard directive == "COPY" || directive == "REPLACE" else {
            throw S3Errors.invalidArgument("Unknown metadata directive.", name: "x-amz-metadata-directive", value: directive)
        }
        let taggingDirective = input.taggingDirective ?? "COPY"
        guard taggingDirective == "COPY" || taggingDirective == "REPLACE" else {
            throw S3Errors.invalidArgument("Unknown tagging directive.", name: "x-amz-tagging-directive", value: taggingDirective)
        }
        let replacedTags = taggingDirective == "REPLACE" ? try input.tagging.map(ObjectTagging.parseHeader) ?? [] : nil
        if source.bucket == input.bucket, source.key == input.key, directive == "COPY", source.versionID == nil {
            throw AWSError(
                code: "InvalidRequest",
                message: "This copy request is illegal because it is trying to copy an object to itself without changing the object's "
                    + "metadata, storage class, website redirect location or encryption attributes."
            )
        }
        let body = try await copyBody(record, range: nil, inline: true)
        var copy = record
        copy.bucket = input.bucket
        copy.key = input.key
        copy.blob = body.name
        copy.lastModified = clock.now()
        copy.versionID = nil
        copy.deleteMarker = nil
        if let replacedTags { copy.tags = replacedTags }
        if directive == "REPLACE" {
            copy.headers = ObjectHeaders(request: input)
        }
        let change = try await commitObject(copy, body: body, eventName: "ObjectCreated:Copy", context: context)
        return S3Shapes.CopyObjectOutput(
            copyObjectResult: S3Shapes.CopyObjectResult(eTag: copy.eTag, lastModified: Date(timeIntervalSince1970: copy.lastModified.rounded(.down))),
            copySourceVersionId: record.versionID,
            versionId: change.versionID
        )
    }

    /// `x-amz-copy-source-if-*`: any failure is 412 PreconditionFailed.
    func checkCopyConditions(
        _ record: ObjectRecord,
        ifMatch: String?,
        ifNoneMatch: String?,
        ifModifiedSince: Date?,
        ifUnmodifiedSince: Date?
    )
        throws
    {
        let conditions = Preconditions(
            ifMatch: ifMatch,
            ifNoneMatch: ifNoneMatch,
            ifModifiedSince: ifModifiedSince?.timeIntervalSince1970,
            ifUnmodifiedSince: ifUnmodifiedSince?.timeIntervalSince1970
        )
        guard conditions.evaluate(eTag: record.eTag, lastModified: record.lastModified) == .proceed else { throw S3Errors.preconditionFailed }
    }
}
