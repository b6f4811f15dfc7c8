import Synchronization

/// The server's dispatcher: routes each event to the handler registered for the
/// target ARN's service namespace (`sqs`, `lambda`, `sns`, …).
///
/// Services receive the registry as their `Dispatcher` before every handler is
/// registered, so registration happens after construction, once, at start-up.
package final class DispatchRegistry: Dispatcher {
    private let handlers = Mutex<[String: any DispatchHandler]>([:])

    package init() {}

    /// Makes `handler` the receiver of every ARN in `namespace` (e.g. `"sqs"`), replacing any earlier one.
    package func register(_ handler: any DispatchHandler, for namespace: String) {
        handlers.withLock { $0[namespace] = handler }
    }

    /// The namespaces with a registered handler, sorted.
    package var namespaces: [String] {
        handlers.withLock { $0.keys.sorted() }
    }

    package func deliver(_ event: DispatchEvent, to target: ARN) async throws -> DispatchReply {
        guard let handler = handlers.withLock({ $0[target.service] }) else {
            throw DispatchError(code: .unknownTarget, target: target)
        }
        return try await handler.handle(event, for: target)
    }
}
