import HTTPTypes
import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Synchronization
import Testing

@testable import NimbusSNS

let account = AccountContext()

/// One signer for the whole suite: making a 2048-bit RSA key per test would be slow.
let sharedSigner: MessageSigner = try! SNSService.makeSigner()

/// A request context as the edge builds it, with `Host: localhost:4566`.
func context(host: String = "localhost:4566") -> RequestContext {
    RequestContext(
        requestID: "test-request",
        account: account,
        caller: .anonymous,
        request: AWSRequest(method: .post, target: "/", headers: [HTTPField.Name("Host")!: host])
    )
}

/// A dispatcher that records every event and answers with what `outcome` says.
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

/// An HTTP endpoint double: records POSTs and answers with `status`.
final class RecordingPoster: HTTPPoster {
    struct Post: Sendable {
        var url: String
        var headers: [String: String]
        var body: String
    }

    let posts = Mutex<[Post]>([])
    let status = Mutex(200)

    func post(url: String, headers: [(String, String)], body: [UInt8], timeout: Double) async throws -> Int {
        posts.withLock {
            $0.append(Post(url: url, headers: Dictionary(headers, uniquingKeysWith: { a, _ in a }), body: String(decoding: body, as: UTF8.self)))
        }
        return status.withLock { $0 }
    }

    var recorded: [Post] { posts.withLock { $0 } }
}

struct Harness {
    var service: SNSService
    var dispatcher: RecordingDispatcher
    var poster: RecordingPoster
    var clock: TestWallClock
    var path: String
}

/// Runs `body` with a service on a fresh SQLite store, a recording dispatcher and HTTP double.
func withSNS<T>(_ body: (Harness) async throws -> T) async throws -> T {
    try await TemporaryDirectory.with { directory in
        let path = directory.path + "/db.sqlite"
        let store = try SQLiteStore(path: path)
        let dispatcher = RecordingDispatcher()
        let poster = RecordingPoster()
        let clock = TestWallClock()
        let service = try await SNSService(
            store: store,
            dispatcher: dispatcher,
            account: account,
            clock: clock,
            poster: poster,
            signer: sharedSigner
        )
        let result = try await body(Harness(service: service, dispatcher: dispatcher, poster: poster, clock: clock, path: path))
        try await store.close()
        return result
    }
}

extension SNSService {
    /// Creates a topic and returns its ARN.
    func makeTopic(_ name: String, attributes: [String: String]? = nil) async throws -> String {
        try #require(try await createTopic(.init(attributes: attributes, name: name), context: context()).topicArn)
    }
}

/// The JSON object in `bytes`.
func jsonObject(_ bytes: [UInt8]) throws -> [String: JSONValue] {
    guard case .object(let members) = try JSONParser.parse(bytes) else { throw WireError(.malformedBody, "not an object") }
    return members
}

func jsonObject(_ text: String) throws -> [String: JSONValue] {
    try jsonObject(Array(text.utf8))
}

func string(_ value: JSONValue?) -> String? {
    if case .string(let text) = value { return text }
    return nil
}

/// The `Token` of the first SubscriptionConfirmation the HTTP double received.
func confirmationToken(_ poster: RecordingPoster) throws -> String {
    let post = try #require(poster.recorded.first { $0.headers["x-amz-sns-message-type"] == "SubscriptionConfirmation" })
    return try #require(string(try jsonObject(post.body)["Token"]))
}
