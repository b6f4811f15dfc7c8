/// A compiled `requestUri` of a REST operation, e.g. `/{Bucket}/{Key+}?uploads`.
package struct URITemplate: Sendable {
    package enum Segment: Sendable, Hashable {
        case literal(String)
        case label(String)
        /// `{Key+}`: the rest of the path, slashes included.
        case greedy(String)
    }

    package let segments: [Segment]
    private let hasGreedy: Bool
    /// Query parameters the URI fixes (`?uploads`, `?list-type=2`); `nil` value means "present".
    package let queryLiterals: [(name: String, value: String?)]

    package init(_ requestUri: String) {
        let parts = requestUri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        segments = parts[0].split(separator: "/", omittingEmptySubsequences: true).map { raw in
            guard raw.hasPrefix("{"), raw.hasSuffix("}") else { return .literal(String(raw)) }
            let inner = raw.dropFirst().dropLast()
            return inner.hasSuffix("+") ? .greedy(String(inner.dropLast())) : .label(String(inner))
        }
        hasGreedy = segments.contains { if case .greedy = $0 { true } else { false } }
        queryLiterals =
            parts.count > 1
            ? parts[1].split(separator: "&").compactMap { item in
                let pair = item.split(separator: "=", maxSplits: 1)
                // `x-id` only tells SDKs which operation this is; it is optional on the wire.
                guard pair[0] != "x-id" else { return nil }
                return (String(pair[0]), pair.count > 1 ? String(pair[1]) : nil)
            }
            : []
    }

    /// How specific the template is; the most specific match wins.
    package var specificity: Int {
        segments.reduce(0) { score, segment in
            switch segment {
            case .literal: score + 100
            case .label: score + 10
            case .greedy: score + 1
            }
        } + queryLiterals.count * 1000
    }

    /// The labels' decoded values if `path` (raw, percent-encoded) and `query` match; otherwise `nil`.
    package func match(path: String, query: [String: String]) -> [String: String]? {
        match(parts: Self.parts(of: path), query: query)
    }

    /// A raw path's segments as `match(parts:query:)` takes them (split once per request).
    package static func parts(of path: String) -> ArraySlice<Substring> {
        var parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if parts.last == "" { parts = parts.dropLast() }
        return parts
    }

    /// The labels' decoded values if the path's `parts` and `query` match; otherwise `nil`.
    package func match(parts: ArraySlice<Substring>, query: [String: String]) -> [String: String]? {
        guard hasGreedy || parts.count == segments.count else { return nil }
        for literal in queryLiterals {
            guard let value = query[literal.name] else { return nil }
            if let expected = literal.value, expected != value { return nil }
        }
        var labels: [String: String] = [:]
        var index = parts.startIndex
        for segment in segments {
            switch segment {
            case .literal(let text):
                // Literals hold no `%`: an equal raw segment needs no decoding, and one without a `%` cannot decode to it.
                guard index < parts.endIndex,
                    parts[index] == text || (parts[index].utf8.contains(UInt8(ascii: "%")) && FormEncoding.percentDecode(parts[index]) == text)
                else { return nil }
                index += 1
            case .label(let name):
                guard index < parts.endIndex, !parts[index].isEmpty, let value = FormEncoding.percentDecode(parts[index]) else {
                    return nil
                }
                labels[name] = value
                index += 1
            case .greedy(let name):
                guard index < parts.endIndex else { return nil }
                let rest = parts[index...].joined(separator: "/")
                guard !rest.isEmpty, let value = FormEncoding.percentDecode(rest) else { return nil }
                labels[name] = value
                index = parts.endIndex
            }
        }
        return index == parts.endIndex ? labels : nil
    }
}
