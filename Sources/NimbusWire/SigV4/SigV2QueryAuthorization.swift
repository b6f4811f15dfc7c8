import Crypto
import HTTPTypes

/// S3's legacy presigned URLs (Signature Version 2 in the query string), which boto3 still
/// produces by default for `generate_presigned_url('get_object', …)` in us-east-1:
/// `?AWSAccessKeyId=…&Expires=<epoch>&Signature=base64(HMAC-SHA1(secret, string to sign))`.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/RESTAuthentication.html#RESTAuthenticationQueryStringAuth
struct SigV2QueryAuthorization {
    let accessKeyID: String
    let signature: String
    let expires: Int

    /// The sub-resources that S3 includes in the string to sign.
    private static let subresources: Set<String> = [
        "acl", "cors", "delete", "lifecycle", "location", "logging", "notification", "partNumber", "policy",
        "requestPayment", "response-cache-control", "response-content-disposition", "response-content-encoding",
        "response-content-language", "response-content-type", "response-expires", "restore", "tagging", "torrent",
        "uploadId", "uploads", "versionId", "versioning", "versions", "website",
    ]

    /// The SigV2 parameters of `request`, or `nil` when it carries none.
    static func parse(_ request: AWSRequest) -> SigV2QueryAuthorization? {
        guard request.queryContains("AWSAccessKeyId=") else { return nil }
        var items: [String: String] = [:]
        for item in request.queryItems { items[item.name] = item.value }
        guard let key = items["AWSAccessKeyId"], let signature = items["Signature"], let expires = items["Expires"].flatMap({ Int($0) }) else {
            return nil
        }
        return SigV2QueryAuthorization(accessKeyID: key, signature: signature, expires: expires)
    }

    func stringToSign(_ request: AWSRequest) -> String {
        var amzHeaders: [(String, String)] = []
        for field in request.headers where field.name.canonicalName.hasPrefix("x-amz-") {
            amzHeaders.append((field.name.canonicalName, field.value.trimming(" ")))
        }
        amzHeaders.sort { $0.0 < $1.0 }
        let subresources = request.queryItems.filter { Self.subresources.contains($0.name) }.sorted { $0.name < $1.name }
            .map { $0.value.isEmpty ? $0.name : "\($0.name)=\($0.value)" }
        let resource = request.path + (subresources.isEmpty ? "" : "?" + subresources.joined(separator: "&"))
        return [
            request.method.rawValue,
            request.header(.contentMD5) ?? "",
            request.header(.contentType) ?? "",
            String(expires),
        ].joined(separator: "\n") + "\n" + amzHeaders.map { "\($0.0):\($0.1)\n" }.joined() + resource
    }

    func isValid(for request: AWSRequest, secret: String) -> Bool {
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Array(stringToSign(request).utf8), using: SymmetricKey(data: Array(secret.utf8)))
        return SigV4Signer.constantTimeEqual(Base64.encode(Array(mac)), signature)
    }
}
