import Crypto
import HTTPTypes
package import NimbusCore

/// Checks a request's signature according to the server's `AuthMode`, and turns
/// `aws-chunked` bodies into their plain payload, verifying chunk signatures and
/// trailing checksums.
///
/// Accepted: SigV4 in the `Authorization` header or a presigned query string, and S3's
/// SigV2 presigned URLs (boto3's default presigner for S3 in us-east-1).
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
    /// - Parameter wire: the request's protocol, which decides the error codes (S3, query or JSON style).
    /// - Returns: who signed the request.
    /// - Throws: AWS's error: malformed signature, missing token, unknown key, signature mismatch,
    ///   stale or expired request, `BadDigest`, `IncompleteBody`, `XAmzContentSHA256Mismatch`.
    package func authenticate(_ request: inout AWSRequest, protocol wire: WireProtocol) throws(AWSError) -> CallerIdentity {
        try authenticate(&request, signature: Result { () throws(SigV4FormatError) in try SigV4Authorization.parse(request) }, protocol: wire)
    }

    /// Authenticates `request` whose signature the edge has already read (`SigV4Authorization.parse`).
    package func authenticate(
        _ request: inout AWSRequest,
        signature: Result<SigV4Authorization?, SigV4FormatError>,
        protocol wire: WireProtocol
    ) throws(AWSError) -> CallerIdentity {
        let authorization: SigV4Authorization?
        switch signature {
        case .success(let parsed):
            authorization = parsed
        case .failure(let error):
            let family = AuthFailure.Family(signingService: SigV4Scope.service(of: request), protocol: wire)
            throw AuthFailure.malformed("The request signature is malformed: \(error.message)").error(for: family)
        }
        let family = AuthFailure.Family(signingService: authorization?.service, protocol: wire)
        let legacy = authorization == nil ? SigV2QueryAuthorization.parse(request) : nil
        switch mode {
        case .open:
            try BodyIntegrity.decode(&request, authorization: authorization, key: nil)
            let keyID = authorization?.accessKeyID ?? legacy?.accessKeyID
            return keyID.map { CallerIdentity(accessKeyID: $0, principal: nil) } ?? .anonymous
        case .verify(let credentials):
            if let legacy {
                guard let credential = credentials[legacy.accessKeyID] else { throw AuthFailure.unknownKey.error(for: .s3) }
                guard clock.now() <= Double(legacy.expires) else { throw AuthFailure.expired.error(for: .s3) }
                guard legacy.isValid(for: request, secret: credential.secretAccessKey) else {
                    throw AuthFailure.badSignature("The request signature we calculated does not match the signature you provided.")
                        .error(for: .s3)
                }
                return CallerIdentity(accessKeyID: credential.accessKeyID, principal: credential.principal)
            }
            guard let authorization else { throw AuthFailure.missing.error(for: family) }
            guard let credential = credentials[authorization.accessKeyID] else { throw AuthFailure.unknownKey.error(for: family) }
            do throws(AuthFailure) {
                try checkTime(authorization)
                let key = SigV4Signer.signingKey(
                    secret: credential.secretAccessKey,
                    date: authorization.scopeDate,
                    region: authorization.region,
                    service: authorization.service
                )
                try checkSignature(request, authorization, key: key)
                try checkPayloadHash(request)
                try decodeBody(&request, authorization: authorization, key: key)
            } catch {
                throw error.error(for: family)
            }
            return CallerIdentity(accessKeyID: credential.accessKeyID, principal: credential.principal)
        }
    }

    private func checkTime(_ authorization: SigV4Authorization) throws(AuthFailure) {
        guard let time = Timestamp.parseAmzDate(authorization.requestDate) ?? Timestamp.parseHTTPDate(authorization.requestDate) else {
            throw .malformed("X-Amz-Date '\(authorization.requestDate)' is not in the form yyyyMMddTHHmmssZ")
        }
        guard Timestamp.amzDate(time).hasPrefix(authorization.scopeDate) else {
            throw .badSignature("The credential scope date \(authorization.scopeDate) does not match the request date \(authorization.requestDate)")
        }
        let now = clock.now()
        if let expires = authorization.expires {
            guard now <= time + Double(expires) else { throw .expired }
            guard time - now <= Self.allowedSkew else { throw .stale("the presigned URL is dated in the future") }
            return
        }
        guard abs(now - time) <= Self.allowedSkew else {
            throw .stale(
                "the difference between the request time (\(authorization.requestDate)) and the server's time "
                    + "(\(Timestamp.amzDate(now))) is more than 15 minutes."
            )
        }
    }

    /// The payload hash the signer used: the `x-amz-content-sha256` header when present,
    /// `UNSIGNED-PAYLOAD` for S3 presigned URLs, the body's hash otherwise.
    private func payloadHash(_ request: AWSRequest, _ authorization: SigV4Authorization) -> String {
        if let header = request.header(.xAmzContentSHA256) { return header }
        if authorization.isPresigned && authorization.service == "s3" { return "UNSIGNED-PAYLOAD" }
        return SigV4Signer.hexSHA256(request.body)
    }

    private func checkSignature(_ request: AWSRequest, _ authorization: SigV4Authorization, key: SymmetricKey) throws(AuthFailure) {
        let canonical = SigV4Signer.canonicalRequest(
            request,
            signedHeaders: authorization.signedHeaders,
            payloadHash: payloadHash(request, authorization),
            service: authorization.service
        )
        let stringToSign = SigV4Signer.stringToSign(canonicalRequest: canonical, requestDate: authorization.requestDate, scope: authorization.scope)
        guard SigV4Signer.constantTimeEqual(SigV4Signer.signature(of: stringToSign, key: key), authorization.signature) else {
            throw .badSignature(
                "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. The Canonical String for this request should have been\n'"
                    + canonical + "'\n\nThe String-to-Sign should have been\n'" + stringToSign + "'\n"
            )
        }
    }

    /// A signed `x-amz-content-sha256` must be the body's real hash.
    private func checkPayloadHash(_ request: AWSRequest) throws(AuthFailure) {
        // A streamed body's hash is checked as it arrives (`StreamingIntegrity`).
        guard request.bodyStream == nil else { return }
        guard let declared = request.header(.xAmzContentSHA256), declared.utf8.count == 64 else { return }
        guard SigV4Signer.hexSHA256(request.body) == declared else {
            throw .contentHashMismatch
        }
    }

    /// Decodes `aws-chunked` bodies and checks every checksum the request declares.
    private func decodeBody(_ request: inout AWSRequest, authorization: SigV4Authorization?, key: SymmetricKey?) throws(AuthFailure) {
        do {
            try BodyIntegrity.decode(&request, authorization: authorization, key: key)
        } catch {
            throw .integrity(error)
        }
    }
}
