import NimbusCore

/// Why a request failed authentication, rendered with the code each kind of AWS service uses:
/// S3, query-protocol services (STS, SNS, IAM…) and JSON services (SQS, Lambda, DynamoDB…)
/// name the same failure differently.
enum AuthFailure: Error {
    case malformed(String)
    case missing
    case unknownKey
    case badSignature(String)
    /// The request was signed too long ago (or too far ahead).
    case stale(String)
    /// A presigned URL used after its expiry.
    case expired
    /// The body does not hash to the signed `x-amz-content-sha256`.
    case contentHashMismatch
    /// The body's framing or a declared checksum is wrong; already AWS's error.
    case integrity(AWSError)

    enum Family {
        case s3, query, json

        init(signingService: String?, protocol wire: WireProtocol) {
            if signingService == "s3" || wire == .restXml {
                self = .s3
            } else if wire == .query {
                self = .query
            } else {
                self = .json
            }
        }
    }

    func error(for family: Family) -> AWSError {
        switch (self, family) {
        case (.malformed(let reason), .s3): AWSError(code: "AuthorizationHeaderMalformed", message: reason)
        case (.malformed(let reason), .query): AWSError(code: "IncompleteSignature", message: reason)
        case (.malformed(let reason), .json): AWSError(code: "IncompleteSignatureException", message: reason)
        case (.missing, .s3): AWSError(code: "AccessDenied", status: 403, message: "Access Denied: the request is not signed")
        case (.missing, .query): AWSError(code: "MissingAuthenticationToken", status: 403, message: Self.missingMessage)
        case (.missing, .json): AWSError(code: "MissingAuthenticationTokenException", status: 403, message: Self.missingMessage)
        case (.unknownKey, .s3): AWSError(code: "InvalidAccessKeyId", status: 403, message: Self.unknownKeyMessage)
        case (.unknownKey, .query):
            AWSError(code: "InvalidClientTokenId", status: 403, message: "The security token included in the request is invalid.")
        case (.unknownKey, .json):
            AWSError(code: "UnrecognizedClientException", status: 403, message: "The security token included in the request is invalid.")
        case (.badSignature(let detail), .json): AWSError(code: "InvalidSignatureException", status: 403, message: detail)
        case (.badSignature(let detail), _): AWSError(code: "SignatureDoesNotMatch", status: 403, message: detail)
        case (.stale(let detail), .s3): AWSError(code: "RequestTimeTooSkewed", status: 403, message: detail)
        case (.stale(let detail), .query): AWSError(code: "SignatureDoesNotMatch", status: 403, message: "Signature expired: \(detail)")
        case (.stale(let detail), .json): AWSError(code: "InvalidSignatureException", status: 403, message: "Signature expired: \(detail)")
        case (.expired, .s3): AWSError(code: "AccessDenied", status: 403, message: "Request has expired")
        case (.expired, .query): AWSError(code: "SignatureDoesNotMatch", status: 403, message: "Signature expired: the presigned URL has expired")
        case (.expired, .json): AWSError(code: "InvalidSignatureException", status: 403, message: "Signature expired: the presigned URL has expired")
        case (.contentHashMismatch, _):
            AWSError(code: "XAmzContentSHA256Mismatch", message: "The provided 'x-amz-content-sha256' header does not match what was computed.")
        case (.integrity(let error), _): error
        }
    }

    private static let missingMessage = "Request is missing Authentication Token: requests must be signed with SigV4"
    private static let unknownKeyMessage = "The AWS Access Key Id you provided does not exist in our records."
}
