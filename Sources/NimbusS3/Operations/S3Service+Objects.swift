import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

/// PutObject, GetObject, HeadObject.
extension S3Service {
    package func putObject(_ input: S3Shapes.PutObjectRequest, context: RequestContext) async throws -> S3Shapes.PutObjectOutput {
        try checkKey(input.key)
        try await existingBucket(input.bucket)
        // `If-None-Match: *`: only when no object has the key (the lookup is skipped without it).
        if input.ifNoneMatch == "*", try await store.object(input.bucket, input.key) != nil {
            throw S3Errors.preconditionFailed
        }
        let tags = try input.tagging.map(ObjectTagging.parseHeader) ?? nil
        let body = try await BodyIngest.write(
            context,
            into: blobs,
            key: newBlobKey(),
            limit: Self.maximumPutSize,
            inlineLimit: ObjectBody.inlineLimit
        )
        let record = ObjectRecord(
            bucket: input.bucket,
            key: input.key,
            blob: body.body.name,
            size: body.size,
            eTag: body.eTag,
            lastModified: clock.now(),
            headers: ObjectHeaders(request: input),
            checksums: body.checksums,
            tags: tags
        )
        let change = try await commitObject(record, body: body.body, eventName: "ObjectCreated:Put", context: context)
        var output = S3Shapes.PutObjectOutput(eTag: record.eTag, versionId: change.versionID)
        output.checksumCRC32 = body.checksums["crc32"]
        output.checksumCRC32C = body.checksums["crc32c"]
        output.checksumCRC64NVME = body.checksums["crc64nvme"]
        output.checksumSHA1 = body.checksums["sha1"]
        output.checksumSHA256 = body.checksums["sha256"]
        return output
    }

    package func getObject(_ input: S3Shapes.GetObjectRequest, context: RequestContext) async throws -> StreamingOutput<S3Shapes.GetObjectOutput> {
        // The current object and its inline body in one query; versions and misses the long way.
        let found: (record: ObjectRecord, inline: [UInt8]?)
        if input.versionId == nil, let current = try await store.objectWithInlineBody(input.bucket, input.key) {
            found = current
        } else {
            found = (try await readableObject(input.bucket, input.key, versionID: input.versionId), nil)
        }
        let record = found.record
        let conditions = Preconditions(
            ifMatch: input.ifMatch,
            ifNoneMatch: input.ifNoneMatch,
            ifModifiedSince: input.ifModifiedSince?.timeIntervalSince1970,
            ifUnmodifiedSince: input.ifUnmodifiedSince?.timeIntervalSince1970
        )
        // A range carries no full-object checksum (S3 sends none for ranges).
        let checksums = input.checksumMode == "ENABLED" && input.range == nil
        var output = S3Shapes.GetObjectOutput()
        ObjectView(record: record).fill(&output, checksums: checksums)
        switch conditions.evaluate(eTag: record.eTag, lastModified: record.lastModified) {
        case .preconditionFailed: throw S3Errors.preconditionFailed
        case .notModified:
            return StreamingOutput(
                S3Shapes.GetObjectOutput(eTag: record.eTag, lastModified: output.lastModified),
                body: nil,
                length: nil,
                status: 304
            )
        case .proceed: break
        }
        output.responseOverrides(input)
        guard let body = try await openBody(record, prefetched: found.inline) else { throw S3Errors.noSuchKey(input.key) }
        switch ByteRange.resolve(input.range, size: record.size) {
        case .unsatisfiable:
            throw S3Errors.invalidRange(size: record.size, range: input.range ?? "")
        case .whole:
            output.contentLength = Int64(record.size)
            return StreamingOutput(output, body: body.stream(from: 0, count: record.size), length: record.size)
        case .range(let range):
            output.contentLength = Int64(range.count)
            output.contentRange = range.contentRange(size: record.size)
            return StreamingOutput(output, body: body.stream(from: range.start, count: range.count), length: range.count, status: 206)
        }
    }

    package func headObject(_ input: S3Shapes.HeadObjectRequest, context: RequestContext) async throws -> S3Shapes.HeadObjectOutput {
        let record = try await readableObject(input.bucket, input.key, versionID: input.versionId, method: "HEAD")
        let conditions = Preconditions(
            ifMatch: input.ifMatch,
            ifNoneMatch: input.ifNoneMatch,
            ifModifiedSince: input.ifModifiedSince?.timeIntervalSince1970,
            ifUnmodifiedSince: input.ifUnmodifiedSince?.timeIntervalSince1970
        )
        switch conditions.evaluate(eTag: record.eTag, lastModified: record.lastModified) {
        case .preconditionFailed: throw S3Errors.preconditionFailed
        case .notModified: throw S3Errors.notModified
        case .proceed: break
        }
        var output = S3Shapes.HeadObjectOutput()
        ObjectView(record: record).fill(&output, checksums: input.checksumMode == "ENABLED")
        if case .range(let range) = ByteRange.resolve(input.range, size: record.size) {
            output.contentLength = Int64(range.count)
            output.contentRange = range.contentRange(size: record.size)
        }
        return output
    }

    /// The current object or the version `versionID`; `NoSuchBucket`, `NoSuchKey` (naming the
    /// delete marker when one is current), `NoSuchVersion`, or `MethodNotAllowed` for a
    /// version that is a delete marker.
    /// - Parameter method: the request's HTTP method, which a `MethodNotAllowed` names.
    func readableObject(_ bucket: String, _ key: String, versionID: String? = nil, method: String? = "GET") async throws -> ObjectRecord {
        if let versionID, try await store.versioning(bucket) != nil {
            guard let version = try await store.version(bucket, key, versionID) else { throw S3Errors.noSuchVersion(key, versionID) }
            guard version.deleteMarker != true else { throw S3Errors.methodNotAllowed(deleteMarker: version, method: method) }
            return version
        }
        if let versionID, versionID != "null" {
            throw S3Errors.invalidArgument("Invalid version id specified", name: "versionId", value: versionID)
        }
        guard let record = try await store.object(bucket, key) else {
            // A miss: the bucket must exist (`NoSuchBucket`), and may hide the key behind a marker.
            if try await store.versioning(bucket) != nil, let latest = try await store.latestVersion(bucket, key), latest.deleteMarker == true {
                throw S3Errors.noSuchKey(key, deleteMarker: latest)
            }
            throw S3Errors.noSuchKey(key)
        }
        return record
    }

    /// Keys are at most 1,024 bytes of UTF-8.
    func checkKey(_ key: String) throws {
        guard key.utf8.count <= 1024 else { throw S3Errors.keyTooLong(key) }
        guard !key.isEmpty else { throw S3Errors.invalidArgument("Key must not be empty", name: "Key", value: key) }
    }
}

extension S3Shapes.GetObjectOutput {
    /// Applies the `response-*` query parameters of a (usually presigned) GET.
    mutating func responseOverrides(_ input: S3Shapes.GetObjectRequest) {
        if let value = input.responseContentType { contentType = value }
        if let value = input.responseContentDisposition { contentDisposition = value }
        if let value = input.responseContentEncoding { contentEncoding = value }
        if let value = input.responseContentLanguage { contentLanguage = value }
        if let value = input.responseCacheControl { cacheControl = value }
        if let value = input.responseExpires { expires = Timestamp.httpDate(value.timeIntervalSince1970) }
    }
}
