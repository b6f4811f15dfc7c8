import Crypto
import HTTPTypes
import NimbusCore
import NimbusStore
import NimbusWire

/// A request body written into a new blob as it arrives, with its MD5 (the ETag) and the
/// additional checksum the client asked for. The blob is committed only when the whole body
/// arrived and its `Content-MD5` matched; otherwise it is discarded.
struct BodyIngest: Sendable {
    var blob: String
    var size: Int
    var eTag: String
    var checksums: [String: String]

    static func write(_ context: RequestContext, into blobs: any BlobStore, key blob: String, limit: Int) async throws -> BodyIngest {
        let request = context.request
        let declared = request.header("x-amz-decoded-content-length").flatMap { Int($0) } ?? request.header("Content-Length").flatMap { Int($0) }
        if let declared, declared > limit { throw S3Errors.entityTooLarge(declared, limit: limit) }
        let expectedMD5 = try contentMD5(request)
        var accumulator = checksumAlgorithm(request).map(ChecksumAccumulator.init)
        let stream = request.bodyStream ?? ByteStream(bytes: request.body)
        let writer = try await blobs.makeWriter(blob)
        var md5 = Insecure.MD5()
        do {
            var size = 0
            while let chunk = try await stream.next() {
                size += chunk.count
                if size > limit { throw S3Errors.entityTooLarge(size, limit: limit) }
                md5.update(data: chunk)
                accumulator?.update(chunk)
                try await writer.write(chunk)
            }
            let digest = md5.finalize()
            if let expectedMD5, Array(digest) != expectedMD5 {
                throw AWSError(code: "BadDigest", message: "The Content-MD5 you specified did not match what we received.")
            }
            try await writer.commit()
            var checksums: [String: String] = [:]
            if let accumulator { checksums[accumulator.algorithm.rawValue] = accumulator.value }
            return BodyIngest(blob: blob, size: size, eTag: ETag.quoted(digest), checksums: checksums)
        } catch {
            await writer.abort()
            throw error
        }
    }

    /// The decoded `Content-MD5`, or `InvalidDigest` when it is not base64 of 16 bytes.
    private static func contentMD5(_ request: AWSRequest) throws -> [UInt8]? {
        guard let text = request.header("Content-MD5") else { return nil }
        guard let bytes = Base64.decode(text), bytes.count == 16 else {
            throw AWSError(code: "InvalidDigest", message: "The Content-MD5 you specified was invalid.")
        }
        return bytes
    }

    /// The additional checksum to keep: the one the client declared (header or trailer) or asked for.
    private static func checksumAlgorithm(_ request: AWSRequest) -> ChecksumAlgorithm? {
        for field in request.headers {
            if let algorithm = ChecksumAlgorithm(headerName: field.name.canonicalName) { return algorithm }
        }
        if let trailer = request.header("x-amz-trailer"), let algorithm = ChecksumAlgorithm(headerName: trailer.trimming(" ")) { return algorithm }
        let named = request.header("x-amz-sdk-checksum-algorithm") ?? request.header("x-amz-checksum-algorithm")
        return named.flatMap { ChecksumAlgorithm(rawValue: $0.lowercased()) }
    }
}
