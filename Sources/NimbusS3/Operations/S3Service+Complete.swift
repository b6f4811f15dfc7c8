import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

/// CompleteMultipartUpload and ListMultipartUploads.
extension S3Service {
    package func completeMultipartUpload(
        _ input: S3Shapes.CompleteMultipartUploadRequest,
        context: RequestContext
    ) async throws -> S3Shapes.CompleteMultipartUploadOutput {
        let upload = try await activeUpload(input.uploadId, bucket: input.bucket, key: input.key)
        let requested = input.multipartUpload?.parts ?? []
        guard !requested.isEmpty else {
            throw AWSError(code: "MalformedXML", message: "The XML you provided was not well-formed or did not validate against our published schema")
        }
        let stored = Dictionary(try await store.parts(input.uploadId).map { ($0.number, $0) }, uniquingKeysWith: { _, last in last })
        let chosen = try MultipartPlan.select(
            requested.map { ($0.partNumber ?? 0, $0.eTag ?? "") },
            stored: stored,
            minimumSize: Self.minimumPartSize
        )
        guard let eTag = ETag.multipart(chosen.map(\.eTag)) else { throw AWSError.internalFailure("A stored part has a malformed ETag") }
        let blob = newBlobKey()
        let writer = try await blobs.makeWriter(blob)
        var size = 0
        do {
            for part in chosen {
                guard let reader = try await blobs.openReader(part.blob) else { throw AWSError.internalFailure("Part \(part.number) vanished") }
                let stream = BlobStreaming.stream(reader, from: 0, count: part.size)
                while let piece = try await stream.next() { try await writer.write(piece) }
                size += part.size
            }
            try await writer.commit()
        } catch {
            await writer.abort()
            throw error
        }
        var headers = upload.headers
        headers.tags = nil
        let record = ObjectRecord(
            bucket: input.bucket,
            key: input.key,
            blob: blob,
            size: size,
            eTag: eTag,
            lastModified: clock.now(),
            headers: headers,
            partsCount: chosen.count,
            tags: upload.headers.tags
        )
        let change = try await commitObject(record, body: .blob(blob), eventName: "ObjectCreated:CompleteMultipartUpload", context: context)
        await discard(try await store.removeUpload(input.uploadId) ?? [])
        let host = context.request.header("Host") ?? "localhost"
        return S3Shapes.CompleteMultipartUploadOutput(
            bucket: input.bucket,
            eTag: eTag,
            key: input.key,
            location: "http://\(host)/\(input.bucket)/\(FormEncoding.uriEncode(input.key, keepSlash: true))",
            versionId: change.versionID
        )
    }

    package func listMultipartUploads(
        _ input: S3Shapes.ListMultipartUploadsRequest,
        context: RequestContext
    ) async throws -> S3Shapes.ListMultipartUploadsOutput {
        try await existingBucket(input.bucket)
        let maxUploads = min(max(input.maxUploads ?? 1000, 0), 1000)
        let prefix = input.prefix ?? ""
        let listing = try await ObjectListing.page(
            prefix: prefix,
            delimiter: input.delimiter,
            after: input.keyMarker ?? "",
            maxKeys: maxUploads,
            key: \S3Store.UploadRow.key
        ) { after, limit in
            try await store.uploads(input.bucket, prefix: prefix, after: after, limit: limit)
        }
        let encode = input.encodingType == "url"
        let initiator = S3Shapes.Initiator(displayName: owner.displayName, id: owner.id)
        return S3Shapes.ListMultipartUploadsOutput(
            bucket: input.bucket,
            commonPrefixes: listing.commonPrefixes.isEmpty
                ? nil : listing.commonPrefixes.map { S3Shapes.CommonPrefix(prefix: urlEncoded($0, encode)) },
            delimiter: input.delimiter,
            encodingType: input.encodingType,
            isTruncated: listing.isTruncated,
            keyMarker: input.keyMarker ?? "",
            maxUploads: maxUploads,
            nextKeyMarker: listing.isTruncated ? listing.nextMarker : nil,
            nextUploadIdMarker: listing.isTruncated ? listing.entries.last?.uploadID : nil,
            prefix: prefix,
            uploadIdMarker: input.uploadIdMarker ?? "",
            uploads: listing.entries.map {
                S3Shapes.MultipartUpload(
                    initiated: Date(timeIntervalSince1970: $0.initiated.rounded(.down)),
                    initiator: initiator,
                    key: urlEncoded($0.key, encode),
                    owner: owner,
                    storageClass: "STANDARD",
                    uploadId: $0.uploadID
                )
            }
        )
    }
}
