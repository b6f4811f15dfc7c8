import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

/// Put/GetBucketVersioning and ListObjectVersions.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/Versioning.html
extension S3Service {
    package func putBucketVersioning(_ input: S3Shapes.PutBucketVersioningRequest, context: RequestContext) async throws {
        guard let status = input.versioningConfiguration.status, status == "Enabled" || status == "Suspended" else {
            throw S3Errors.malformedXML()
        }
        if let mfaDelete = input.versioningConfiguration.mfaDelete, mfaDelete == "Enabled" {
            throw S3Errors.invalidArgument("MFA Delete is not supported by Nimbus", name: "MfaDelete", value: mfaDelete)
        }
        try await store.setVersioning(status, bucket: input.bucket)
    }

    package func getBucketVersioning(
        _ input: S3Shapes.GetBucketVersioningRequest,
        context: RequestContext
    ) async throws -> S3Shapes.GetBucketVersioningOutput {
        S3Shapes.GetBucketVersioningOutput(status: try await store.versioning(input.bucket))
    }

    package func listObjectVersions(
        _ input: S3Shapes.ListObjectVersionsRequest,
        context: RequestContext
    ) async throws -> S3Shapes.ListObjectVersionsOutput {
        let status = try await store.versioning(input.bucket)
        let maxKeys = min(max(input.maxKeys ?? 1000, 0), 1000)
        let prefix = input.prefix ?? ""
        let keyMarker = input.keyMarker ?? ""
        let start = try await startPosition(input.bucket, keyMarker: keyMarker, versionIDMarker: input.versionIdMarker, versioned: status != nil)
        let page = try await VersionListing.page(prefix: prefix, delimiter: input.delimiter, from: start, maxKeys: maxKeys) { after, limit in
            guard status == nil else { return try await store.versions(input.bucket, prefix: prefix, after: after, limit: limit) }
            // Never versioned: each current object is its key's only (`null`) version.
            return try await store.objects(input.bucket, prefix: prefix, after: after.key, limit: limit).map { record in
                var record = record
                record.versionID = "null"
                return VersionListing.Row(record: record, seq: 1)
            }
        }
        let encode = input.encodingType == "url"
        var versions: [S3Shapes.ObjectVersion] = []
        var markers: [S3Shapes.DeleteMarkerEntry] = []
        for entry in page.entries {
            let modified = Date(timeIntervalSince1970: entry.record.lastModified.rounded(.down))
            let key = urlEncoded(entry.record.key, encode)
            if entry.record.deleteMarker == true {
                markers.append(
                    S3Shapes.DeleteMarkerEntry(
                        isLatest: entry.isLatest,
                        key: key,
                        lastModified: modified,
                        owner: owner,
                        versionId: entry.record.versionID
                    )
                )
            } else {
                versions.append(
                    S3Shapes.ObjectVersion(
                        eTag: entry.record.eTag,
                        isLatest: entry.isLatest,
                        key: key,
                        lastModified: modified,
                        owner: owner,
                        size: Int64(entry.record.size),
                        storageClass: "STANDARD",
                        versionId: entry.record.versionID
                    )
                )
            }
        }
        return S3Shapes.ListObjectVersionsOutput(
            commonPrefixes: page.commonPrefixes.isEmpty ? nil : page.commonPrefixes.map { S3Shapes.CommonPrefix(prefix: urlEncoded($0, encode)) },
            deleteMarkers: markers.isEmpty ? nil : markers,
            delimiter: input.delimiter,
            encodingType: input.encodingType,
            isTruncated: page.isTruncated,
            keyMarker: keyMarker,
            maxKeys: maxKeys,
            name: input.bucket,
            nextKeyMarker: page.isTruncated ? page.nextKeyMarker : nil,
            nextVersionIdMarker: page.isTruncated ? page.nextVersionIDMarker : nil,
            prefix: prefix,
            versionIdMarker: input.versionIdMarker ?? "",
            versions: versions.isEmpty ? nil : versions
        )
    }

    /// Where the request's markers say the listing starts: after the key marker's versions
    /// up to and including the version marker (all of them without one, or when it names no
    /// version of that key).
    /// - Throws: `InvalidArgument` for a version marker without a key marker, as S3.
    private func startPosition(_ bucket: String, keyMarker: String, versionIDMarker: String?, versioned: Bool) async throws -> VersionListing.Position
    {
        guard let versionIDMarker, !versionIDMarker.isEmpty else { return VersionListing.Position(key: keyMarker) }
        guard !keyMarker.isEmpty else {
            throw S3Errors.invalidArgument(
                "A version-id marker cannot be specified without a key marker.",
                name: "version-id-marker",
                value: versionIDMarker
            )
        }
        guard versioned, let seq = try await store.versionSeq(bucket, keyMarker, versionIDMarker) else {
            return VersionListing.Position(key: keyMarker)
        }
        return VersionListing.Position(key: keyMarker, olderThan: seq)
    }
}
