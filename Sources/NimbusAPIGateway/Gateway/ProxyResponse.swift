import NimbusWire

/// Maps a Lambda function's answer to the HTTP response, as API Gateway does for each
/// payload format; `nil` means the answer is malformed (the client gets a 500).
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-develop-integrations-lambda.html#http-api-develop-integrations-lambda.response
enum ProxyResponse {
    static func map(_ payload: [UInt8], version: String) -> GatewayResponse? {
        guard let json = try? JSONParser.parse(payload) else { return nil }
        if case .object(let members) = json, members["statusCode"] != nil {
            return structured(members, version: version)
        }
        // Format 1.0 needs a statusCode; 2.0 takes any JSON as a 200 application/json body.
        guard version == "2.0" else { return nil }
        let body: [UInt8]
        if case .string(let text) = json { body = Array(text.utf8) } else { body = JSONWriter.encode(json) }
        return GatewayResponse(status: 200, headers: [("content-type", "application/json")], body: body)
    }

    private static func structured(_ members: [String: JSONValue], version: String) -> GatewayResponse? {
        guard let status = integer(members["statusCode"]), (100...599).contains(status) else { return nil }
        var headers: [(name: String, value: String)] = []
        var seen: Set<String> = []
        if case .object(let fields) = members["headers"] ?? .null {
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) {
                guard let text = scalar(value) else { return nil }
                headers.append((name, text))
                seen.insert(name.lowercased())
            }
        }
        if version == "1.0", case .object(let fields) = members["multiValueHeaders"] ?? .null {
            for (name, value) in fields.sorted(by: { $0.key < $1.key }) where !seen.contains(name.lowercased()) {
                guard case .array(let values) = value else { return nil }
                for value in values {
                    guard let text = scalar(value) else { return nil }
                    headers.append((name, text))
                }
            }
        }
        if version == "2.0", case .array(let cookies) = members["cookies"] ?? .null {
            for cookie in cookies {
                guard case .string(let text) = cookie else { return nil }
                headers.append(("set-cookie", text))
            }
        }
        var body: [UInt8] = []
        switch members["body"] ?? .null {
        case .null: break
        case .string(let text): body = Array(text.utf8)
        case let other: body = JSONWriter.encode(other)
        }
        if case .bool(true) = members["isBase64Encoded"] ?? .null {
            guard let decoded = Base64.decode(String(decoding: body, as: UTF8.self)) else { return nil }
            body = decoded
        }
        return GatewayResponse(status: status, headers: headers, body: body)
    }

    private static func integer(_ value: JSONValue?) -> Int? {
        switch value {
        case .number(let text): Int(text) ?? Double(text).flatMap { $0.rounded() == $0 ? Int(exactly: $0) : nil }
        case .string(let text): Int(text)
        default: nil
        }
    }

    private static func scalar(_ value: JSONValue) -> String? {
        switch value {
        case .string(let text): text
        case .number(let text): text
        case .bool(let flag): flag ? "true" : "false"
        default: nil
        }
    }
}
