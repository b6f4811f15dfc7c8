import Foundation
import NimbusCore
import NimbusStore
package import NimbusWire

/// ListObjectsV2 and ListObjects.
extension S3Service {
    package func listObjectsV2(_ input: S3Shapes.ListObjectsV2Request, context: RequestContext) async throws -> S3Shapes.ListObjectsV2Output {
        try await existingBucket(input.bucket)
        let maxKeys = try checkedMaxKeys(input.maxKeys)
        var marker = input.startAfter ?? ""
        if let token = input.continuationToken {
            guard let bytes = Base64.decode(token), let key = String(validating: bytes, as: UTF8.self) else {
                throw S3Errors.invalidArgument("The continuation token provided is incorrect", name: "continuation-token", value: token)
            }
            marker = max(marker, key)
        }
        let listing = try await page(input.bucket, prefix: input.prefix ?? "", delimiter: input.delimiter, after: marker, maxKeys: maxKeys)
        let encode = input.encodingType == "url"
        let contents = listing.entries.map { objectEntry($0, encode: encode, owner: input.fetchOwner == true) }
        return S3Shapes.ListObjectsV2Output(
            commonPrefixes: listing.commonPrefixes.isEmpty
                ? nil : listing.commonPrefixes.map { S3Shapes.CommonPrefix(prefix: urlEncoded($0, encode)) },
            contents: contents.isEmpty ? nil : contents,
            continuationToken: input.continuationToken,
            delimiter: input.delimiter.map { urlEncoded($0, encode) },
            encodingType: input.encodingType,
            isTruncated: listing.isTruncated,
            keyCount: listing.entries.count + listing.commonPrefixes.count,
            maxKeys: maxKeys,
            name: input.bucket,
            nextContinuationToken: listing.isTruncated ? listing.nextMarker.map { Base64.encode(Array($0.utf8)) } : nil,
            prefix: urlEncoded(input.prefix ?? "", encode),
            startAfter: input.startAfter.map { urlEncoded($0, encode) }
        )
    }

    package func listObjects(_ input: S3Shapes.ListObjectsRequest, context: RequestContext) async throws -> S3Shapes.ListObjectsOutput {
        try await existingBucket(input.bucket)
        let maxKeys = try checkedMaxKeys(input.maxKeys)
        let listing = try await page(
            input.bucket,
            prefix: input.prefix ?? "",
            delimiter: input.delimiter,
            after: input.marker ?? "",
            maxKeys: maxKeys
        )
        let encode = input.encodingType == "url"
        let contents = listing.entries.map { objectEntry($0, encode: encode, owner: true) }
        // V1 gives NextMarker only with a delimiter; clients use the last key otherwise.
        let hasDelimiter = !(input.delimiter ?? "").isEmpty
        return S3Shapes.ListObjectsOutput(
            commonPrefixes: listing.commonPrefixes.isEmpty
                ? nil : listing.commonPrefixes.map { S3Shapes.CommonPrefix(prefix: urlEncoded($0, encode)) },
            contents: contents.isEmpty ? nil : contents,
            delimiter: input.delimiter.map { urlEncoded($0, encode) },
            encodingType: input.encodingType,
            isTruncated: listing.isTruncated,
            marker: urlEncoded(input.marker ?? "", encode),
            maxKeys: maxKeys,
            name: input.bucket,
            nextMarker: listing.isTruncated && hasDelimiter ? listing.nextMarker.map { urlEncoded($0, encode) } : nil,
            prefix: urlEncoded(input.prefix ?? "", encode)
        )
    }

    private func page(_ bucket: String, prefix: String, delimiter: String?, after: String, maxKeys: Int) async throws -> ObjectListing<ObjectRecord> {
        try await ObjectListing.page(prefix: prefix, delimiter: delimiter, after: after, maxKeys: maxKeys, key: \.key) { after, limit in
            try await store.objects(bucket, prefix: prefix, after: after, limit: limit)
        }
    }

    private func checkedMaxKeys(_ value: Int?) throws -> Int {
        guard let value else { return 1000 }
        guard value >= 0 else {
            throw S3Errors.invalidArgument("Provided max-keys not an integer or within integer range", name: "max-keys", value: "\(value)")
        }
        return min(value, 1000)
    }

    private func objectEntry(_ record: ObjectRecord, encode: Bool, owner withOwner: Bool) -> S3Shapes.Object {
        S3Shapes.Object(
            checksumAlgorithm: record.checksums.isEmpty ? nil : record.checksums.keys.sorted().map { $0.uppercased() },
            eTag: record.eTag,
            key: urlEncoded(record.key, encode),
            lastModified: Date(timeIntervalSince1970: record.lastModified.rounded(.down)),
            owner: withOwner ? owner : nil,
            size: Int64(record.size),
            storageClass: "STANDARD"
        )
    }

    /// `EncodingType=url`: keys and prefixes percent-encoded (slashes kept, as S3 does).
    func urlEncoded(_ text: String, _ encode: Bool) -> String {
        encode ? FormEncoding.uriEncode(text, keepSlash: true) : text
    }
}
