package import Crypto
package import NimbusCore

/// Decodes an `aws-chunked` body as it arrives (the streaming twin of `AWSChunkedBody`):
/// `feed` takes the next bytes of the wire form and returns the payload bytes they carry,
/// checking each chunk's signature as soon as the chunk ends; `finish` checks the framing
/// is complete and the trailer signature.
package struct AWSChunkedDecoder: Sendable {
    /// What signed chunks are checked against: the request's key, date and scope, and the seed.
    package struct Signing: Sendable {
        package var key: SymmetricKey
        package var requestDate: String
        package var scope: String
        package var seedSignature: String

        package init(key: SymmetricKey, requestDate: String, scope: String, seedSignature: String) {
            self.key = key
            self.requestDate = requestDate
            self.scope = scope
            self.seedSignature = seedSignature
        }
    }

    private enum State: Sendable {
        case header
        case data(remaining: Int)
        case dataEnd(seen: Int)
        case trailers
        case done
    }

    private static let maximumLine = 8 * 1024

    private var state = State.header
    private var line: [UInt8] = []
    private var chunkSignature: String?
    private var chunkHash = SHA256()
    private var chunkIndex = 0
    private let signing: Signing?
    private var previousSignature: String
    /// Trailer headers received, lower-cased names.
    package private(set) var trailers: [(name: String, value: String)] = []
    private var trailerSignature: String?

    /// - Parameter signing: when set, every chunk (and the trailer) must carry a valid signature.
    package init(signing: Signing?) {
        self.signing = signing
        previousSignature = signing?.seedSignature ?? ""
    }

    /// The payload carried by `bytes`, the next piece of the wire form.
    /// - Throws: `IncompleteBody` for malformed framing, `SignatureDoesNotMatch` for a bad chunk.
    package mutating func feed(_ bytes: [UInt8]) throws(AWSError) -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            switch state {
            case .header, .trailers:
                guard let text = takeLine(bytes, &index) else { continue }
                if case .header = state { try startChunk(text) } else { try addTrailer(text) }
            case .data(let remaining):
                let count = min(remaining, bytes.count - index)
                let slice = bytes[index..<(index + count)]
                output.append(contentsOf: slice)
                if signing != nil { slice.withUnsafeBytes { chunkHash.update(bufferPointer: $0) } }
                index += count
                if remaining == count {
                    try endChunk()
                    state = .dataEnd(seen: 0)
                } else {
                    state = .data(remaining: remaining - count)
                }
            case .dataEnd(let seen):
                guard bytes[index] == (seen == 0 ? 13 : 10) else { throw Self.malformed("a chunk is not followed by CRLF") }
                index += 1
                state = seen == 0 ? .dataEnd(seen: 1) : .header
            case .done:
                throw Self.malformed("unexpected data after the final chunk")
            }
        }
        return output
    }

    /// Checks that the body ended where it may, and the trailer signature.
    package mutating func finish() throws(AWSError) {
        switch state {
        case .trailers where line.isEmpty, .done: break
        default: throw Self.malformed("the body ended inside a chunk")
        }
        state = .done
        guard let signing, let trailerSignature else { return }
        let canonical = trailers.map { "\($0.name):\($0.value)\n" }.joined()
        let text = [
            "AWS4-HMAC-SHA256-TRAILER", signing.requestDate, signing.scope, previousSignature, SigV4Signer.hexSHA256(Array(canonical.utf8)),
        ].joined(separator: "\n")
        guard SigV4Signer.constantTimeEqual(SigV4Signer.signature(of: text, key: signing.key), trailerSignature) else {
            throw AWSError(code: "SignatureDoesNotMatch", status: 403, message: "The trailer signature does not match")
        }
    }

    /// Accumulates one CRLF-terminated line; returns it (without CRLF) when complete.
    private mutating func takeLine(_ bytes: [UInt8], _ index: inout Int) -> String? {
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if byte == 10, line.last == 13 {
                line.removeLast()
                defer { line.removeAll(keepingCapacity: true) }
                return String(decoding: line, as: UTF8.self)
            }
            line.append(byte)
            if line.count > Self.maximumLine {
                line.removeAll()
                state = .done
                return nil
            }
        }
        return nil
    }

    private mutating func startChunk(_ header: String) throws(AWSError) {
        let parts = header.split(separator: ";", maxSplits: 1)
        guard let sizeText = parts.first, let size = Int(sizeText.trimming(" "), radix: 16), size >= 0 else {
            throw Self.malformed("invalid chunk size '\(header.prefix(32))'")
        }
        chunkSignature = nil
        if parts.count == 2 {
            let pair = parts[1].split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0] == "chunk-signature" else { throw Self.malformed("unknown chunk extension") }
            chunkSignature = String(pair[1])
        }
        chunkHash = SHA256()
        if size == 0 {
            try endChunk()
            state = .trailers
        } else {
            state = .data(remaining: size)
        }
    }

    private mutating func endChunk() throws(AWSError) {
        defer { chunkIndex += 1 }
        guard let signing else { return }
        guard let signature = chunkSignature else {
            throw AWSError(code: "SignatureDoesNotMatch", status: 403, message: "Chunk \(chunkIndex) has no chunk-signature")
        }
        let digest = Hex.encode(chunkHash.finalize())
        let text = ["AWS4-HMAC-SHA256-PAYLOAD", signing.requestDate, signing.scope, previousSignature, SigV4Signer.emptyPayloadHash, digest]
            .joined(separator: "\n")
        guard SigV4Signer.constantTimeEqual(SigV4Signer.signature(of: text, key: signing.key), signature) else {
            throw AWSError(code: "SignatureDoesNotMatch", status: 403, message: "The signature of chunk \(chunkIndex) does not match")
        }
        previousSignature = signature
    }

    private mutating func addTrailer(_ text: String) throws(AWSError) {
        if text.isEmpty {
            state = .done
            return
        }
        guard let colon = text.firstIndex(of: ":") else { throw Self.malformed("malformed trailer '\(text.prefix(64))'") }
        let name = text[..<colon].lowercased()
        let value = text[text.index(after: colon)...].trimming(" ")
        if name == "x-amz-trailer-signature" { trailerSignature = value } else { trailers.append((name, value)) }
    }

    private static func malformed(_ reason: String) -> AWSError {
        AWSError(code: "IncompleteBody", message: "The aws-chunked body is malformed: \(reason)")
    }
}
