import NimbusCore
import NimbusStore
import NimbusWire

/// The durable copy of every HTTP API: rows of `apigw_apis` (the `Api` as stored JSON) and
/// `apigw_items` (its routes, integrations, stages, deployments, authorizers and deployment
/// snapshots, keyed by kind and id). The service holds all of it in memory and writes through.
struct GatewayStore: Sendable {
    /// The kinds of rows in `apigw_items`.
    enum Kind: String, Sendable, CaseIterable {
        case route, integration, stage, deployment, authorizer, snapshot
    }

    static let migrations: [Migration] = [
        Migration(id: "apigw-1-apis") { _ in
            [
                "CREATE TABLE apigw_apis (api_id TEXT PRIMARY KEY, body TEXT NOT NULL)",
                """
                CREATE TABLE apigw_items (api_id TEXT NOT NULL, kind TEXT NOT NULL, item_id TEXT NOT NULL, body TEXT NOT NULL,
                PRIMARY KEY (api_id, kind, item_id))
                """,
            ]
        }
    ]

    let store: any SQLStore

    /// Every stored API with its items.
    func loadAll() async throws -> [String: APIState] {
        var states: [String: APIState] = [:]
        for row in try await store.query("SELECT api_id, body FROM apigw_apis") {
            guard let id = row.string("api_id"), let body = row.bytes("body") else { continue }
            let api = try APIGatewayShapes.Api(wire: WireValue(storedJSON: body), path: "")
            states[id] = APIState(api: api)
        }
        for row in try await store.query("SELECT api_id, kind, item_id, body FROM apigw_items") {
            guard let id = row.string("api_id"), let kindName = row.string("kind"), let kind = Kind(rawValue: kindName),
                let item = row.string("item_id"), let body = row.bytes("body")
            else { continue }
            let wire = try WireValue(storedJSON: body)
            try states[id]?.load(kind, id: item, wire: wire)
        }
        return states
    }

    /// Inserts or replaces the API's own row.
    func save(api: APIGatewayShapes.Api, id: String) async throws {
        let body = String(decoding: api.wire.storedJSON, as: UTF8.self)
        try await store.execute(
            "INSERT INTO apigw_apis (api_id, body) VALUES (\(id), \(body)) ON CONFLICT (api_id) DO UPDATE SET body = excluded.body"
        )
    }

    /// Inserts or replaces one item of an API.
    func save(_ kind: Kind, id item: String, of api: String, wire: WireValue) async throws {
        let body = String(decoding: wire.storedJSON, as: UTF8.self)
        let kindName = kind.rawValue
        try await store.execute(
            """
            INSERT INTO apigw_items (api_id, kind, item_id, body) VALUES (\(api), \(kindName), \(item), \(body))
            ON CONFLICT (api_id, kind, item_id) DO UPDATE SET body = excluded.body
            """
        )
    }

    /// Deletes one item of an API.
    func delete(_ kind: Kind, id item: String, of api: String) async throws {
        let kindName = kind.rawValue
        try await store.execute("DELETE FROM apigw_items WHERE api_id = \(api) AND kind = \(kindName) AND item_id = \(item)")
    }

    /// Deletes an API and everything it holds, in one transaction.
    func delete(api: String) async throws {
        try await store.transaction { transaction in
            try await transaction.execute("DELETE FROM apigw_items WHERE api_id = \(api)")
            try await transaction.execute("DELETE FROM apigw_apis WHERE api_id = \(api)")
        }
    }
}
