import Crypto
import HTTPTypes
import NimbusCore
import NimbusStore
import NimbusWire

/// A request body, with its MD5 (the ETag) and the additional checksum the client asked for,
/// kept in memory while it fits `inlineLimit` (stored inline with the object's row) and
/// otherwise written into a new blob as it arrives. The blob is committed only when the whole
/// body arrived and its `Content-MD5` matched; otherwise it is discarded.
struct BodyIngest: Sendable {
    var body: ObjectBody
    var size: Int
    var eTag: String
    var checksums: [String: String]

    /// Reads the request's body.
    /// - Parameters:
    ///   - blob: the key of the blob to write when the body is larger than `inlineLimit`.
    ///   - limit: the largest body accepted (`EntityTooLarge` above).
    ///   - inlineLimit: the largest body kept in memory for an inline object; 0 for a part,
    ///     which always goes to a blob.
    static func write(
        _ context: RequestContext,
        into blobs: any BlobStore,
        key blob: String,
        limit: Int,
        inlineLimit: Int = 0
    ) async throws -> BodyIngest {
        let request = context.request
        let declared = request.header("x-amz-decoded-content-length").flatMap { Int($0) } ?? request.header("Content-Length").flatMap { Int($0) }
        if let declared, declared > limit { throw S3Errors.entityTooLarge(declared, limit: limit) }
        let expectedMD5 = try contentMD5(request)
        var digest = BodyDigest(checksum: checksumAlgorithm(request).map(ChecksumAccumulator.init))
        let stream = request.bodyStream ?? ByteStream(bytes: request.body)
        // A body announced larger than the inline limit goes straight to a blob.
        let blobFirst = inlineLimit <= 0 || (declared ?? 0) > inlineLimit
        var writer: (any BlobWriter)? = blobFirst ? try await blobs.makeWriter(blob) : nil
        // Chunks written to a blob are hashed beside the writes; an inline body is hashed in line.
        var pipeline = writer.map { _ in DigestPipeline(continuing: digest) }
        var held: [UInt8] = []
        do {
            var size = 0
            while let chunk = try await stream.next() {
                size += chunk.count
                if size > limit { throw S3Errors.entityTooLarge(size, limit: limit) }
                if let writer {
                    await pipeline?.add(chunk)
                    try await writer.write(chunk)
                } else if size <= inlineLimit {
                    digest.update(chunk)
                    held += chunk
                } else {
                    digest.update(chunk)
                    let started = try await blobs.makeWriter(blob)
                    writer = started
                    pipeline = DigestPipeline(continuing: digest)
                    try await started.write(held)
                    try await started.write(chunk)
                    held = []
                }
            }
            if let pipeline { digest = await pipeline.finish() }
            let md5 = digest.md5.finalize()
            if let expectedMD5, Array(md5) != expectedMD5 {
                throw AWSError(code: "BadDigest", message: "The Content-MD5 you specified did not match what we received.")
            }
            try await writer?.commit()
            var checksums: [String: String] = [:]
            if let checksum = digest.checksum { checksums[checksum.algorithm.rawValue] = checksum.value }
            let body: ObjectBody = writer == nil ? .inline(name: ObjectBody.newInlineName(), bytes: held) : .blob(blob)
            return BodyIngest(body: body, size: size, eTag: ETag.quoted(md5), checksums: checksums)
        } catch {
            await writer?.abort()
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
