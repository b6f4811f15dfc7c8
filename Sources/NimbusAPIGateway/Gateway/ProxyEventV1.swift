import NimbusWire

/// The event of payload format 1.0 (REST API's proxy event), as HTTP APIs send it.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html
enum ProxyEventV1 {
    static func make(_ facts: RequestFacts) -> JSONValue {
        var multiHeaders: [String: [String]] = [:]
        for (name, value) in facts.headers { multiHeaders[name.lowercased(), default: []].append(value) }
        var multiQuery: [String: [String]] = [:]
        for (name, value) in facts.query { multiQuery[name, default: []].append(value) }
        func single(_ values: [String: [String]]) -> JSONValue {
            values.isEmpty ? .null : .object(values.compactMapValues { $0.last.map(JSONValue.string) })
        }
        func multi(_ values: [String: [String]]) -> JSONValue {
            values.isEmpty ? .null : .object(values.mapValues { .array($0.map(JSONValue.string)) })
        }
        let body = facts.encodedBody
        let identity: [String: JSONValue] = [
            "accessKey": .null, "accountId": .null, "caller": .null, "cognitoAuthenticationProvider": .null,
            "cognitoAuthenticationType": .null, "cognitoIdentityId": .null, "cognitoIdentityPoolId": .null,
            "principalOrgId": .null, "sourceIp": .string(facts.sourceIP), "user": .null,
            "userAgent": .string(facts.userAgent), "userArn": .null,
        ]
        let context: [String: JSONValue] = [
            "accountId": .string(facts.accountID),
            "apiId": .string(facts.apiId),
            "authorizer": facts.authorizer ?? .object(["claims": .null, "scopes": .null]),
            "domainName": .string(facts.domainName),
            "domainPrefix": .string(facts.domainPrefix),
            "extendedRequestId": .string(facts.requestID),
            "httpMethod": .string(facts.method),
            "identity": .object(identity),
            "path": .string(facts.rawPath),
            "protocol": .string("HTTP/1.1"),
            "requestId": .string(facts.requestID),
            "requestTime": .string(facts.time),
            "requestTimeEpoch": .number(String(facts.timeEpochMilliseconds)),
            "resourceId": .string(facts.routeKey),
            "resourcePath": .string(facts.resourcePath),
            "stage": .string(facts.stage),
        ]
        return .object([
            "version": .string("1.0"),
            "resource": .string(facts.resourcePath),
            "path": .string(facts.rawPath),
            "httpMethod": .string(facts.method),
            "headers": single(multiHeaders),
            "multiValueHeaders": multi(multiHeaders),
            "queryStringParameters": single(multiQuery),
            "multiValueQueryStringParameters": multi(multiQuery),
            "requestContext": .object(context),
            "pathParameters": facts.pathParameters.isEmpty ? .null : .object(facts.pathParameters.mapValues { .string($0) }),
            "stageVariables": facts.stageVariables.isEmpty ? .null : .object(facts.stageVariables.mapValues { .string($0) }),
            "body": body.map { .string($0.text) } ?? .null,
            "isBase64Encoded": .bool(body?.isBase64 ?? false),
        ])
    }
}
