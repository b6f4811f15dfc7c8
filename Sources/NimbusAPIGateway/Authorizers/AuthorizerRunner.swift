import Foundation
import NimbusCore
import NimbusWire

/// Runs a route's authorization: `NONE`, `JWT` (the token checked against the issuer's
/// JWKS, scopes against the route's), `CUSTOM` (a `REQUEST` Lambda authorizer, answers cached
/// by identity for the authorizer's TTL) and `AWS_IAM` (a SigV4 `Authorization` header must
/// be present; its signature is not verified).
struct AuthorizerRunner: Sendable {
    /// The outcome: allowed with `requestContext.authorizer`'s value, or the refusal to send.
    enum Decision: Sendable {
        case allowed(JSONValue?)
        case denied(GatewayResponse)
    }

    let dispatcher: any Dispatcher
    let jwks: JWKSCache
    let cache: AuthorizerCache
    let clock: any WallClock

    init(dispatcher: any Dispatcher, forwarder: any HTTPForwarder, clock: any WallClock) {
        self.dispatcher = dispatcher
        self.clock = clock
        jwks = JWKSCache(forwarder: forwarder, clock: clock)
        cache = AuthorizerCache(clock: clock)
    }

    func authorize(_ route: DeployedAPI.Route, facts: RequestFacts) async -> Decision {
        switch route.authorizationType {
        case "JWT":
            guard let authorizer = route.authorizer else { return .denied(.internalError) }
            return await jwt(authorizer, scopes: route.scopes, facts: facts)
        case "CUSTOM":
            guard let authorizer = route.authorizer else { return .denied(.internalError) }
            return await LambdaAuthorizer(dispatcher: dispatcher, cache: cache).authorize(authorizer, facts: facts)
        case "AWS_IAM":
            let header = facts.headers.first { $0.name.lowercased() == "authorization" }?.value ?? ""
            return header.hasPrefix("AWS4-HMAC-SHA256 ") ? .allowed(nil) : .denied(.forbidden)
        default:
            return .allowed(nil)
        }
    }

    private func jwt(_ authorizer: APIGatewayShapes.Authorizer, scopes: [String], facts: RequestFacts) async -> Decision {
        guard let source = authorizer.identitySource?.first, var token = IdentityValues.value(source, facts: facts),
            let issuer = authorizer.jwtConfiguration?.issuer
        else { return .denied(.unauthorized) }
        if token.lowercased().hasPrefix("bearer ") { token = String(token.dropFirst(7)).trimmingCharacters(in: .whitespaces) }
        let audiences = authorizer.jwtConfiguration?.audience ?? []
        var claims: [String: JSONValue]
        do {
            claims = try JWT.validate(token, keys: await jwks.keys(issuer: issuer), issuer: issuer, audiences: audiences, now: clock.now())
        } catch .unknownKey {
            do {
                claims = try JWT.validate(
                    token,
                    keys: await jwks.keys(issuer: issuer, refresh: true),
                    issuer: issuer,
                    audiences: audiences,
                    now: clock.now()
                )
            } catch {
                return .denied(.unauthorized)
            }
        } catch {
            return .denied(.unauthorized)
        }
        let granted = JWT.scopes(claims)
        if !scopes.isEmpty, !scopes.contains(where: granted.contains) { return .denied(.forbidden) }
        // API Gateway passes claims as strings (lists as `[a b]`).
        claims = claims.mapValues { value in
            switch value {
            case .string: value
            case .number(let text): .string(text)
            case .bool(let flag): .string(flag ? "true" : "false")
            case .array(let items):
                .string(
                    "["
                        + items.map { if case .string(let text) = $0 { text } else { String(decoding: JSONWriter.encode($0), as: UTF8.self) } }
                        .joined(separator: " ") + "]"
                )
            default: .string(String(decoding: JSONWriter.encode(value), as: UTF8.self))
            }
        }
        let scopeValue: JSONValue = granted.isEmpty ? .null : .array(granted.map(JSONValue.string))
        return .allowed(.object(["jwt": .object(["claims": .object(claims), "scopes": scopeValue])]))
    }
}

/// The values an authorizer's identity sources name in a request.
enum IdentityValues {
    static func value(_ source: String, facts: RequestFacts) -> String? {
        if source.hasPrefix("$request.header.") {
            let name = source.dropFirst(16).lowercased()
            let values = facts.headers.filter { $0.name.lowercased() == name }.map(\.value)
            return values.isEmpty ? nil : values.joined(separator: ",")
        }
        if source.hasPrefix("$request.querystring.") {
            let name = source.dropFirst(21)
            let values = facts.query.filter { $0.name == name }.map(\.value)
            return values.isEmpty ? nil : values.joined(separator: ",")
        }
        if source.hasPrefix("$stageVariables.") { return facts.stageVariables[String(source.dropFirst(16))] }
        if source.hasPrefix("$context.") {
            switch source.dropFirst(9) {
            case "requestId": return facts.requestID
            case "stage": return facts.stage
            case "routeKey": return facts.routeKey
            case "apiId": return facts.apiId
            case "identity.sourceIp": return facts.sourceIP
            default: return nil
            }
        }
        return nil
    }
}
