import NimbusCore
import NimbusWire

/// A `REQUEST` Lambda authorizer: the function gets the request (payload 1.0 or 2.0, plus
/// `type`, `routeArn`/`methodArn` and `identitySource`) and answers either simply
/// (`{"isAuthorized": …, "context": …}`, with `EnableSimpleResponses`) or with an IAM policy
/// (`principalId`, `policyDocument`, `context`). Missing identity → 401; denied → 403; a
/// failing or malformed authorizer → 500.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-lambda-authorizer.html
struct LambdaAuthorizer: Sendable {
    let dispatcher: any Dispatcher
    let cache: AuthorizerCache

    func authorize(_ authorizer: APIGatewayShapes.Authorizer, facts: RequestFacts) async -> AuthorizerRunner.Decision {
        let sources = authorizer.identitySource ?? []
        var identity: [String] = []
        for source in sources {
            guard let value = IdentityValues.value(source, facts: facts), !value.isEmpty else { return .denied(.unauthorized) }
            identity.append(value)
        }
        let ttl = authorizer.authorizerResultTtlInSeconds ?? 0
        let cacheKey = "\(facts.apiId)/\(authorizer.authorizerId ?? "")/" + identity.joined(separator: "\u{0}")
        if ttl > 0, let cached = cache.decision(for: cacheKey) { return cached }
        guard let function = LambdaTarget.functionARN(StageVariables.substitute(authorizer.authorizerUri ?? "", facts.stageVariables)) else {
            return .denied(.internalError)
        }
        let routeARN = "arn:aws:execute-api:\(function.region):\(facts.accountID):\(facts.apiId)/\(facts.stage)/\(facts.method)\(facts.rawPath)"
        let version = authorizer.authorizerPayloadFormatVersion ?? "2.0"
        guard case .object(var event) = version == "2.0" ? ProxyEventV2.make(facts) : ProxyEventV1.make(facts) else { return .denied(.internalError) }
        event["type"] = .string("REQUEST")
        if version == "2.0" {
            event["routeArn"] = .string(routeARN)
            event["identitySource"] = .array(identity.map(JSONValue.string))
        } else {
            event["methodArn"] = .string(routeARN)
            event["identitySource"] = .string(identity.joined(separator: ","))
            event["authorizationToken"] = .string(identity.joined(separator: ","))
        }
        let reply: DispatchReply
        do {
            let dispatch = DispatchEvent(payload: JSONWriter.encode(.object(event)), attributes: ["invocationType": "RequestResponse"])
            let dispatcher = self.dispatcher
            // AWS gives a Lambda authorizer 10 seconds.
            guard let answer = try await Deadline.race(seconds: 10, { try await dispatcher.deliver(dispatch, to: function) }) else {
                return .denied(.internalError)
            }
            reply = answer
        } catch {
            return .denied(.internalError)
        }
        guard reply.attributes["functionError"] == nil, case .object(let answer)? = try? JSONParser.parse(reply.payload) else {
            return .denied(.internalError)
        }
        let decision = Self.decide(answer, simple: authorizer.enableSimpleResponses == true, routeARN: routeARN, version: version)
        if ttl > 0, case .allowed = decision { cache.keep(decision, for: cacheKey, seconds: ttl) }
        if ttl > 0, case .denied(let response) = decision, response.status == 403 { cache.keep(decision, for: cacheKey, seconds: ttl) }
        return decision
    }

    /// The decision an authorizer's answer states.
    static func decide(_ answer: [String: JSONValue], simple: Bool, routeARN: String, version: String) -> AuthorizerRunner.Decision {
        var context: [String: JSONValue] = [:]
        if case .object(let fields) = answer["context"] ?? .null { context = fields }
        if simple {
            guard case .bool(let authorized) = answer["isAuthorized"] ?? .null else { return .denied(.internalError) }
            return authorized ? .allowed(.object(["lambda": .object(context)])) : .denied(.forbidden)
        }
        guard case .object(let policy) = answer["policyDocument"] ?? .null else { return .denied(.internalError) }
        guard PolicyEvaluation.allows(policy, action: "execute-api:Invoke", resource: routeARN) else { return .denied(.forbidden) }
        var value = context
        if case .string(let principal) = answer["principalId"] ?? .null {
            if version == "1.0" { value["principalId"] = .string(principal) }
        }
        if version == "2.0" {
            var wrapped: [String: JSONValue] = ["lambda": .object(context)]
            if let principal = answer["principalId"] { wrapped["principalId"] = principal }
            return .allowed(.object(wrapped))
        }
        return .allowed(.object(value))
    }
}

/// The part of IAM policy evaluation a Lambda authorizer's policy needs: an explicit `Deny`
/// wins, otherwise an `Allow` whose action and resource match (with `*` and `?` wildcards).
enum PolicyEvaluation {
    static func allows(_ policy: [String: JSONValue], action: String, resource: String) -> Bool {
        let statements: [JSONValue]
        switch policy["Statement"] ?? .null {
        case .array(let items): statements = items
        case .object: statements = [policy["Statement"]!]
        default: return false
        }
        var allowed = false
        for case .object(let statement) in statements {
            guard matches(statement["Action"], action), matches(statement["Resource"], resource) else { continue }
            if case .string("Deny") = statement["Effect"] ?? .null { return false }
            if case .string("Allow") = statement["Effect"] ?? .null { allowed = true }
        }
        return allowed
    }

    private static func matches(_ value: JSONValue?, _ text: String) -> Bool {
        switch value {
        case .string(let pattern): wildcard(pattern, text)
        case .array(let patterns): patterns.contains { if case .string(let pattern) = $0 { wildcard(pattern, text) } else { false } }
        default: false
        }
    }

    /// Glob matching with `*` (any run) and `?` (one character), case-sensitive.
    static func wildcard(_ pattern: String, _ text: String) -> Bool {
        let p = Array(pattern.utf8)
        let t = Array(text.utf8)
        var (pi, ti, star, mark) = (0, 0, -1, 0)
        while ti < t.count {
            if pi < p.count, p[pi] == UInt8(ascii: "?") || p[pi] == t[ti] {
                pi += 1
                ti += 1
            } else if pi < p.count, p[pi] == UInt8(ascii: "*") {
                star = pi
                mark = ti
                pi += 1
            } else if star >= 0 {
                pi = star + 1
                mark += 1
                ti = mark
            } else {
                return false
            }
        }
        while pi < p.count, p[pi] == UInt8(ascii: "*") { pi += 1 }
        return pi == p.count
    }
}
