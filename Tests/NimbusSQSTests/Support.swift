import HTTPTypes
import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire

@testable import NimbusSQS

let account = AccountContext()

/// A request context as the edge builds it, for a client that reached the server as `host`.
func context(host: String = "localhost:4566") -> RequestContext {
    RequestContext(
        requestID: "test",
        account: account,
        caller: CallerIdentity(accessKeyID: "AKIDTEST", principal: nil),
        request: AWSRequest(method: .post, target: "/", headers: [HTTPField.Name("Host")!: host])
    )
}

/// A service on a fresh SQLite store in a temporary folder.
func withSQS<T>(clock: TestWallClock = TestWallClock(), _ body: (SQSService, TestWallClock) async throws -> T) async throws -> T {
    try await TemporaryDirectory.with { directory in
        let store = try SQLiteStore(path: directory.path + "/db.sqlite")
        let service = try await SQSService(store: store, clock: clock)
        let result = try await body(service, clock)
        try await store.close()
        return result
    }
}
