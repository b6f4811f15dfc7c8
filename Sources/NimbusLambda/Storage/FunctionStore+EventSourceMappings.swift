import NimbusStore
import NimbusWire

/// Event source mappings: rows of `lambda_event_source_mappings`, each AWS's
/// `EventSourceMappingConfiguration` as stored JSON (with the state it is meant to be in).
extension FunctionStore {
    func mapping(_ uuid: String) async throws -> LambdaShapes.EventSourceMappingConfiguration? {
        try await store.query("SELECT configuration FROM lambda_event_source_mappings WHERE uuid = \(uuid)").first.map(Self.mapping)
    }

    /// Every mapping, in UUID order.
    func mappings() async throws -> [LambdaShapes.EventSourceMappingConfiguration] {
        try await store.query("SELECT configuration FROM lambda_event_source_mappings ORDER BY uuid").map(Self.mapping)
    }

    func saveMapping(_ mapping: LambdaShapes.EventSourceMappingConfiguration, functionName: String) async throws {
        let uuid = mapping.uuid ?? ""
        let json = String(decoding: mapping.wire.storedJSON, as: UTF8.self)
        try await store.transaction { transaction in
            try await transaction.execute("DELETE FROM lambda_event_source_mappings WHERE uuid = \(uuid)")
            try await transaction.execute(
                "INSERT INTO lambda_event_source_mappings (uuid, function_name, configuration) VALUES (\(uuid), \(functionName), \(json))"
            )
        }
    }

    func deleteMapping(_ uuid: String) async throws {
        try await store.execute("DELETE FROM lambda_event_source_mappings WHERE uuid = \(uuid)")
    }

    private static func mapping(_ row: SQLRow) throws -> LambdaShapes.EventSourceMappingConfiguration {
        try LambdaShapes.EventSourceMappingConfiguration(wire: WireValue(storedJSON: row.bytes("configuration") ?? []), path: "")
    }
}
