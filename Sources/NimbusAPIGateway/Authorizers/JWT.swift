import Crypto
import Foundation
package import NimbusWire
package import _CryptoExtras

/// Validation of a JSON Web Token as an HTTP API's JWT authorizer does it: RS256 signatures
/// only (so `alg: none` and HMAC tokens are refused), a key from the issuer's JWKS chosen by
/// `kid`, `iss` equal to the authorizer's issuer, `aud` (or `client_id`) among its audiences,
/// `exp` in the future and `nbf` in the past.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-jwt-authorizer.html
package enum JWT {
    /// Why a token was refused.
    package enum Failure: Error, Hashable, Sendable {
        case malformed
        case unsupportedAlgorithm(String)
        case unknownKey
        case badSignature
        case wrongIssuer
        case wrongAudience
        case expired
        case notYetValid
    }

    /// An RSA public key of a JWKS.
    package struct Key: Sendable {
        package var id: String?
        package var key: _RSA.Signing.PublicKey
    }

    /// The RSA signing keys of a JWKS document (`{"keys":[{"kty":"RSA","n":…,"e":…}]}`).
    package static func keys(fromJWKS bytes: [UInt8]) -> [Key] {
        guard case .object(let document)? = try? JSONParser.parse(bytes), case .array(let entries) = document["keys"] ?? .null else { return [] }
        return entries.compactMap { entry in
            guard case .object(let fields) = entry, case .string("RSA") = fields["kty"] ?? .null,
                case .string(let n) = fields["n"] ?? .null, case .string(let e) = fields["e"] ?? .null,
                let modulus = base64URL(n), let exponent = base64URL(e),
                let key = try? _RSA.Signing.PublicKey(n: modulus, e: exponent)
            else { return nil }
            if case .string(let use) = fields["use"] ?? .null, use != "sig" { return nil }
            var id: String?
            if case .string(let kid) = fields["kid"] ?? .null { id = kid }
            return Key(id: id, key: key)
        }
    }

    /// The token's claims when it is valid at `now` for `issuer` and one of `audiences`.
    /// - Throws: the `Failure` that refused it.
    package static func validate(
        _ token: String,
        keys: [Key],
        issuer: String,
        audiences: [String],
        now: Double
    ) throws(Failure) -> [String: JSONValue] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = base64URL(parts[0]), let payloadBytes = base64URL(parts[1]),
            let signature = base64URL(parts[2]),
            case .object(let header)? = try? JSONParser.parse(headerBytes),
            case .object(let claims)? = try? JSONParser.parse(payloadBytes)
        else { throw .malformed }
        guard case .string(let algorithm) = header["alg"] ?? .null else { throw .malformed }
        guard algorithm == "RS256" else { throw .unsupportedAlgorithm(algorithm) }
        var kid: String?
        if case .string(let value) = header["kid"] ?? .null { kid = value }
        let candidates = kid.map { kid in keys.filter { $0.id == kid } } ?? keys
        guard !candidates.isEmpty else { throw .unknownKey }
        let signed = Array(token.utf8.prefix(parts[0].utf8.count + 1 + parts[1].utf8.count))
        let digest = SHA256.hash(data: signed)
        let rsaSignature = _RSA.Signing.RSASignature(rawRepresentation: signature)
        guard candidates.contains(where: { $0.key.isValidSignature(rsaSignature, for: digest, padding: .insecurePKCS1v1_5) }) else {
            throw .badSignature
        }
        guard case .string(let tokenIssuer) = claims["iss"] ?? .null, tokenIssuer == issuer else { throw .wrongIssuer }
        var tokenAudiences: [String] = []
        switch claims["aud"] ?? .null {
        case .string(let audience): tokenAudiences = [audience]
        case .array(let values): tokenAudiences = values.compactMap { if case .string(let text) = $0 { text } else { nil } }
        default: break
        }
        if case .string(let clientID) = claims["client_id"] ?? .null { tokenAudiences.append(clientID) }
        guard tokenAudiences.contains(where: audiences.contains) else { throw .wrongAudience }
        guard let expiry = claims["exp"]?.doubleValue, expiry > now else { throw .expired }
        if let notBefore = claims["nbf"]?.doubleValue, notBefore > now { throw .notYetValid }
        return claims
    }

    /// The token's scopes: `scope` (space-separated) or `scp` (a list or a string).
    package static func scopes(_ claims: [String: JSONValue]) -> [String] {
        for name in ["scope", "scp"] {
            switch claims[name] ?? .null {
            case .string(let text): return text.split(separator: " ").map(String.init)
            case .array(let values): return values.compactMap { if case .string(let text) = $0 { text } else { nil } }
            default: continue
            }
        }
        return []
    }

    /// Base64url without padding, decoded.
    static func base64URL(_ text: some StringProtocol) -> [UInt8]? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Base64.decode(standard)
    }
}
