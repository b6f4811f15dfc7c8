import Foundation
package import NimbusCore
package import NimbusStore
import NimbusWire
import Synchronization

/// Amazon API Gateway HTTP APIs (`apigatewayv2`): the control plane over restJson1, and the
/// `gateway` that serves the APIs' requests (routes, Lambda and HTTP proxy integrations,
/// authorizers, CORS, stages, throttling).
///
/// Every API lives in memory (`APIRegistry`) with the store as its durable copy; the data
/// plane reads an immutable `DeployedAPI` per API from a `GatewayTable`, so serving a request
/// never waits for the control plane. See docs/apigateway.md.
package struct APIGatewayService: ServiceHandler, APIGatewayOperations {
    package let serviceName = "apigatewayv2"

    let registry: APIRegistry
    let clock: any WallClock
    let account: AccountContext
    let endpoint: EndpointBox
    /// Serves the APIs' HTTP requests.
    package let gateway: Gateway

    /// Migrates the service's tables and loads every API.
    /// - Parameters:
    ///   - dispatcher: how integrations and authorizers reach Lambda functions.
    ///   - forwarder: how `HTTP_PROXY` integrations and JWKS fetches reach HTTP servers.
    ///   - logSink: where stages with `AccessLogSettings` write their access logs.
    package init(
        store: any SQLStore,
        dispatcher: any Dispatcher,
        forwarder: any HTTPForwarder,
        logSink: (any LogSink)? = nil,
        account: AccountContext = AccountContext(),
        clock: any WallClock = SystemWallClock()
    ) async throws {
        try await store.migrate(GatewayStore.migrations)
        let table = GatewayTable()
        registry = try await APIRegistry(storage: GatewayStore(store: store), table: table)
        self.clock = clock
        self.account = account
        endpoint = EndpointBox()
        gateway = Gateway(table: table, dispatcher: dispatcher, forwarder: forwarder, logSink: logSink, account: account, clock: clock)
    }

    /// Sets the edge's base URL (`http://127.0.0.1:4566`), from which `ApiEndpoint` is made.
    package func setEndpoint(_ url: String) {
        endpoint.url.withLock { $0 = url }
    }

    /// The URL an API is reached at from this machine: `<edge>/_aws/execute-api/<apiId>`.
    func apiEndpoint(_ apiId: String) -> String {
        endpoint.url.withLock { $0 } + GatewayAddress.pathPrefix + apiId
    }

    /// The clock's time as the generated shapes' timestamp type.
    func now() -> Date {
        Date(timeIntervalSince1970: clock.now().rounded(.down))
    }
}

/// The edge's base URL, set once the listener is up.
final class EndpointBox: Sendable {
    let url = Mutex("http://127.0.0.1:4566")
}

extension WireDecodable {
    /// The same members as another generated shape (e.g. `CreateApiResponse` from `Api`).
    static func converting(_ value: some WireEncodable) throws(AWSError) -> Self {
        do {
            return try Self(wire: value.wire, path: "")
        } catch {
            throw AWSError.internalFailure("shape conversion failed: \(error)")
        }
    }
}
