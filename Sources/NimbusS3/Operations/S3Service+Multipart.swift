import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

/// CreateMultipartUpload, UploadPart, UploadPartCopy, AbortMultipartUpload, ListParts.
extension S3Service {
    /// Part numbers S3 accepts.
    static let partNumbers = 1...10_000

    package func createMultipartUpload(
        _ input: S3Shapes.CreateMultipartUploadRequest,
        context: RequestContext
    ) async throws -> S3Shapes.CreateMultipartUploadOutput {
        try checkKey(input.key)
        try await existingBucket(input.bucket)
        let uploadID = UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
        let tags = try input.tagging.map(ObjectTagging.parseHeader)
        let headers = ObjectHeaders(request: input, tags: tags)
        try await store.createUpload(
            S3Store.UploadRow(uploadID: uploadID, bucket: input.bucket, key: input.key, initiated: clock.now(), headers: headers)
        )
        return S3Shapes.CreateMultipartUploadOutput(bucket: input.bucket, key: input.key, uploadId: uploadID)
    }

    package func uploadPart(_ input: S3Shapes.UploadPartRequest, context: RequestContext) async throws -> S3Shapes.UploadPartOutput {
        try await activeUpload(input.uploadId, bucket: input.bucket, key: input.key)
        try checkPartNumber(input.partNumber)
        let body = try await BodyIngest.write(context, into: blobs, key: newBlobKey(), limit: Self.maximumPutSize)
        let part = S3Store.PartRecord(number: input.partNumber, blob: body.body.name, size: body.size, eTag: body.eTag, lastModified: clock.now())
        try await storePart(input.uploadId, part)
        return S3Shapes.UploadPartOutput(eTag: body.eTag)
    }

    package func uploadPartCopy(_ input: S3Shapes.UploadPartCopyRequest, context: RequestContext) async throws -> S3Shapes.UploadPartCopyOutput {
        try await activeUpload(input.uploadId, bucket: input.bucket, key: input.key)
        try checkPartNumber(input.partNumber)
        let source = try await readableObject(try CopySource(input.copySource).bucket, try CopySource(input.copySource).key)
        try checkCopyConditions(
            source,
            ifMatch: input.copySourceIfMatch,
            ifNoneMatch: input.copySourceIfNoneMatch,
            ifModifiedSince: input.copySourceIfModifiedSince,
            ifUnmodifiedSince: input.copySourceIfUnmodifiedSince
        )
        var range: ByteRange?
        if let text = input.copySourceRange {
            guard case .range(let resolved) = ByteRange.resolve(text, size: source.size), text.hasPrefix("bytes="), !text.contains("=-") else {
                throw S3Errors.invalidArgument(
                    "The x-amz-copy-source-range value must be of the form bytes=first-last",
                    name: "x-amz-copy-source-range",
                    value: text
                )
            }
            range = resolved
        }
        let blob = try await copyBody(source, range: range, inline: false).name
        let size = range?.count ?? source.size
        let eTag = try await blobMD5(blob, size: size)
        let part = S3Store.PartRecord(number: input.partNumber, blob: blob, size: size, eTag: eTag, lastModified: clock.now())
        try await storePart(input.uploadId, part)
        return S3Shapes.UploadPartCopyOutput(
            copyPartResult: S3Shapes.CopyPartResult(eTag: eTag, lastModified: Date(timeIntervalSince1970: part.lastModified))
        )
    }

    package func abortMultipartUpload(
        _ input: S3Shapes.AbortMultipartUploadRequest,
        context: RequestContext
    ) async throws -> S3Shapes.AbortMultipartUploadOutput {
        try await activeUpload(input.uploadId, bucket: input.bucket, key: input.key)
        guard let blobs = try await store.removeUpload(input.uploadId) else { throw S3Errors.noSuchUpload(input.uploadId) }
        await discard(blobs)
        return S3Shapes.AbortMultipartUploadOutput()
    }

    package func listParts(_ input: S3Shapes.ListPartsRequest, context: RequestContext) async throws -> S3Shapes.ListPartsOutput {
        try await activeUpload(input.uploadId, bucket: input.bucket, key: input.key)
        let maxParts = min(max(input.maxParts ?? 1000, 0), 1000)
        let marker = input.partNumberMarker ?? 0
        let all = try await store.parts(input.uploadId).filter { $0.number > marker }
        let page = Array(all.prefix(maxParts))
        let truncated = all.count > page.count
        return S3Shapes.ListPartsOutput(
            bucket: input.bucket,
            initiator: S3Shapes.Initiator(displayName: owner.displayName, id: owner.id),
            isTruncated: truncated,
            key: input.key,
            maxParts: maxParts,
            nextPartNumberMarker: truncated ? page.last?.number : nil,
            owner: owner,
            partNumberMarker: marker,
            parts: page.map {
                S3Shapes.Part(
                    eTag: $0.eTag,
                    lastModified: Date(timeIntervalSince1970: $0.lastModified.rounded(.down)),
                    partNumber: $0.number,
                    size: Int64($0.size)
                )
            },
            storageClass: "STANDARD",
            uploadId: input.uploadId
        )
    }

    /// The upload, or `NoSuchBucket`/`NoSuchUpload` (also when it belongs to another key).
    @discardableResult
    func activeUpload(_ uploadID: String, bucket: String, key: String) async throws -> S3Store.UploadRow {
        guard let upload = try await store.upload(uploadID), upload.bucket == bucket, upload.key == key else {
            try await existingBucket(bucket)
            throw S3Errors.noSuchUpload(uploadID)
        }
        return upload
    }

    private func checkPartNumber(_ number: Int) throws {
        guard Self.partNumbers.contains(number) else {
            throw S3Errors.invalidArgument("Part number must be an integer between 1 and 10000, inclusive", name: "partNumber", value: "\(number)")
        }
    }

    private func storePart(_ uploadID: String, _ part: S3Store.PartRecord) async throws {
        let replaced: String?
        do {
            replaced = try await store.putPart(uploadID, part)
        } catch {
            await discard([part.blob])
            throw error
        }
        await discard([replaced])
    }

    /// The quoted MD5 of a blob's bytes, read back in pieces.
    private func blobMD5(_ blob: String, size: Int) async throws -> String {
        guard let reader = try await blobs.openReader(blob) else { throw AWSError.internalFailure("A copied part vanished") }
        var md5 = MD5Accumulator()
        let stream = BlobStreaming.stream(reader, from: 0, count: size)
        while let piece = try await stream.next() { md5.update(piece) }
        return md5.quoted
    }
}
