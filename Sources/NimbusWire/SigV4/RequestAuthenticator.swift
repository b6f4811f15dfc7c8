import Crypto
import HTTPTypes
package import NimbusCore

/// Checks a request's SigV4 signature according to the server's `AuthMode`, and turns
/// `aws-chunked` bodies into their plain payload, verifying chunk signatures and
/// trailing checksums.
package struct RequestAuthenticator: Sendable {
    /// How far a header-signed request's date may be from the server's clock (AWS: 15 minutes).
    package static let allowedSkew: Double = 15 * 60

    package let mode: AuthMode
    package let clock: any WallClock

    package init(mode: AuthMode, clock: any WallClock = SystemWallClock()) {
        self.mode = mode
        self.clock = clock
    }

    /// Authenticates `request` and replaces an `aws-chunked` body by its payload.
    /// - Returns: who signed the request.
    /// - Throws: AWS's error: `IncompleteSignature`, `MissingAuthenticationToken`,
    ///   `InvalidClientTokenId`/`InvalidAccessKeyId`, `SignatureDoesNotMatch`,
    ///   `RequestExpired`/`RequestTimeTooSkewed`, `BadDigest`, `IncompleteBody`.
    package func authenticate(_ request: inout AWSRequest) throws(AWSError) -> CallerIdentity {
        let authorization: SigV4Authorization?
        do {
            authorization = try SigV4Authorization.parse(request)
        } catch {
            let isS3 = SigV4Scope.service(of: request) == "s3"
            throw AWSError(
                code: isS3 ? "AuthorizationHeaderMalformed" : "IncompleteSignature",
                status: 400,
                message: "The request signature is malformed: \(error.message)"
            )
        }
        let identity: CallerIdentity
        switch mode {
        case .open:
            identity = authorization.map { CallerIdentity(accessKeyID: $0.accessKeyID, principal: nil) } ?? .anonymous
            try decodeBody(&request, authorization: authorization, key: nil)
        case .verify(let credentials):
            guard let authorization else {
                throw AWSError(
                    code: "MissingAuthenticationToken",
                    status: 403,
                    message: "Request is missing Authentication Token: requests must be signed with SigV4"
                )
            }
            let isS3 = authorization.service == "s3"
            guard let credential = credentials[authorization.accessKeyID] else {
                throw AWSError(
                    code: isS3 ? "InvalidAccessKeyId" : "InvalidClientTokenId",
                    status: 403,
                    message: "The AWS Access Key Id you provided does not exist in our records."
                )
            }
            try checkTime(authorization, isS3: isS3)
            let key = SigV4Signer.signingKey(
                secret: credential.secretAccessKey,
                date: authorization.scopeDate,
                region: authorization.region,
                service: authorization.service
            )
            try checkSignature(request, authorization, key: key)
            try decodeBody(&request, authorization: authorization, key: key)
            identity = CallerIdentity(accessKeyID: credential.accessKeyID, principal: credential.principal)
        }
        return identity
    }

    private func requestTime(_ authorization: SigV4Authorization) throws(AWSError) -> Double {
        guard let time = Timestamp.parseAmzDate(authorization.requestDate) ?? Timestamp.parseHTTPDate(authorization.requestDate) else {
            throw AWSError(code: "IncompleteSignature", message: "X-Amz-Date '\(authorization.requestDate)' is not yyyyMMddTHHmmssZ")
        }
        guard Timestamp.amzDate(time).hasPrefix(authorization.scopeDate) else {
            throw AWSError(
                code: "SignatureDoesNotMatch",
                status: 403,
                message: "The credential scope date \(authorization.scopeDate) does not match the request date \(authorization.requestDate)"
            )
        }
        return time
    }

    private func checkTime(_ authorization: SigV4Authorization, isS3: Bool) throws(AWSError) {
        let time = try requestTime(authorization)
        let now = clock.now()
        if let expires = authorization.expires {
            if now > time + Double(expires) {
                throw AWSError(code: isS3 ? "AccessDenied" : "RequestExpired", status: 403, message: "Request has expired")
            }
            if time - now > Self.allowedSkew {
                throw AWSError(code: isS3 ? "AccessDenied" : "RequestExpired", status: 403, message: "Request is not yet valid")
            }
            return
        }
        guard abs(now - time) <= Self.allowedSkew else {
            throw AWSError(
                code: isS3 ? "RequestTimeTooSkewed" : "RequestExpired",
                status: 403,
                message: "The difference between the request time (\(authorization.requestDate)) and the server's time "
                    + "(\(Timestamp.amzDate(now))) is more than 15 minutes."
            )
        }
    }

    /// The payload hash the signer used: the `x-amz-content-sha256` header when present,
    /// `UNSIGNED-PAYLOAD` for S3 presigned URLs, the body's hash otherwise.
    private func payloadHash(_ request: AWSRequest, _ authorization: SigV4Authorization) -> String {
        if let header = request.header("x-amz-content-sha256") { return header }
        if authorization.isPresigned && authorization.service == "s3" { return "UNSIGNED-PAYLOAD" }
        return SigV4Signer.hexSHA256(request.body)
    }

    private func checkSignature(_ request: AWSRequest, _ authorization: SigV4Authorization, key: SymmetricKey) throws(AWSError) {
        let payloadHash = payloadHash(request, authorization)
        let canonical = SigV4Signer.canonicalRequest(
            request,
            signedHeaders: authorization.signedHeaders,
            payloadHash: payloadHash,
            service: authorization.service
        )
        let stringToSign = SigV4Signer.stringToSign(canonicalRequest: canonical, requestDate: authorization.requestDate, scope: authorization.scope)
        let expected = SigV4Signer.signature(of: stringToSign, key: key)
        guard SigV4Signer.constantTimeEqual(expected, authorization.signature) else {
            throw AWSError(
                code: "SignatureDoesNotMatch",
                status: 403,
                message: "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. The Canonical String for this request should have been\n'"
                    + canonical + "'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n"
            )
        }
        if payloadHash.utf8.count == 64, !payloadHash.hasPrefix("STREAMING"), SigV4Signer.hexSHA256(request.body) != payloadHash {
            throw AWSError(
                code: "XAmzContentSHA256Mismatch",
                message: "The provided 'x-amz-content-sha256' header does not match what was computed."
            )
        }
    }

    /// Decodes `aws-chunked` bodies and checks every checksum the request declares.
    private func decodeBody(_ request: inout AWSRequest, authorization: SigV4Authorization?, key: SymmetricKey?) throws(AWSError) {
        let contentHash = request.header("x-amz-content-sha256") ?? ""
        let encoding = request.header("content-encoding") ?? ""
        var checksums: [(name: String, value: String)] = request.headers.compactMap { field in
            ChecksumAlgorithm(headerName: field.name.canonicalName) == nil ? nil : (field.name.canonicalName, field.value)
        }
        if contentHash.hasPrefix("STREAMING-") || encoding.split(separator: ",").contains(where: { $0.trimming(" ") == "aws-chunked" }) {
            let body = try AWSChunkedBody.parse(request.body)
            if contentHash.hasPrefix("STREAMING-AWS4-HMAC-SHA256-PAYLOAD"), let key, let authorization {
                try body.verifySignatures(
                    seedSignature: authorization.signature,
                    key: key,
                    requestDate: authorization.requestDate,
                    scope: authorization.scope
                )
            }
            request.body = body.payload
            checksums += body.trailers.filter { ChecksumAlgorithm(headerName: $0.name) != nil }
            let remaining = encoding.split(separator: ",").map { $0.trimming(" ") }.filter { $0 != "aws-chunked" && !$0.isEmpty }
            request.headers[.contentEncoding] = remaining.isEmpty ? nil : remaining.joined(separator: ",")
            if let declared = request.header("x-amz-decoded-content-length"), Int(declared) != request.body.count {
                throw AWSError(
                    code: "IncompleteBody",
                    message: "x-amz-decoded-content-length is \(declared) but the decoded body has \(request.body.count) bytes"
                )
            }
        }
        for checksum in checksums {
            guard let algorithm = ChecksumAlgorithm(headerName: checksum.name) else { continue }
            guard algorithm.digest(request.body) == checksum.value else {
                throw AWSError(
                    code: "BadDigest",
                    message: "The \(algorithm.rawValue.uppercased()) you specified did not match the calculated checksum."
                )
            }
        }
    }
}

