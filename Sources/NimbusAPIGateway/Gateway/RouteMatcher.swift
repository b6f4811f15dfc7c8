import NimbusWire

/// Chooses the route of a request as AWS does for HTTP APIs: the most specific path wins
/// (segment by segment, literal text over a `{parameter}` over a greedy `{proxy+}`), then a
/// route for the request's method over `ANY`; `$default` when nothing else matches.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html#http-api-develop-routes.evaluation
package struct RouteMatcher<Target: Sendable>: Sendable {
    /// A route the matcher found, with its path parameters (percent-decoded).
    package struct Match: Sendable {
        package var key: RouteKey
        package var target: Target
        package var pathParameters: [String: String]
    }

    private var routes: [(key: RouteKey, target: Target)]
    private var fallback: (key: RouteKey, target: Target)?

    package init(_ routes: [(key: RouteKey, target: Target)]) {
        self.routes = routes.filter { !$0.key.isDefault }
        self.fallback = routes.first { $0.key.isDefault }
    }

    /// The best route for `method` and `path` (raw, as sent, without query), or `nil`.
    package func match(method: String, path: String) -> Match? {
        let pieces = Self.pieces(of: path)
        var best: (rank: [Int], match: Match)?
        for route in routes {
            guard route.key.method == method || route.key.method == "ANY" else { continue }
            guard let parameters = Self.bind(route.key.segments, to: pieces) else { continue }
            var rank = route.key.segments.map {
                switch $0 {
                case .literal: 3
                case .parameter: 2
                case .greedy: 1
                }
            }
            rank.append(route.key.method == "ANY" ? 0 : 1)
            if best == nil || rank.lexicographicallyPrecedes(best!.rank) == false && rank != best!.rank {
                best = (rank, Match(key: route.key, target: route.target, pathParameters: parameters))
            }
        }
        if let best { return best.match }
        return fallback.map { Match(key: $0.key, target: $0.target, pathParameters: [:]) }
    }

    /// The raw segments of `path`; a trailing slash is not a segment.
    static func pieces(of path: String) -> [Substring] {
        var pieces = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        if pieces.last?.isEmpty == true { pieces = pieces.dropLast() }
        return Array(pieces)
    }

    /// The parameters `segments` bind when they match `pieces`, or `nil`.
    static func bind(_ segments: [RouteKey.Segment], to pieces: [Substring]) -> [String: String]? {
        var parameters: [String: String] = [:]
        for (index, segment) in segments.enumerated() {
            switch segment {
            case .greedy(let name):
                guard index < pieces.count else { return nil }
                let rest = pieces[index...].joined(separator: "/")
                guard !rest.isEmpty else { return nil }
                parameters[name] = FormEncoding.percentDecode(rest) ?? rest
                return parameters
            case .literal(let text):
                guard index < pieces.count, FormEncoding.percentDecode(pieces[index]) ?? String(pieces[index]) == text else { return nil }
            case .parameter(let name):
                guard index < pieces.count, !pieces[index].isEmpty else { return nil }
                parameters[name] = FormEncoding.percentDecode(pieces[index]) ?? String(pieces[index])
            }
        }
        return segments.count == pieces.count ? parameters : nil
    }
}
