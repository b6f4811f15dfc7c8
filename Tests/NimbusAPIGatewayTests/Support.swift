import HTTPTypes
import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Synchronization

@testable import NimbusAPIGateway

/// A request context as the edge builds it.
func context() -> RequestContext {
    RequestContext(
        requestID: "test",
        account: AccountContext(),
        caller: CallerIdentity(accessKeyID: "AKIDTEST", principal: nil),
        request: AWSRequest(method: .post, target: "/", headers: [HTTPField.Name("Host")!: "localhost:4566"])
    )
}

/// A dispatcher that records events and answers with `answer`.
final class FakeFunctions: Dispatcher {
    let events = Mutex<[(ARN, JSONValue)]>([])
    let answer: @Sendable (ARN, JSONValue) async throws -> DispatchReply

    init(_ answer: @escaping @Sendable (ARN, JSONValue) async throws -> DispatchReply) {
        self.answer = answer
    }

    func deliver(_ event: DispatchEvent, to target: ARN) async throws -> DispatchReply {
        let json = try JSONParser.parse(event.payload)
        events.withLock { $0.append((target, json)) }
        return try await answer(target, json)
    }

    var lastEvent: JSONValue? { events.withLock { $0.last?.1 } }
}

/// An HTTP forwarder that serves fixed documents by URL and echoes everything else.
struct FakeForwarder: HTTPForwarder {
    var documents: [String: [UInt8]] = [:]

    func send(_ request: ForwardedRequest, timeout: Double) async throws -> GatewayResponse {
        if let document = documents[request.url] { return GatewayResponse(status: 200, body: document) }
        let headers = request.headers.map { "\($0.name)=\($0.value)" }.joined(separator: "\n")
        return GatewayResponse(status: 200, headers: [("x-echo-method", request.method), ("x-echo-url", request.url)], body: Array(headers.utf8))
    }
}

/// A service on a fresh SQLite store.
func withGateway<T>(
    functions: FakeFunctions = FakeFunctions { _, _ in DispatchReply(payload: Array("{\"statusCode\":200,\"body\":\"ok\"}".utf8)) },
    forwarder: FakeForwarder = FakeForwarder(),
    clock: TestWallClock = TestWallClock(),
    _ body: (APIGatewayService) async throws -> T
) async throws -> T {
    try await TemporaryDirectory.with { directory in
        let store = try SQLiteStore(path: directory.path + "/db.sqlite")
        let service = try await APIGatewayService(store: store, dispatcher: functions, forwarder: forwarder, clock: clock)
        let result = try await body(service)
        try await store.close()
        return result
    }
}

let functionARN = "arn:aws:lambda:us-east-1:000000000000:function:items"

extension JSONValue {
    subscript(_ key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var string: String? {
        if case .string(let text) = self { return text }
        return nil
    }
}

extension GatewayResponse {
    var text: String { String(decoding: body, as: UTF8.self) }
}
