import Crypto
import Foundation
import NimbusCore
import NimbusTesting
import NimbusWire
import Testing
import _CryptoExtras

@testable import NimbusAPIGateway

/// Tokens signed with a key made here, checked against a JWKS built from its public half.
@Suite struct JWTTests {
    static let key = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    static let other = try! _RSA.Signing.PrivateKey(keySize: .bits2048)
    let issuer = "http://127.0.0.1:9999/issuer"
    let now = 1_767_323_045.0

    static func base64URL(_ bytes: some Sequence<UInt8>) -> String {
        Base64.encode(Array(bytes)).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    static func jwks(_ key: _RSA.Signing.PrivateKey, kid: String = "k1") throws -> [UInt8] {
        let primitives = try key.publicKey.getKeyPrimitives()
        return Array(
            #"{"keys":[{"kty":"RSA","use":"sig","alg":"RS256","kid":"\#(kid)","n":"\#(base64URL(primitives.modulus))","e":"\#(base64URL(primitives.publicExponent))"}]}"#
                .utf8
        )
    }

    static func token(
        _ claims: String,
        key: _RSA.Signing.PrivateKey = key,
        header: String = #"{"alg":"RS256","kid":"k1","typ":"JWT"}"#
    ) throws -> String {
        let signed = base64URL(header.utf8) + "." + base64URL(claims.utf8)
        let signature = try key.signature(for: SHA256.hash(data: Array(signed.utf8)), padding: .insecurePKCS1v1_5)
        return signed + "." + base64URL(signature.rawRepresentation)
    }

    func claims(aud: String = "api", exp: Double? = nil, iss: String? = nil) -> String {
        #"{"iss":"\#(iss ?? issuer)","aud":"\#(aud)","sub":"user-1","exp":\#(Int(exp ?? now + 600)),"scope":"read write"}"#
    }

    func validate(_ token: String) throws(JWT.Failure) -> [String: JSONValue] {
        let keys = JWT.keys(fromJWKS: try! Self.jwks(Self.key))
        return try JWT.validate(token, keys: keys, issuer: issuer, audiences: ["api"], now: now)
    }

    @Test func acceptsAValidToken() throws {
        let claims = try validate(try Self.token(claims()))
        #expect(claims["sub"] == .string("user-1"))
        #expect(JWT.scopes(claims) == ["read", "write"])
    }

    @Test func rejectsExpiredWrongAudienceWrongIssuerBadSignatureAndNone() throws {
        #expect(throws: JWT.Failure.expired) { try validate(try Self.token(claims(exp: now - 1))) }
        #expect(throws: JWT.Failure.wrongAudience) { try validate(try Self.token(claims(aud: "other"))) }
        #expect(throws: JWT.Failure.wrongIssuer) { try validate(try Self.token(claims(iss: "http://evil"))) }
        #expect(throws: JWT.Failure.badSignature) { try validate(try Self.token(claims(), key: Self.other)) }
        let none = Self.base64URL(#"{"alg":"none"}"#.utf8) + "." + Self.base64URL(claims().utf8) + "."
        #expect(throws: JWT.Failure.unsupportedAlgorithm("none")) { try validate(none) }
        #expect(throws: JWT.Failure.unknownKey) { try validate(try Self.token(claims(), header: #"{"alg":"RS256","kid":"k9"}"#)) }
        #expect(throws: JWT.Failure.malformed) { try validate("a.b") }
        #expect(throws: JWT.Failure.malformed) { try validate("!!.??.**") }
    }

    /// The whole authorizer: JWKS found through the issuer's discovery document.
    @Test func jwtAuthorizerGuardsARoute() async throws {
        let discovery = Array(#"{"issuer":"\#(issuer)","jwks_uri":"http://127.0.0.1:9999/keys"}"#.utf8)
        let forwarder = FakeForwarder(documents: [
            issuer + "/.well-known/openid-configuration": discovery, "http://127.0.0.1:9999/keys": try Self.jwks(Self.key),
        ])
        let functions = FakeFunctions { _, _ in DispatchReply(payload: Array(#"{"statusCode":200,"body":"secret"}"#.utf8)) }
        try await withGateway(functions: functions, forwarder: forwarder, clock: TestWallClock(now)) { service in
            let apiId = try #require(try await service.createApi(.init(name: "jwt", protocolType: "HTTP"), context: context()).apiId)
            let authorizer = try await service.createAuthorizer(
                .init(
                    apiId: apiId,
                    authorizerType: "JWT",
                    identitySource: ["$request.header.Authorization"],
                    jwtConfiguration: .init(audience: ["api"], issuer: issuer),
                    name: "jwt"
                ),
                context: context()
            )
            let integration = try await service.createIntegration(
                .init(apiId: apiId, integrationType: "AWS_PROXY", integrationUri: functionARN, payloadFormatVersion: "2.0"),
                context: context()
            )
            _ = try await service.createRoute(
                .init(
                    apiId: apiId,
                    authorizationScopes: ["read"],
                    authorizationType: "JWT",
                    authorizerId: authorizer.authorizerId,
                    routeKey: "GET /secret",
                    target: "integrations/\(integration.integrationId ?? "")"
                ),
                context: context()
            )
            _ = try await service.createStage(.init(apiId: apiId, autoDeploy: true, stageName: "$default"), context: context())
            func call(_ authorization: String?) async -> Int {
                let headers = authorization.map { [("Authorization", $0)] } ?? []
                return await service.gateway.serve(GatewayRequest(method: "GET", path: "/secret", headers: headers), apiId: apiId).status
            }
            #expect(await call("Bearer " + (try Self.token(claims()))) == 200)
            #expect(functions.lastEvent?["requestContext"]?["authorizer"]?["jwt"]?["claims"]?["sub"]?.string == "user-1")
            #expect(await call(nil) == 401)
            #expect(await call("Bearer " + (try Self.token(claims(exp: now - 5)))) == 401)
            #expect(await call("Bearer " + (try Self.token(claims(aud: "nope")))) == 401)
            #expect(await call("Bearer " + (try Self.token(claims(), key: Self.other))) == 401)
            let noScope = #"{"iss":"\#(issuer)","aud":"api","exp":\#(Int(now + 60)),"scope":"admin"}"#
            #expect(await call("Bearer " + (try Self.token(noScope))) == 403)
        }
    }
}
