package import NimbusCore
import NimbusWire

/// Tag sets of objects and buckets: the `x-amz-tagging` header form and AWS's rules.
///
/// See https://docs.aws.amazon.com/AmazonS3/latest/userguide/object-tagging.html
package enum ObjectTagging {
    /// At most 10 tags per object; 50 per bucket.
    package static let objectLimit = 10
    package static let bucketLimit = 50

    /// Parses `x-amz-tagging` (`k1=v1&k2=v2`, URL-encoded) and checks it as a PutObjectTagging would.
    /// - Throws: `InvalidArgument` for a malformed header, `InvalidTag` for a tag S3 refuses.
    package static func parseHeader(_ header: String) throws(AWSError) -> [ObjectTag] {
        var tags: [ObjectTag] = []
        for pair in header.split(separator: "&", omittingEmptySubsequences: true) {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let key = FormEncoding.percentDecode(String(parts[0]), plusIsSpace: true),
                let value = FormEncoding.percentDecode(parts.count > 1 ? String(parts[1]) : "", plusIsSpace: true)
            else {
                throw S3Errors.invalidArgument(
                    "The header 'x-amz-tagging' shall be encoded as UTF-8 then URLEncoded URL query parameters without tag name duplicates.",
                    name: "x-amz-tagging",
                    value: header
                )
            }
            tags.append(ObjectTag(key: key, value: value))
        }
        try validate(tags, limit: objectLimit)
        return tags
    }

    /// Checks a tag set: count, key and value lengths, unique keys, no `aws:` keys.
    /// - Throws: `InvalidTag` with S3's message.
    package static func validate(_ tags: [ObjectTag], limit: Int) throws(AWSError) {
        guard tags.count <= limit else {
            throw invalidTag(limit == objectLimit ? "Object tags cannot be greater than 10" : "Bucket tag count cannot be greater than 50")
        }
        var seen = Set<String>()
        for tag in tags {
            guard !tag.key.isEmpty, tag.key.unicodeScalars.count <= 128 else { throw invalidTag("The TagKey you have provided is invalid") }
            guard tag.value.unicodeScalars.count <= 256 else { throw invalidTag("The TagValue you have provided is too long, max 256") }
            guard !tag.key.lowercased().hasPrefix("aws:") else { throw invalidTag("Your TagKey cannot be prefixed with aws:") }
            guard seen.insert(tag.key).inserted else { throw invalidTag("Cannot provide multiple Tags with the same key") }
        }
    }

    static func invalidTag(_ message: String) -> AWSError {
        AWSError(code: "InvalidTag", message: message)
    }
}
