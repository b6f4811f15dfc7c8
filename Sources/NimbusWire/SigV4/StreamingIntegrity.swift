import Crypto
import HTTPTypes
import NimbusCore
import Synchronization

/// `BodyIntegrity` for a body that streams: the same checks, made as the bytes pass.
/// `aws-chunked` framing is removed chunk by chunk (signatures checked when a key is known);
/// declared checksums, a hex `x-amz-content-sha256` and `x-amz-decoded-content-length` are
/// checked when the body ends, and a mismatch is thrown from the stream's last `next()`, so
/// a consumer that commits only after the end never keeps a bad body.
enum StreamingIntegrity {
    private struct State: Sendable {
        var decoder: AWSChunkedDecoder?
        var accumulators: [ChecksumAccumulator]
        var declared: [(name: String, value: String)]
        var contentHash: SHA256?
        var expectedHash: String?
        var expectedLength: Int?
        var length = 0
        var finished = false
    }

    static func wrap(_ request: inout AWSRequest, stream: ByteStream, authorization: SigV4Authorization?, key: SymmetricKey?) {
        let contentHash = request.header(.xAmzContentSHA256) ?? ""
        let encodings = (request.header(.contentEncoding) ?? "").split(separator: ",").map { $0.trimming(" ") }
        let declared: [(name: String, value: String)] = request.headers.compactMap { field in
            ChecksumAlgorithm(headerName: field.name.canonicalName) == nil ? nil : (field.name.canonicalName, field.value)
        }
        var algorithms = Set(declared.compactMap { ChecksumAlgorithm(headerName: $0.name) })
        var state = State(decoder: nil, accumulators: [], declared: declared)
        if contentHash.hasPrefix("STREAMING-") || encodings.contains("aws-chunked") {
            var signing: AWSChunkedDecoder.Signing?
            if contentHash.hasPrefix("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), let key, let authorization {
                signing = .init(key: key, requestDate: authorization.requestDate, scope: authorization.scope, seedSignature: authorization.signature)
            }
            state.decoder = AWSChunkedDecoder(signing: signing)
            for name in (request.header("x-amz-trailer") ?? "").split(separator: ",") {
                if let algorithm = ChecksumAlgorithm(headerName: name.trimming(" ")) { algorithms.insert(algorithm) }
            }
            let remaining = encodings.filter { $0 != "aws-chunked" && !$0.isEmpty }
            request.headers[.contentEncoding] = remaining.isEmpty ? nil : remaining.joined(separator: ",")
            state.expectedLength = request.header(.xAmzDecodedContentLength).flatMap { Int($0) }
        } else if contentHash.utf8.count == 64 {
            state.contentHash = SHA256()
            state.expectedHash = contentHash
        }
        state.accumulators = algorithms.sorted { $0.rawValue < $1.rawValue }.map(ChecksumAccumulator.init)
        let shared = Mutex(state)
        request.bodyStream = ByteStream {
            while true {
                guard let piece = try await stream.next() else {
                    try shared.withLock { (state) throws(AWSError) in try finish(&state) }
                    return nil
                }
                let payload = try shared.withLock { (state) throws(AWSError) -> [UInt8] in
                    let payload = try state.decoder?.feed(piece) ?? piece
                    for index in state.accumulators.indices { state.accumulators[index].update(payload) }
                    payload.withUnsafeBytes { state.contentHash?.update(bufferPointer: $0) }
                    state.length += payload.count
                    return payload
                }
                if !payload.isEmpty { return payload }
            }
        }
    }

    private static func finish(_ state: inout State) throws(AWSError) {
        guard !state.finished else { return }
        state.finished = true
        if state.decoder != nil {
            try state.decoder?.finish()
            state.declared += state.decoder?.trailers.filter { ChecksumAlgorithm(headerName: $0.name) != nil } ?? []
            if let expected = state.expectedLength, expected != state.length {
                throw AWSError(
                    code: "IncompleteBody",
                    message: "x-amz-decoded-content-length is \(expected) but the decoded body has \(state.length) bytes"
                )
            }
        }
        if let hash = state.contentHash, let expected = state.expectedHash, Hex.encode(hash.finalize()) != expected.lowercased() {
            throw AWSError(
                code: "XAmzContentSHA256Mismatch",
                message: "The provided 'x-amz-content-sha256' header does not match what was computed."
            )
        }
        for checksum in state.declared {
            guard let algorithm = ChecksumAlgorithm(headerName: checksum.name) else { continue }
            guard let computed = state.accumulators.first(where: { $0.algorithm == algorithm })?.value else {
                throw AWSError(code: "InvalidRequest", message: "The trailer \(checksum.name) was not announced in x-amz-trailer.")
            }
            guard computed == checksum.value else {
                throw AWSError(
                    code: "BadDigest",
                    message: "The \(algorithm.rawValue.uppercased()) you specified did not match the calculated checksum."
                )
            }
        }
    }
}
