import HTTPTypes
import NimbusCore
import NimbusS3
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Synchronization
import Testing

/// A dispatcher that records every event and fails while `failure` is set.
final class RecordingDispatcher: Dispatcher {
    let events = Mutex<[(event: DispatchEvent, target: ARN)]>([])
    let failure = Mutex<(any Error)?>(nil)

    func deliver(_ event: DispatchEvent, to target: ARN) async throws -> DispatchReply {
        events.withLock { $0.append((event, target)) }
        if let error = failure.withLock({ $0 }) { throw error }
        return DispatchReply()
    }

    var recorded: [(event: DispatchEvent, target: ARN)] { events.withLock { $0 } }
}

/// A request context as the edge builds it, carrying `body`.
func s3Context(_ body: [UInt8] = [], requestID: String = "req-1") -> RequestContext {
    RequestContext(
        requestID: requestID,
        account: AccountContext(),
        caller: CallerIdentity(accessKeyID: "AKIDEXAMPLE", principal: nil),
        request: AWSRequest(method: .put, target: "/", headers: [HTTPField.Name("Host")!: "localhost:4566"], body: body)
    )
}

/// An S3 service on a temporary store, with a recording dispatcher and a test clock.
struct S3Harness {
    var service: S3Service
    var dispatcher: RecordingDispatcher
    var clock: TestWallClock
}

func withS3(_ body: (S3Harness) async throws -> Void) async throws {
    try await TemporaryDirectory.with { directory in
        let store = try SQLiteStore(path: directory.path + "/db.sqlite")
        let blobs = try FileBlobStore(root: directory.path + "/blobs")
        let dispatcher = RecordingDispatcher()
        let clock = TestWallClock()
        let service = try await S3Service(store: store, blobs: blobs, dispatcher: dispatcher, clock: clock)
        try await body(S3Harness(service: service, dispatcher: dispatcher, clock: clock))
        try await store.close()
    }
}

/// Parses a JSON payload as an object.
func jsonObject(_ bytes: [UInt8]) throws -> [String: JSONValue] {
    guard case .object(let members) = try JSONParser.parse(bytes) else { throw AWSError.validation("not an object") }
    return members
}
