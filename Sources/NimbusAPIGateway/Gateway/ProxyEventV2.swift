import Foundation
import NimbusWire

/// The event of payload format 2.0, as API Gateway sends it to a Lambda function.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
enum ProxyEventV2 {
    static func make(_ facts: RequestFacts) -> JSONValue {
        var headers: [String: [String]] = [:]
        var order: [String] = []
        var cookies: [String] = []
        for (name, value) in facts.headers {
            let name = name.lowercased()
            if name == "cookie" {
                cookies += value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
                continue
            }
            if headers[name] == nil { order.append(name) }
            headers[name, default: []].append(value)
        }
        var query: [String: [String]] = [:]
        for (name, value) in facts.query { query[name, default: []].append(value) }
        var event: [String: JSONValue] = [
            "version": .string("2.0"),
            "routeKey": .string(facts.routeKey),
            "rawPath": .string(facts.rawPath),
            "rawQueryString": .string(facts.rawQuery),
            "headers": .object(headers.mapValues { .string($0.joined(separator: ",")) }),
            "isBase64Encoded": .bool(facts.encodedBody?.isBase64 ?? false),
        ]
        if !cookies.isEmpty { event["cookies"] = .array(cookies.map { .string($0) }) }
        if !query.isEmpty { event["queryStringParameters"] = .object(query.mapValues { .string($0.joined(separator: ",")) }) }
        if !facts.pathParameters.isEmpty { event["pathParameters"] = .object(facts.pathParameters.mapValues { .string($0) }) }
        if !facts.stageVariables.isEmpty { event["stageVariables"] = .object(facts.stageVariables.mapValues { .string($0) }) }
        if let body = facts.encodedBody { event["body"] = .string(body.text) }
        var context: [String: JSONValue] = [
            "accountId": .string(facts.accountID),
            "apiId": .string(facts.apiId),
            "domainName": .string(facts.domainName),
            "domainPrefix": .string(facts.domainPrefix),
            "http": .object([
                "method": .string(facts.method),
                "path": .string(facts.rawPath),
                "protocol": .string("HTTP/1.1"),
                "sourceIp": .string(facts.sourceIP),
                "userAgent": .string(facts.userAgent),
            ]),
            "requestId": .string(facts.requestID),
            "routeKey": .string(facts.routeKey),
            "stage": .string(facts.stage),
            "time": .string(facts.time),
            "timeEpoch": .number(String(facts.timeEpochMilliseconds)),
        ]
        if let authorizer = facts.authorizer { context["authorizer"] = authorizer }
        event["requestContext"] = .object(context)
        return .object(event)
    }
}
