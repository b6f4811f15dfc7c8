import NimbusCore
import NimbusWire

/// A change the registry writes to the store after applying it in memory.
enum GatewayWrite: Sendable {
    case api(APIGatewayShapes.Api)
    case item(GatewayStore.Kind, id: String, WireValue)
    case delete(GatewayStore.Kind, id: String)
}

/// Owns every API's control-plane state: reads see memory; a change is applied in memory,
/// published to the data plane (`GatewayTable`) and written to the store before it returns.
actor APIRegistry {
    private var apis: [String: APIState]
    private let storage: GatewayStore
    private let table: GatewayTable

    init(storage: GatewayStore, table: GatewayTable) async throws {
        self.storage = storage
        self.table = table
        apis = try await storage.loadAll()
        for (id, state) in apis { table.publish(DeployedAPI(state), id: id) }
    }

    /// The API `id`, or `NotFoundException`.
    func state(_ id: String) throws(AWSError) -> APIState {
        guard let state = apis[id] else { throw .notFound("Api", id) }
        return state
    }

    /// Every API, ordered by id.
    func all() -> [APIState] {
        apis.keys.sorted().compactMap { apis[$0] }
    }

    /// Adds a new API with its items.
    func create(_ state: APIState, id: String, writes: [GatewayWrite]) async throws {
        apis[id] = state
        table.publish(DeployedAPI(state), id: id)
        try await storage.save(api: state.api, id: id)
        try await persist(writes, api: id)
    }

    /// Applies `body` to the API `id` and persists the writes it returns.
    func change<T: Sendable>(_ id: String, _ body: @Sendable (inout APIState) throws -> (T, [GatewayWrite])) async throws -> T {
        guard var state = apis[id] else { throw AWSError.notFound("Api", id) }
        let (result, writes) = try body(&state)
        apis[id] = state
        table.publish(DeployedAPI(state), id: id)
        try await persist(writes, api: id)
        return result
    }

    /// Deletes the API `id` and all it holds.
    func remove(_ id: String) async throws {
        guard apis.removeValue(forKey: id) != nil else { throw AWSError.notFound("Api", id) }
        table.remove(id: id)
        try await storage.delete(api: id)
    }

    private func persist(_ writes: [GatewayWrite], api: String) async throws {
        for write in writes {
            switch write {
            case .api(let value): try await storage.save(api: value, id: api)
            case .item(let kind, let id, let wire): try await storage.save(kind, id: id, of: api, wire: wire)
            case .delete(let kind, let id): try await storage.delete(kind, id: id, of: api)
            }
        }
    }
}
