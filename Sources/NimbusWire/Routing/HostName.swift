/// The name in a `Host` header as AWS reads it: without the port, ASCII case ignored.
/// Every S3 request asks it for its bucket (and every request whether it is a website's),
/// so it reads the header's bytes in place instead of lower-casing and searching a copy.
package enum HostName {
    /// What precedes the first `marker` in `host`'s name, lower-cased, and the bytes that
    /// follow the marker; `nil` when the marker is absent or opens the name.
    /// - Parameter marker: lower-case ASCII, e.g. `.s3.`.
    package static func split(_ host: String?, at marker: StaticString) -> (before: String, after: Substring.UTF8View)? {
        guard let host else { return nil }
        let name = withoutPort(host)
        let needle = UnsafeBufferPointer(start: marker.utf8Start, count: marker.utf8CodeUnitCount)
        guard let first = needle.first else { return nil }
        var start = name.isEmpty ? name.endIndex : name.index(after: name.startIndex)
        while let candidate = name[start...].firstIndex(where: { lowered($0) == first }) {
            if name[candidate...].starts(with: needle, by: { lowered($0) == $1 }) {
                let after = name.index(candidate, offsetBy: needle.count)
                return (String(decoding: name[..<candidate].lazy.map(lowered), as: UTF8.self), Substring(name[after...]).utf8)
            }
            start = name.index(after: candidate)
        }
        return nil
    }

    /// `host` up to its port's `:` (an IPv6 literal `[…]` keeps its colons).
    private static func withoutPort(_ host: String) -> Substring.UTF8View {
        let whole = Substring(host).utf8
        guard whole.last != UInt8(ascii: "]"), let colon = whole.lastIndex(of: UInt8(ascii: ":")) else { return whole }
        return whole[..<colon]
    }

    private static func lowered(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte | 0x20 : byte
    }
}
