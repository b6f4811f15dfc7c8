import NimbusStore
import NimbusWire

/// Asynchronous invocation settings (`PutFunctionEventInvokeConfig`): retries, maximum event
/// age and destinations, per function and qualifier ('' for the unqualified function).
extension AsyncEventStore {
    func invokeConfig(of name: String, qualifier: String) async throws -> LambdaShapes.FunctionEventInvokeConfig? {
        try await store.query(
            "SELECT configuration FROM lambda_event_invoke_configs WHERE name = \(name) AND qualifier = \(qualifier)"
        ).first.map(Self.config)
    }

    func setInvokeConfig(_ configuration: LambdaShapes.FunctionEventInvokeConfig, of name: String, qualifier: String) async throws {
        let json = String(decoding: configuration.wire.storedJSON, as: UTF8.self)
        try await store.transaction { transaction in
            try await transaction.execute("DELETE FROM lambda_event_invoke_configs WHERE name = \(name) AND qualifier = \(qualifier)")
            try await transaction.execute(
                "INSERT INTO lambda_event_invoke_configs (name, qualifier, configuration) VALUES (\(name), \(qualifier), \(json))"
            )
        }
    }

    func deleteInvokeConfig(of name: String, qualifier: String?) async throws {
        if let qualifier {
            try await store.execute("DELETE FROM lambda_event_invoke_configs WHERE name = \(name) AND qualifier = \(qualifier)")
        } else {
            try await store.execute("DELETE FROM lambda_event_invoke_configs WHERE name = \(name)")
        }
    }

    /// Every configuration of function `name`, the unqualified one first, then by qualifier.
    func invokeConfigs(of name: String) async throws -> [LambdaShapes.FunctionEventInvokeConfig] {
        try await store.query("SELECT configuration FROM lambda_event_invoke_configs WHERE name = \(name) ORDER BY qualifier").map(Self.config)
    }

    /// Forgets a deleted function's queued events.
    func removeEvents(of name: String) async throws {
        try await store.execute("DELETE FROM lambda_async_events WHERE name = \(name)")
    }

    private static func config(_ row: SQLRow) throws -> LambdaShapes.FunctionEventInvokeConfig {
        try LambdaShapes.FunctionEventInvokeConfig(wire: WireValue(storedJSON: row.bytes("configuration") ?? []), path: "")
    }
}
