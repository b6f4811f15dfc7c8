/// The conditional request headers of GET and HEAD, evaluated as S3 does
/// (https://docs.aws.amazon.com/AmazonS3/latest/API/API_GetObject.html, RFC 9110 §13.2.2):
/// `If-Match` fails → 412, else `If-Unmodified-Since` fails (without `If-Match`) → 412;
/// `If-None-Match` matches → 304, else `If-Modified-Since` not modified (without
/// `If-None-Match`) → 304.
package struct Preconditions: Sendable {
    package var ifMatch: String?
    package var ifNoneMatch: String?
    package var ifModifiedSince: Double?
    package var ifUnmodifiedSince: Double?

    package init(ifMatch: String? = nil, ifNoneMatch: String? = nil, ifModifiedSince: Double? = nil, ifUnmodifiedSince: Double? = nil) {
        self.ifMatch = ifMatch
        self.ifNoneMatch = ifNoneMatch
        self.ifModifiedSince = ifModifiedSince
        self.ifUnmodifiedSince = ifUnmodifiedSince
    }

    package enum Outcome: Hashable, Sendable {
        case proceed
        case notModified
        case preconditionFailed
    }

    /// The outcome for an object with `eTag` (quoted) last modified at `lastModified` (seconds).
    package func evaluate(eTag: String, lastModified: Double) -> Outcome {
        // HTTP dates have whole seconds.
        let modified = lastModified.rounded(.down)
        if let ifMatch {
            if !Self.matches(ifMatch, eTag) { return .preconditionFailed }
        } else if let ifUnmodifiedSince, modified > ifUnmodifiedSince {
            return .preconditionFailed
        }
        if let ifNoneMatch {
            if Self.matches(ifNoneMatch, eTag) { return .notModified }
        } else if let ifModifiedSince, modified <= ifModifiedSince {
            return .notModified
        }
        return .proceed
    }

    /// Whether a list of entity tags (`"a", "b"` or `*`) names `eTag`; quotes are optional.
    static func matches(_ list: String, _ eTag: String) -> Bool {
        let bare = eTag.trimming("\"")
        return list.split(separator: ",").contains { candidate in
            let value = candidate.trimming(" ")
            return value == "*" || value.trimming("\"") == bare
        }
    }
}
