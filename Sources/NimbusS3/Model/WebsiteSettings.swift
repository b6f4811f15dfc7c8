package import NimbusCore
import NimbusWire

/// A bucket's static-website configuration: the index document suffix, the error document,
/// or a redirect of every request to another host.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteHosting.html
package struct WebsiteSettings: Codable, Sendable, Hashable {
    package var indexSuffix: String?
    package var errorKey: String?
    package var redirectHost: String?
    package var redirectProtocol: String?

    package init(indexSuffix: String? = nil, errorKey: String? = nil, redirectHost: String? = nil, redirectProtocol: String? = nil) {
        self.indexSuffix = indexSuffix
        self.errorKey = errorKey
        self.redirectHost = redirectHost
        self.redirectProtocol = redirectProtocol
    }

    /// Checks the configuration as PutBucketWebsite does.
    /// - Throws: `InvalidArgument` with S3's messages.
    package func validate() throws(AWSError) {
        if let redirectHost {
            guard indexSuffix == nil, errorKey == nil else {
                throw S3Errors.invalidArgument(
                    "RedirectAllRequestsTo cannot be provided in conjunction with other Routing/Redirect configurations.",
                    name: "RedirectAllRequestsTo",
                    value: redirectHost
                )
            }
            guard redirectProtocol == nil || redirectProtocol == "http" || redirectProtocol == "https" else {
                throw S3Errors.invalidArgument("Invalid protocol, protocol can be http or https.", name: "Protocol", value: redirectProtocol ?? "")
            }
            return
        }
        guard let indexSuffix else {
            throw S3Errors.invalidArgument(
                "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
                name: "IndexDocument",
                value: "null"
            )
        }
        guard !indexSuffix.isEmpty, !indexSuffix.contains("/") else {
            throw S3Errors.invalidArgument("The IndexDocument Suffix is not well formed", name: "IndexDocument", value: indexSuffix)
        }
        if let errorKey, errorKey.isEmpty {
            throw S3Errors.invalidArgument("The ErrorDocument Key is not well formed", name: "ErrorDocument", value: errorKey)
        }
    }

    /// The website endpoint's forms: a `Host` of `<bucket>.s3-website.<anything>` or
    /// `<bucket>.s3-website-<region>.<anything>` (AWS's, for clients that resolve them), or the
    /// path `/_nimbus/website/<bucket>/<key>` on the edge port (works from any client).
    package static let pathPrefix = "/_nimbus/website/"

    /// The bucket and the object path (without the leading slash, still URL-encoded) a website
    /// request names, or `nil` when it is not a website request.
    package static func target(host: String?, path: String) -> (bucket: String, path: String)? {
        if path.hasPrefix(pathPrefix) {
            let rest = path.dropFirst(pathPrefix.count)
            let parts = rest.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
            guard let bucket = parts.first, !bucket.isEmpty else { return nil }
            return (String(bucket), parts.count > 1 ? String(parts[1]) : "")
        }
        guard let site = HostName.split(host, at: ".s3-website"),
            let next = site.after.first, next == UInt8(ascii: ".") || next == UInt8(ascii: "-")
        else { return nil }
        return (site.before, String(path.dropFirst()))
    }
}
