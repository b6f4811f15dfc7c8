import Foundation
import NimbusWire

/// A stage's access log: one line per request, written to a CloudWatch Logs group in the
/// stage's `AccessLogSettings.Format`, whose `$context.<name>` variables are replaced (`-` for
/// those Nimbus does not know).
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-logging-variables.html
enum AccessLog {
    /// The log group of `AccessLogSettings.DestinationArn` and the line format.
    struct Destination: Sendable, Hashable {
        var group: String
        var format: String

        init?(_ settings: APIGatewayShapes.AccessLogSettings?) {
            guard let settings, let arn = settings.destinationArn, let format = settings.format,
                let group = AccessLog.group(ofARN: arn)
            else { return nil }
            self.group = group
            self.format = format
        }
    }

    /// The log group an ARN names (`arn:aws:logs:<region>:<account>:log-group:<name>[:*]`).
    static func group(ofARN arn: String) -> String? {
        let parts = arn.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count >= 7, parts[0] == "arn", parts[2] == "logs", parts[5] == "log-group", !parts[6].isEmpty else { return nil }
        guard parts.count == 7 || (parts.count == 8 && parts[7] == "*") else { return nil }
        return String(parts[6])
    }

    /// `format` with every `$context.<name>` replaced by `values[name]` (or `-`).
    static func render(_ format: String, _ values: [String: String]) -> String {
        var result = ""
        var rest = Substring(format)
        while let start = rest.range(of: "$context.") {
            result += rest[..<start.lowerBound]
            let nameStart = start.upperBound
            var end = rest[nameStart...].firstIndex { !($0.isLetter || $0.isNumber || $0 == "." || $0 == "_") } ?? rest.endIndex
            // A sentence's full stop is not part of the name.
            while end > nameStart, rest[rest.index(before: end)] == "." { end = rest.index(before: end) }
            result += values[String(rest[nameStart..<end])] ?? "-"
            rest = rest[end...]
        }
        return result + rest
    }

    /// The variables of one request.
    static func values(
        request: GatewayRequest,
        response: GatewayResponse,
        apiId: String,
        stage: String,
        routeKey: String,
        requestID: String,
        started: Double,
        finished: Double
    ) -> [String: String] {
        let epoch = Int64((started * 1000).rounded(.down))
        return [
            "requestId": requestID,
            "extendedRequestId": requestID,
            "apiId": apiId,
            "stage": stage,
            "routeKey": routeKey,
            "httpMethod": request.method,
            "path": request.path,
            "protocol": "HTTP/1.1",
            "status": String(response.status),
            "responseLength": String(response.body.count),
            "requestTime": CLFTime.format(milliseconds: epoch),
            "requestTimeEpoch": String(epoch),
            "responseLatency": String(Int64(((finished - started) * 1000).rounded())),
            "identity.sourceIp": request.sourceIP,
            "identity.userAgent": request.header("user-agent") ?? "-",
            "domainName": String(request.host.prefix { $0 != ":" }),
            "domainPrefix": String(request.host.prefix { $0 != "." && $0 != ":" }),
        ]
    }
}
