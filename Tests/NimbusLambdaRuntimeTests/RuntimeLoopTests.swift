import Foundation
import Synchronization
import Testing

@testable import NimbusLambdaRuntime

/// The runtime loop against ``FakeRuntimeAPI``: what it sends for what `next` returns.
///
/// Serialized: the loop sets the process-wide `_X_AMZN_TRACE_ID`.
@Suite(.serialized)
struct RuntimeLoopTests {
    static let environment = FunctionEnvironment([
        "AWS_LAMBDA_FUNCTION_NAME": "fn",
        "AWS_LAMBDA_FUNCTION_VERSION": "$LATEST",
        "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "256",
        "AWS_LAMBDA_LOG_GROUP_NAME": "/aws/lambda/fn",
        "AWS_LAMBDA_LOG_STREAM_NAME": "2024/01/01/[$LATEST]0123456789abcdef",
    ])

    static let next = "GET /2018-06-01/runtime/invocation/next"

    /// Runs `Handler` for `invocations` against `api`; returns the log lines it wrote.
    @discardableResult
    static func run<Handler: LambdaHandler>(
        _: Handler.Type,
        against api: FakeRuntimeAPI,
        invocations: Int,
        rejected: Rejections? = nil
    ) async throws(LambdaRuntimeError) -> [String] {
        let lines = LogLines()
        let client = RuntimeAPIClient(address: try RuntimeAPIAddress(api.address)) { path, response in
            rejected?.append("\(response.status) \(path)")
        }
        let loop = LambdaRuntimeLoop<Handler>(client: client, environment: environment, logWriter: lines.writer)
        try await loop.run(invocations: invocations)
        return lines.all
    }

