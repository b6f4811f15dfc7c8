import NimbusCore
import NimbusWire
import Synchronization

/// The signing keys of each JWT issuer, fetched from its OpenID discovery document's
/// `jwks_uri` and kept for `lifetime` seconds (fetched again sooner when a token names a key
/// the cached set lacks). AWS's limits apply: 1.5 s per fetch, at most 150,000 bytes.
final class JWKSCache: Sendable {
    private struct Entry {
        var keys: [JWT.Key]
        var fetched: Double
    }

    static let fetchTimeout = 1.5
    static let maximumSize = 150_000
    let lifetime = 7200.0

    private let entries = Mutex<[String: Entry]>([:])
    private let forwarder: any HTTPForwarder
    private let clock: any WallClock

    init(forwarder: any HTTPForwarder, clock: any WallClock) {
        self.forwarder = forwarder
        self.clock = clock
    }

    /// The issuer's keys; `refresh` fetches them again unless they were fetched in the last minute.
    func keys(issuer: String, refresh: Bool = false) async -> [JWT.Key] {
        let now = clock.now()
        if let entry = entries.withLock({ $0[issuer] }), now - entry.fetched < (refresh ? 60 : lifetime) { return entry.keys }
        guard let keys = await fetch(issuer) else { return entries.withLock { $0[issuer]?.keys } ?? [] }
        entries.withLock { $0[issuer] = Entry(keys: keys, fetched: now) }
        return keys
    }

    private func fetch(_ issuer: String) async -> [JWT.Key]? {
        let base = issuer.hasSuffix("/") ? String(issuer.dropLast()) : issuer
        guard let discovery = await get(base + "/.well-known/openid-configuration"),
            case .object(let fields)? = try? JSONParser.parse(discovery),
            case .string(let jwksURI) = fields["jwks_uri"] ?? .null,
            let jwks = await get(jwksURI)
        else { return nil }
        return JWT.keys(fromJWKS: jwks)
    }

    private func get(_ url: String) async -> [UInt8]? {
        let request = ForwardedRequest(method: "GET", url: url, headers: [("accept", "application/json")])
        let forwarder = self.forwarder
        guard let response = try? await Deadline.race(seconds: Self.fetchTimeout, { try await forwarder.send(request, timeout: Self.fetchTimeout) }),
            response.status == 200, response.body.count <= Self.maximumSize
        else { return nil }
        return response.body
    }
}
