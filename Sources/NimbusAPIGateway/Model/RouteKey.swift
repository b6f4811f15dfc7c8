package import NimbusCore

/// A route key of an HTTP API: `$default`, or a method and a path template such as
/// `GET /items/{id}` or `ANY /{proxy+}`.
///
/// AWS's rules: the method is one of `ANY DELETE GET HEAD OPTIONS PATCH POST PUT`; the path
/// starts with `/`; a segment is literal text or a whole `{name}` parameter; a greedy
/// `{name+}` parameter may only be the last segment.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-routes.html
package struct RouteKey: Hashable, Sendable, CustomStringConvertible {
    /// One segment of a path template.
    package enum Segment: Hashable, Sendable {
        case literal(String)
        case parameter(String)
        case greedy(String)
    }

    /// The methods a route key may name.
    package static let methods: Set<String> = ["ANY", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]

    /// `nil` for `$default`.
    package var method: String?
    package var segments: [Segment]
    package var description: String

    package static let defaultKey = "$default"

    /// `true` for the `$default` catch-all route.
    package var isDefault: Bool { method == nil }

    /// The path template, e.g. `/items/{id}` (`$default` for the default route).
    package var path: String {
        guard method != nil else { return Self.defaultKey }
        return "/"
            + segments.map {
                switch $0 {
                case .literal(let text): text
                case .parameter(let name): "{\(name)}"
                case .greedy(let name): "{\(name)+}"
                }
            }.joined(separator: "/")
    }

    /// Parses `text`.
    /// - Throws: `BadRequestException` naming what is wrong.
    package init(parsing text: String) throws(AWSError) {
        description = text
        if text == Self.defaultKey {
            method = nil
            segments = []
            return
        }
        let parts = text.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, Self.methods.contains(String(parts[0])) else {
            throw .badRequest(
                "Invalid route key \(text): it must be $default or an HTTP method (\(Self.methods.sorted().joined(separator: ", "))) followed by a space and a path"
            )
        }
        method = String(parts[0])
        let path = parts[1]
        guard path.first == "/", !path.contains(" "), !path.contains("//") else {
            throw .badRequest("Invalid route key \(text): the path must start with / and contain no spaces or empty segments")
        }
        var segments: [Segment] = []
        var names: Set<String> = []
        let pieces = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for (index, piece) in pieces.enumerated() {
            if piece.isEmpty {
                // Only `/` itself (one empty piece) is allowed; a trailing slash is not.
                guard pieces.count == 1 else { throw .badRequest("Invalid route key \(text): the path must not end with /") }
                continue
            }
            if piece.first == "{" || piece.last == "}" || piece.contains("{") || piece.contains("}") {
                guard piece.first == "{", piece.last == "}", piece.count > 2 else {
                    throw .badRequest("Invalid route key \(text): a path parameter must be a whole segment such as {id}")
                }
                var name = String(piece.dropFirst().dropLast())
                let greedy = name.hasSuffix("+")
                if greedy { name.removeLast() }
                guard !name.isEmpty, name.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }) else {
                    throw .badRequest("Invalid route key \(text): invalid path parameter name \(piece)")
                }
                guard names.insert(name).inserted else {
                    throw .badRequest("Invalid route key \(text): duplicate path parameter \(name)")
                }
                if greedy {
                    guard index == pieces.count - 1 else {
                        throw .badRequest("Invalid route key \(text): a greedy path parameter must be the last segment")
                    }
                    segments.append(.greedy(name))
                } else {
                    segments.append(.parameter(name))
                }
            } else {
                segments.append(.literal(String(piece)))
            }
        }
        self.segments = segments
    }

    /// The key with parameter names erased: two routes with the same shape conflict.
    package var shape: String {
        guard let method else { return Self.defaultKey }
        let path = segments.map {
            switch $0 {
            case .literal(let text): text
            case .parameter: "{}"
            case .greedy: "{+}"
            }
        }
        return method + " /" + path.joined(separator: "/")
    }
}
