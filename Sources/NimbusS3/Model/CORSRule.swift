package import NimbusCore

/// One CORS rule of a bucket, and how S3 matches a browser request against the rules.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/cors.html
package struct CORSRule: Codable, Sendable, Hashable {
    package var id: String?
    package var allowedOrigins: [String]
    package var allowedMethods: [String]
    package var allowedHeaders: [String]
    package var exposeHeaders: [String]
    package var maxAgeSeconds: Int?

    package init(
        id: String? = nil,
        allowedOrigins: [String],
        allowedMethods: [String],
        allowedHeaders: [String] = [],
        exposeHeaders: [String] = [],
        maxAgeSeconds: Int? = nil
    ) {
        self.id = id
        self.allowedOrigins = allowedOrigins
        self.allowedMethods = allowedMethods
        self.allowedHeaders = allowedHeaders
        self.exposeHeaders = exposeHeaders
        self.maxAgeSeconds = maxAgeSeconds
    }

    static let methods: Set<String> = ["GET", "PUT", "HEAD", "POST", "DELETE"]

    /// Checks a configuration as PutBucketCors does.
    /// - Throws: `InvalidRequest` for an unsupported method or more than one `*` in an
    ///   origin or header; `MalformedXML` for more than 100 rules or a rule without origins or methods.
    package static func validate(_ rules: [CORSRule]) throws(AWSError) {
        guard !rules.isEmpty, rules.count <= 100 else { throw S3Errors.malformedXML() }
        for rule in rules {
            guard !rule.allowedOrigins.isEmpty, !rule.allowedMethods.isEmpty else { throw S3Errors.malformedXML() }
            for method in rule.allowedMethods where !methods.contains(method) {
                throw AWSError(code: "InvalidRequest", message: "Found unsupported HTTP method in CORS config. Unsupported method is \(method)")
            }
            for origin in rule.allowedOrigins where origin.filter({ $0 == "*" }).count > 1 {
                throw AWSError(code: "InvalidRequest", message: "AllowedOrigin \"\(origin)\" can not have more than one wildcard.")
            }
            for header in rule.allowedHeaders where header.filter({ $0 == "*" }).count > 1 {
                throw AWSError(code: "InvalidRequest", message: "AllowedHeader \"\(header)\" can not have more than one wildcard.")
            }
        }
    }

    /// Whether `value` matches `pattern`, which may hold one `*` standing for any text.
    package static func wildcard(_ pattern: String, matches value: String, caseSensitive: Bool = true) -> Bool {
        let pattern = caseSensitive ? pattern : pattern.lowercased()
        let value = caseSensitive ? value : value.lowercased()
        guard let star = pattern.firstIndex(of: "*") else { return pattern == value }
        let head = pattern[..<star]
        let tail = pattern[pattern.index(after: star)...]
        return value.count >= head.count + tail.count && value.hasPrefix(head) && value.hasSuffix(tail)
    }

    /// Whether the rule allows a request from `origin` with `method` carrying `headers`.
    package func allows(origin: String, method: String, headers: [String]) -> Bool {
        guard allowedOrigins.contains(where: { Self.wildcard($0, matches: origin) }), allowedMethods.contains(method) else { return false }
        return headers.allSatisfy { header in allowedHeaders.contains { Self.wildcard($0, matches: header, caseSensitive: false) } }
    }

    /// The first rule allowing the request, as S3 evaluates them in order.
    package static func firstMatch(_ rules: [CORSRule], origin: String, method: String, headers: [String]) -> CORSRule? {
        rules.first { $0.allows(origin: origin, method: method, headers: headers) }
    }

    /// The response headers for a request this rule allows.
    package func responseHeaders(origin: String, requestedHeaders: [String], preflight: Bool) -> [(String, String)] {
        let anyOrigin = allowedOrigins.contains("*")
        var headers: [(String, String)] = [
            ("Access-Control-Allow-Origin", anyOrigin ? "*" : origin),
            ("Access-Control-Allow-Methods", allowedMethods.joined(separator: ", ")),
            ("Vary", "Origin, Access-Control-Request-Headers, Access-Control-Request-Method"),
        ]
        if !anyOrigin { headers.append(("Access-Control-Allow-Credentials", "true")) }
        if preflight, !requestedHeaders.isEmpty { headers.append(("Access-Control-Allow-Headers", requestedHeaders.joined(separator: ", "))) }
        if !exposeHeaders.isEmpty { headers.append(("Access-Control-Expose-Headers", exposeHeaders.joined(separator: ", "))) }
        if preflight, let maxAgeSeconds { headers.append(("Access-Control-Max-Age", String(maxAgeSeconds))) }
        return headers
    }
}
