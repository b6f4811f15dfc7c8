import NimbusCore
import NimbusWire

/// The `x-amz-copy-source` of CopyObject and UploadPartCopy: `bucket/key` (optionally with a
/// leading slash and `?versionId=`), URL-encoded.
struct CopySource: Hashable, Sendable {
    var bucket: String
    var key: String
    var versionID: String?

    init(_ text: String) throws {
        let pieces = text.split(separator: "?", maxSplits: 1)
        let raw = pieces.first.map(String.init) ?? text
        if pieces.count == 2 {
            for item in pieces[1].split(separator: "&") where item.hasPrefix("versionId=") {
                versionID = FormEncoding.percentDecode(String(item.dropFirst("versionId=".count)))
            }
        }
        guard let decoded = FormEncoding.percentDecode(raw) else {
            throw S3Errors.invalidArgument("Invalid copy source encoding", name: "x-amz-copy-source", value: text)
        }
        var path = Substring(decoded)
        if path.first == "/" { path = path.dropFirst() }
        guard let slash = path.firstIndex(of: "/"), slash != path.startIndex, path.index(after: slash) != path.endIndex else {
            throw S3Errors.invalidArgument("Invalid copy source object key", name: "x-amz-copy-source", value: text)
        }
        bucket = String(path[..<slash])
        key = String(path[path.index(after: slash)...])
    }
}