    @Test func servesInvocationsInOrderOverOneKeptAliveConnection() async throws {
        // Far enough out that a loaded machine cannot eat the margin before the handler reads it.
        let deadline = Date().addingTimeInterval(60)
        try await FakeRuntimeAPI.with([
            FakeRuntimeAPI.invocation(#"{"n": 1}"#, requestID: "req-1", deadline: deadline),
            FakeRuntimeAPI.invocation(#"{"n": 2, "name": "Ada"}"#, requestID: "req-2", headers: ["Lambda-Runtime-Trace-Id": nil]),
        ]) { api in
            let lines = try await Self.run(EchoHandler.self, against: api, invocations: 2)

            #expect(
                api.requestLines == [
                    Self.next, "POST /2018-06-01/runtime/invocation/req-1/response",
                    Self.next, "POST /2018-06-01/runtime/invocation/req-2/response",
                ]
            )
            #expect(api.connections == 1)
            let first = try JSONDecoder().decode(EchoHandler.Output.self, from: api.requests[1].body)
            #expect(first.n == 1 && first.count == 1 && first.name == nil)
            #expect(first.requestID == "req-1")
            #expect(first.arn == "arn:aws:lambda:us-east-1:000000000000:function:fn")
            #expect(first.traceID == "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1")
            #expect(first.traceEnvironment == first.traceID)
            #expect(first.remainingMs > 30_000 && first.remainingMs <= 60_000)
            #expect(first.functionName == "fn" && first.functionVersion == "$LATEST" && first.memory == 256)
            #expect(first.logGroup == "/aws/lambda/fn" && first.logStream == "2024/01/01/[$LATEST]0123456789abcdef")
            #expect(api.requests[1].headers["content-type"] == "application/json")
            #expect(api.requests[0].headers["user-agent"]?.hasPrefix("nimbus-lambda-swift/") == true)

            let second = try JSONDecoder().decode(EchoHandler.Output.self, from: api.requests[3].body)
            #expect(second.count == 2, "the handler's state lives across invocations")
            #expect(second.name == "Ada" && second.requestID == "req-2")
            #expect(second.traceID == nil && second.traceEnvironment == nil, "no trace header: _X_AMZN_TRACE_ID is unset")

            #expect(lines.count == 2)
            #expect(lines[0].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tINFO\tinit fn\n/) != nil, "\(lines)")
            #expect(lines[1].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\treq-1\tINFO\techo 1\rsecond line\n/) != nil, "\(lines)")
        }
    }

    @Test func handlerErrorIsReportedAsAWSErrorObjectAndTheInstanceGoesOn() async throws {
        try await FakeRuntimeAPI.with([
            FakeRuntimeAPI.invocation(#"{"n": 0}"#, requestID: "bad"),
            FakeRuntimeAPI.invocation(#"{"n": 1}"#, requestID: "good"),
        ]) { api in
            let lines = try await Self.run(EchoHandler.self, against: api, invocations: 2)

            #expect(api.requestLines[1] == "POST /2018-06-01/runtime/invocation/bad/error")
            #expect(api.requestLines[3] == "POST /2018-06-01/runtime/invocation/good/response")
            let error = api.requests[1]
            #expect(error.headers["lambda-runtime-function-error-type"] == "EchoError")
            #expect(error.headers["content-type"] == "application/json")
            #expect(String(decoding: error.body, as: UTF8.self) == #"{"errorMessage":"n must not be 0","errorType":"EchoError","stackTrace":[]}"#)
            #expect(lines.contains { $0.contains("\tbad\tERROR\tInvoke Error \t{\"errorMessage\":\"n must not be 0\"") }, "\(lines)")
        }
    }

    @Test func undecodableEventIsAnUnmarshalError() async throws {
        try await FakeRuntimeAPI.with([FakeRuntimeAPI.invocation(#"{"n": "one"}"#, requestID: "r")]) { api in
            try await Self.run(EchoHandler.self, against: api, invocations: 1)

            let error = try #require(api.requests.last)
            #expect(error.path == "/2018-06-01/runtime/invocation/r/error")
            #expect(error.headers["lambda-runtime-function-error-type"] == "Runtime.UnmarshalError")
            #expect(error.json?["errorType"] as? String == "Runtime.UnmarshalError")
            let message = try #require(error.json?["errorMessage"] as? String)
            #expect(message.hasPrefix("Unable to unmarshal input: n: Expected to decode Int"), "\(message)")
        }
    }

    @Test func unencodableOutputIsAMarshalError() async throws {
        try await FakeRuntimeAPI.with([FakeRuntimeAPI.invocation("{}", requestID: "r")]) { api in
            try await Self.run(NaNHandler.self, against: api, invocations: 1)

            let error = try #require(api.requests.last)
            #expect(error.path == "/2018-06-01/runtime/invocation/r/error")
            #expect(error.json?["errorType"] as? String == "Runtime.MarshalError")
            #expect((error.json?["errorMessage"] as? String)?.hasPrefix("Unable to marshal response: ") == true)
        }
    }

    @Test func initErrorIsPostedAndEndsTheRuntime() async throws {
        try await FakeRuntimeAPI.with([FakeRuntimeAPI.invocation("{}")]) { api in
            let error = await #expect(throws: LambdaRuntimeError.self) {
                try await Self.run(InitFailingHandler.self, against: api, invocations: 1)
            }
            #expect(error == LambdaRuntimeError(.initializationFailed("TABLE_NAME is not set")))
            #expect(api.requestLines == ["POST /2018-06-01/runtime/init/error"])
            let posted = api.requests[0]
            #expect(posted.headers["lambda-runtime-function-error-type"] == "ConfigurationError")
            #expect(
                String(decoding: posted.body, as: UTF8.self)
                    == #"{"errorMessage":"TABLE_NAME is not set","errorType":"ConfigurationError","stackTrace":[]}"#
            )
        }
    }

    @Test func malformedDeadlineFailsTheInvocationNamingTheHeader() async throws {
        try await FakeRuntimeAPI.with([
            FakeRuntimeAPI.invocation("{}", requestID: "r", headers: ["Lambda-Runtime-Deadline-Ms": "soon"])
        ]) { api in
            try await Self.run(EchoHandler.self, against: api, invocations: 1)

            let error = try #require(api.requests.last)
            #expect(error.path == "/2018-06-01/runtime/invocation/r/error")
            #expect(error.json?["errorType"] as? String == "Runtime.LambdaContextUnmarshalError")
            #expect(
                error.json?["errorMessage"] as? String
                    == "the Runtime API's next invocation has a malformed Lambda-Runtime-Deadline-Ms header: 'soon'"
            )
        }
    }

    @Test func nextWithoutRequestIDEndsTheRuntime() async throws {
        try await FakeRuntimeAPI.with([FakeRuntimeAPI.invocation("{}", headers: ["Lambda-Runtime-Aws-Request-Id": nil])]) { api in
            let error = await #expect(throws: LambdaRuntimeError.self) {
                try await Self.run(EchoHandler.self, against: api, invocations: 1)
            }
            #expect(error == LambdaRuntimeError(.missingHeader("Lambda-Runtime-Aws-Request-Id")))
            #expect(api.requestLines == [Self.next])
        }
    }

    @Test func nextErrorStatusEndsTheRuntime() async throws {
        try await FakeRuntimeAPI.with([.status(500, #"{"errorType":"ServiceException"}"#)]) { api in
            let error = await #expect(throws: LambdaRuntimeError.self) {
                try await Self.run(EchoHandler.self, against: api, invocations: 1)
            }
            #expect(
                error
                    == LambdaRuntimeError(
                        .unexpectedStatus("/2018-06-01/runtime/invocation/next", 500, #"{"errorType":"ServiceException"}"#)
                    )
            )
        }
    }

    @Test func rejectedReportIsLoggedAndTheRuntimeGoesOn() async throws {
        try await FakeRuntimeAPI.with(
            [FakeRuntimeAPI.invocation(#"{"n": 1}"#, requestID: "a"), FakeRuntimeAPI.invocation(#"{"n": 2}"#, requestID: "b")],
            postStatus: 413
        ) { api in
            let rejected = Rejections()
            try await Self.run(EchoHandler.self, against: api, invocations: 2, rejected: rejected)
            #expect(
                rejected.all == [
                    "413 /2018-06-01/runtime/invocation/a/response", "413 /2018-06-01/runtime/invocation/b/response",
                ]
            )
        }
    }

    @Test(arguments: [
        FakeRuntimeAPI.Framing(closeEachConnection: true),
        FakeRuntimeAPI.Framing(chunkedNext: true),
        FakeRuntimeAPI.Framing(closeEachConnection: true, chunkedNext: true, interimContinue: true),
    ])
    func readsEveryFramingTheServerMayUse(framing: FakeRuntimeAPI.Framing) async throws {
        try await FakeRuntimeAPI.with(
            [
                FakeRuntimeAPI.invocation(#"{"n": 1, "name": "a long enough name"}"#, requestID: "a"),
                FakeRuntimeAPI.invocation(#"{"n": 2}"#, requestID: "b"),
            ],
            framing: framing
        ) { api in
            try await Self.run(EchoHandler.self, against: api, invocations: 2)

            #expect(api.requestLines.count == 4)
            let first = try JSONDecoder().decode(EchoHandler.Output.self, from: api.requests[1].body)
            #expect(first.name == "a long enough name")
            #expect(api.connections == (framing.closeEachConnection ? 4 : 1))
        }
    }

    /// Prints, never asserts: the cost of one invocation through the loop and a real socket.
    @Test func measuresTheRoundTrip() async throws {
        let count = 500
        let script = (0..<count).map { FakeRuntimeAPI.invocation(#"{"n": \#($0 + 1)}"#) }
        try await FakeRuntimeAPI.with(script) { api in
            let start = ContinuousClock.now
            try await Self.run(EchoHandler.self, against: api, invocations: count)
            let elapsed = ContinuousClock.now - start
            #expect(api.requests.count == 2 * count)
            let microseconds = Int(elapsed / count / .microseconds(1))
            print("NimbusLambdaRuntime in-process round trip (next + response, fake API): \(microseconds) µs per invocation over \(count)")
        }
    }
}

/// Echoes its event and context; throws `EchoError` for `n == 0`.
struct EchoHandler: LambdaHandler {
    struct Event: Decodable {
        var n: Int
        var name: String?
    }

    struct Output: Codable {
        var n: Int
        var name: String?
        var count: Int
        var requestID: String
        var arn: String
        var traceID: String?
        var traceEnvironment: String?
        var remainingMs: Int
        var functionName: String
        var functionVersion: String
        var memory: Int
        var logGroup: String
        var logStream: String
    }

    struct EchoError: Error, CustomStringConvertible {
        var description: String { "n must not be 0" }
    }

    var count = 0

    init(context: LambdaInitContext) async throws {
        context.log("init \(context.functionName)")
    }

    mutating func handle(_ event: Event, context: LambdaContext) async throws -> Output {
        guard event.n != 0 else { throw EchoError() }
        count += 1
        if event.n == 1 { context.log("echo 1\nsecond line") }
        return Output(
            n: event.n,
            name: event.name,
            count: count,
            requestID: context.requestID,
            arn: context.invokedFunctionARN,
            traceID: context.traceID,
            traceEnvironment: getenv("_X_AMZN_TRACE_ID").map { String(cString: $0) },
            remainingMs: Int(context.remainingTime() / .milliseconds(1)),
            functionName: context.functionName,
            functionVersion: context.functionVersion,
            memory: context.memoryLimitInMB,
            logGroup: context.logGroupName,
            logStream: context.logStreamName
        )
    }
}

/// Returns a value JSON cannot carry.
struct NaNHandler: LambdaHandler {
    init(context: LambdaInitContext) {}
    func handle(_ event: [String: Int], context: LambdaContext) async throws -> Double { .nan }
}

struct ConfigurationError: Error, CustomStringConvertible {
    var description: String
}

struct InitFailingHandler: LambdaHandler {
    init(context: LambdaInitContext) async throws {
        throw ConfigurationError(description: "TABLE_NAME is not set")
    }

    func handle(_ event: [String: Int], context: LambdaContext) async throws -> Int { 0 }
}

/// Log lines written through a `LogWriter`, kept for assertions.
final class LogLines: Sendable {
    private let lines = Mutex<[String]>([])

    var writer: LogWriter {
        LogWriter { line in self.lines.withLock { $0.append(line) } }
    }

    var all: [String] { lines.withLock { $0 } }
}

/// Report posts the Runtime API refused, as "status path".
final class Rejections: Sendable {
    private let entries = Mutex<[String]>([])

    func append(_ entry: String) { entries.withLock { $0.append(entry) } }

    var all: [String] { entries.withLock { $0 } }
}
