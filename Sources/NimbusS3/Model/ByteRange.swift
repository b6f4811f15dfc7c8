/// An HTTP `Range: bytes=…` request resolved against an object's size
/// (https://www.rfc-editor.org/rfc/rfc9110#section-14.1.2). S3 serves one range; a header it
/// cannot parse, or one with several ranges, is ignored and the whole object is sent.
package struct ByteRange: Hashable, Sendable {
    /// First byte, inclusive.
    package var start: Int
    /// Last byte, inclusive.
    package var end: Int

    package init(start: Int, end: Int) {
        self.start = start
        self.end = end
    }

    package var count: Int { end - start + 1 }

    /// The `Content-Range` value for an object of `size` bytes.
    package func contentRange(size: Int) -> String { "bytes \(start)-\(end)/\(size)" }

    package enum Resolution: Hashable, Sendable {
        /// Send the whole object (no header, or one S3 ignores).
        case whole
        case range(ByteRange)
        /// 416: the range starts past the end of the object.
        case unsatisfiable
    }

    /// Resolves `header` against an object of `size` bytes.
    package static func resolve(_ header: String?, size: Int) -> Resolution {
        guard let header = header?.trimming(" "), header.hasPrefix("bytes=") else { return .whole }
        let spec = header.dropFirst(6).trimming(" ")
        guard !spec.contains(","), let dash = spec.firstIndex(of: "-") else { return .whole }
        let first = spec[..<dash].trimming(" ")
        let last = spec[spec.index(after: dash)...].trimming(" ")
        if first.isEmpty {
            guard let suffix = Int(last), suffix >= 0 else { return .whole }
            guard suffix > 0, size > 0 else { return .unsatisfiable }
            return .range(ByteRange(start: max(0, size - suffix), end: size - 1))
        }
        guard let start = Int(first), start >= 0 else { return .whole }
        var end = size - 1
        if !last.isEmpty {
            guard let value = Int(last), value >= start else { return .whole }
            end = min(value, size - 1)
        }
        guard start < size else { return .unsatisfiable }
        return .range(ByteRange(start: start, end: end))
    }
}

extension StringProtocol {
    /// The text without `character` at its start and end (an ETag's quotes).
    func trimming(_ character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text.removeFirst() }
        while text.last == character { text.removeLast() }
        return String(text)
    }
}
