import Synchronization

/// The server's dispatcher: routes each event to the handler registered for the
/// target ARN's service namespace (`sqs`, `lambda`, `sns`, …), and finds the event source
/// (`sqs`) a poller reads an ARN from.
///
/// Services receive the registry as their `Dispatcher` before every handler is
/// registered, so registration happens after construction, once, at start-up.
package final class DispatchRegistry: Dispatcher, EventSources {
    private let handlers = Mutex<[String: any DispatchHandler]>([:])
    private let sources = Mutex<[String: any EventSource]>([:])

    /// Makes `source` the owner of every ARN in `namespace` that pollers read (e.g. `"sqs"`).
    package func register(source: any EventSource, for namespace: String) {
        sources.withLock { $0[namespace] = source }
    }

    package func source(for arn: ARN) -> (any EventSource)? {
        sources.withLock { $0[arn.service] }
    }

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
