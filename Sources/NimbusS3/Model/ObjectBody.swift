import Foundation
import NimbusCore

/// An object's bytes as an upload, a copy or a completed multipart upload produced them:
/// committed to a blob (large), or held in memory to be stored inline with the object's row
/// (small; see `S3Store+InlineBodies`).
enum ObjectBody: Sendable, Hashable {
    /// A committed blob.
    case blob(String)
    /// Bytes stored in the SQL store under `name` in the transaction that writes the object.
    case inline(name: String, bytes: [UInt8])

    /// Bodies up to this size (64 KiB) are stored inline: they fit a few database pages, and
    /// reading them back costs one query instead of a file; larger ones stream to a blob.
    static let inlineLimit = 64 * 1024

    /// The prefix of inline body names; blob keys start with `s3/`.
    static let inlinePrefix = "inline/"

    /// Whether a record's body name refers to an inline body.
    static func isInline(_ name: String) -> Bool {
        name.hasPrefix(inlinePrefix)
    }

    /// A fresh name for an inline body.
    static func newInlineName() -> String {
        inlinePrefix + UniqueName.make()
    }

    /// The name the object's record keeps.
    var name: String {
        switch self {
        case .blob(let key): key
        case .inline(let name, _): name
        }
    }

    /// The bytes to insert with the row, for an inline body.
    var inlineBytes: [UInt8]? {
        if case .inline(_, let bytes) = self { return bytes }
        return nil
    }

    /// The blob to delete if the object's row is not written.
    var blobKey: String? {
        if case .blob(let key) = self { return key }
        return nil
    }
}
