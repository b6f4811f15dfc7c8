import Foundation
import NimbusWire

/// What both payload versions say about a request, worked out once.
struct RequestFacts: Sendable {
    var accountID: String
    var apiId: String
    var stage: String
    var routeKey: String
    var resourcePath: String
    var method: String
    /// The path as AWS reports it: with `/<stage>` in front for a named stage.
    var rawPath: String
    var rawQuery: String
    /// Query parameters, decoded, in order.
    var query: [(name: String, value: String)]
    var headers: [(name: String, value: String)]
    var pathParameters: [String: String]
    var stageVariables: [String: String]
    var body: [UInt8]
    var sourceIP: String
    var domainName: String
    var requestID: String
    var timeEpochMilliseconds: Int64
    /// `requestContext.authorizer`, when an authorizer ran.
    var authorizer: JSONValue?

    /// The body as the event carries it: text, or base64 for binary media types.
    var encodedBody: (text: String, isBase64: Bool)? {
        guard !body.isEmpty else { return nil }
        let contentType = headers.first { $0.name.lowercased() == "content-type" }?.value.lowercased() ?? ""
        if Self.isText(contentType), let text = String(validating: body, as: UTF8.self) { return (text, false) }
        return (Base64.encode(body), true)
    }

    /// Media types API Gateway passes as text.
    static func isText(_ contentType: String) -> Bool {
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        if type.isEmpty { return true }
        return type.hasPrefix("text/") || type.hasSuffix("json") || type.hasSuffix("xml") || type == "application/javascript"
            || type == "application/x-www-form-urlencoded" || type.hasSuffix("+json") || type.hasSuffix("+xml")
    }

    var domainPrefix: String { String(domainName.prefix { $0 != "." }) }

    var userAgent: String { headers.first { $0.name.lowercased() == "user-agent" }?.value ?? "" }

    /// `dd/MMM/yyyy:HH:mm:ss +0000`, the format of `requestContext.time`.
    var time: String { CLFTime.format(milliseconds: timeEpochMilliseconds) }

    /// Parses a raw query string; `nil` when an escape is malformed.
    static func parseQuery(_ raw: String) -> [(name: String, value: String)]? {
        var items: [(name: String, value: String)] = []
        for pair in raw.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = FormEncoding.percentDecode(parts[0], plusIsSpace: true),
                let value = FormEncoding.percentDecode(parts.count > 1 ? parts[1] : "", plusIsSpace: true)
            else { return nil }
            items.append((name, value))
        }
        return items
    }
}

/// The common log format's time, as API Gateway writes `requestContext.time`.
enum CLFTime {
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func format(milliseconds: Int64) -> String {
        let seconds = milliseconds / 1000
        let days = seconds / 86400
        let secondOfDay = seconds % 86400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func two(_ value: Int64) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(day))/\(months[Int(month - 1)])/\(year):\(two(secondOfDay / 3600)):\(two(secondOfDay / 60 % 60)):\(two(secondOfDay % 60)) +0000"
    }
}
