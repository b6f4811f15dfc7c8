import Foundation

/// `RequestParameters` of an `HTTP_PROXY` integration: `overwrite:path`, and
/// `append|overwrite|remove` of `header.<name>` and `querystring.<name>`, with values that are
/// text, `$request.header.<name>`, `$request.querystring.<name>`, `$request.path.<name>`,
/// `$request.path`, `$context.<name>` or `$stageVariables.<name>` (alone or as `${…}` in text).
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-parameter-mapping.html
enum ParameterMapping {
    /// What a mapping key changes.
    enum Target: Hashable, Sendable {
        case path
        case header(Action, String)
        case query(Action, String)

        enum Action: String, Sendable {
            case append, overwrite, remove
        }

        init?(_ key: String) {
            if key == "overwrite:path" {
                self = .path
                return
            }
            let parts = key.split(separator: ":", maxSplits: 1)
            guard parts.count == 2, let action = Action(rawValue: String(parts[0])) else { return nil }
            let location = parts[1]
            if location.hasPrefix("header."), location.count > 7 {
                self = .header(action, String(location.dropFirst(7)).lowercased())
            } else if location.hasPrefix("querystring."), location.count > 12 {
                self = .query(action, String(location.dropFirst(12)))
            } else {
                return nil
            }
        }
    }

    /// The facts a mapping value may refer to.
    struct Source: Sendable {
        var request: GatewayRequest
        var query: [(name: String, value: String)]
        var pathParameters: [String: String]
        var stagePath: String
        var stageVariables: [String: String]
        var context: [String: String]
    }

    /// The value of `expression`: text in which `$request.…`, `$context.…` and
    /// `$stageVariables.…` references (bare, or as `${…}`) are replaced by their values.
    static func evaluate(_ expression: String, _ source: Source) -> String {
        var result = ""
        var rest = Substring(expression)
        while let dollar = rest.firstIndex(of: "$") {
            result += rest[..<dollar]
            var after = rest[rest.index(after: dollar)...]
            let reference: Substring
            if after.first == "{", let close = after.firstIndex(of: "}") {
                reference = after[after.index(after: after.startIndex)..<close]
                after = after[after.index(after: close)...]
            } else {
                let end = after.firstIndex { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "_" || $0 == "-") } ?? after.endIndex
                reference = after[..<end]
                after = after[end...]
            }
            if let value = resolve(String(reference), source) {
                result += value
            } else if reference.hasPrefix("request.") || reference.hasPrefix("context.") || reference.hasPrefix("stageVariables.") {
                // A reference to something the request lacks maps to nothing, as on AWS.
            } else {
                result += "$" + reference
            }
            rest = after
        }
        return result + rest
    }

    private static func resolve(_ reference: String, _ source: Source) -> String? {
        if reference == "request.path" { return source.stagePath }
        if reference.hasPrefix("request.header.") { return source.request.header(String(reference.dropFirst(15))) }
        if reference.hasPrefix("request.querystring.") {
            let name = reference.dropFirst(20)
            let values = source.query.filter { $0.name == name }.map(\.value)
            return values.isEmpty ? nil : values.joined(separator: ",")
        }
        if reference.hasPrefix("request.path.") { return source.pathParameters[String(reference.dropFirst(13))] }
        if reference.hasPrefix("stageVariables.") { return source.stageVariables[String(reference.dropFirst(15))] }
        if reference.hasPrefix("context.") { return source.context[String(reference.dropFirst(8))] }
        return nil
    }
}

/// `${stageVariables.<name>}` references in an integration's URI.
enum StageVariables {
    static func substitute(_ text: String, _ variables: [String: String]) -> String {
        guard text.contains("${stageVariables.") else { return text }
        var result = text
        for (name, value) in variables { result = result.replacingOccurrences(of: "${stageVariables.\(name)}", with: value) }
        return result
    }
}

/// An authorizer's identity source: `$request.header.<name>`, `$request.querystring.<name>`,
/// `$context.<name>` or `$stageVariables.<name>`.
enum IdentitySource {
    static func isValid(_ source: String) -> Bool {
        ["$request.header.", "$request.querystring.", "$context.", "$stageVariables."].contains { prefix in
            source.hasPrefix(prefix) && source.count > prefix.count
        }
    }
}
