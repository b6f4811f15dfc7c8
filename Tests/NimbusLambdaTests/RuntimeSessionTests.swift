import Synchronization
import Testing

@testable import NimbusLambda

/// Collects the Runtime API's answers to one request.
private final class Replies: Sendable {
    private let received = Mutex<[RuntimeAPIResponse]>([])

    var all: [RuntimeAPIResponse] { received.withLock { $0 } }

    func reply(_ response: RuntimeAPIResponse) {
        received.withLock { $0.append(response) }
    }
}

private func invocation(_ id: String, payload: String = #"{"n":1}"#) -> Invocation {
    Invocation(
        requestID: id,
        payload: Array(payload.utf8),
        deadlineMilliseconds: 1_700_000_003_000,
        invokedFunctionARN: "arn:aws:lambda:us-east-1:000000000000:function:fn",
        traceID: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=0",
        clientContext: #"{"custom":{"a":"b"}}"#,
        cognitoIdentity: nil
    )
}

private func header(_ name: String, in response: RuntimeAPIResponse) -> String? {
    response.headers.first { $0.name == name }?.value
}

@Suite struct RuntimeSessionTests {
    @Test func routes() {
        #expect(RuntimeAPIRoute(method: "GET", path: "/2018-06-01/runtime/invocation/next") == .next)
        #expect(RuntimeAPIRoute(method: "POST", path: "/2018-06-01/runtime/invocation/abc/response") == .response(requestID: "abc"))
        #expect(RuntimeAPIRoute(method: "POST", path: "/2018-06-01/runtime/invocation/a%2Fb/error") == .error(requestID: "a/b"))
        #expect(RuntimeAPIRoute(method: "POST", path: "/2018-06-01/runtime/init/error") == .initError)
        #expect(RuntimeAPIRoute(method: "POST", path: "/2018-06-01/runtime/invocation/next") == nil)
        #expect(RuntimeAPIRoute(method: "GET", path: "/2015-03-31/functions") == nil)
        #expect(RuntimeAPIRoute(method: "POST", path: "/2018-06-01/runtime/invocation//response") == nil)
        #expect(RuntimeAPIRoute(method: "POST", path: "/2018-06-01/runtime/invocation/response") == nil)
        #expect(RuntimeAPIRoute(method: "POST", path: "/2018-06-01/runtime/invocation/a/b/response") == nil)
        #expect(RuntimeAPIRoute(method: "POST", path: "/2018-06-01/runtime/invocation/a%2Fb/response") == .response(requestID: "a/b"))
        #expect(RuntimeAPIRoute(method: "POST", path: "/2018-06-01/runtime/invocation/abc/response?x=1") == .response(requestID: "abc"))
        #expect(RuntimeAPIRoute(method: "GET", path: "/2018-06-01/runtime/invocation/abc/response") == nil)
        #expect(RuntimeAPIRoute(method: "GET", path: "/nimbus/standby/assignment") == .assignment)
        #expect(RuntimeAPIRoute(method: "POST", path: "/nimbus/standby/assignment") == nil)
    }

    private func assignmentRequest(token: String?) -> RuntimeAPIRequest {
        RuntimeAPIRequest(method: "GET", path: "/nimbus/standby/assignment", standbyToken: token)
    }

    @Test func aStandbyWaitsForItsAssignmentThenRunsAsAnyInstance() async {
        let session = RuntimeSession(standbyToken: "secret-1")
        let assignment = Replies()
        async let waiting = session.standbyReady()
        session.handle(assignmentRequest(token: "secret-1"), reply: assignment.reply)
        #expect(await waiting)
        #expect(assignment.all.isEmpty)
        #expect(session.assign(Array(#"{"A":"1"}"#.utf8)))
        #expect(assignment.all.map(\.status) == [200])
        #expect(assignment.all.first?.body == Array(#"{"A":"1"}"#.utf8))
        // Asked again, or assigned twice: refused.
        let again = Replies()
        session.handle(assignmentRequest(token: "secret-1"), reply: again.reply)
        #expect(again.all.map(\.status) == [400])
        #expect(!session.assign([]))
        let next = Replies()
        session.handle(RuntimeAPIRequest(method: "GET", path: "/2018-06-01/runtime/invocation/next"), reply: next.reply)
        #expect(await session.ready() == .ready)
    }

    /// The port is no secret: a request without the standby's token gets nothing and takes nothing,
    /// and the standby's own request is still answered.
    @Test func onlyTheStandbysTokenGetsTheAssignment() async {
        let session = RuntimeSession(standbyToken: "secret-2")
        for token in [nil, "secret-1", "secret-22", ""] {
            let intruder = Replies()
            session.handle(assignmentRequest(token: token), reply: intruder.reply)
            #expect(intruder.all.map(\.status) == [403])
        }
        let own = Replies()
        session.handle(assignmentRequest(token: "secret-2"), reply: own.reply)
        #expect(await session.standbyReady())
        #expect(session.assign(Array("{}".utf8)))
        #expect(own.all.map(\.status) == [200])
    }

    @Test func anInstanceThatIsNoStandbyRefusesTheAssignmentRequest() {
        let session = RuntimeSession()
        let replies = Replies()
        session.handle(assignmentRequest(token: "anything"), reply: replies.reply)
        #expect(replies.all.map(\.status) == [403])
    }

    @Test func aStandbyThatEndsReleasesItsWaiters() async {
        let session = RuntimeSession(standbyToken: "secret-3")
        async let waiting = session.standbyReady()
        try? await Task.sleep(for: .milliseconds(10))
        session.end()
        #expect(await !waiting)
        let replies = Replies()
        session.handle(assignmentRequest(token: "secret-3"), reply: replies.reply)
        #expect(replies.all.map(\.status) == [410])
    }

    @Test func firstNextMakesTheInstanceReadyAndReceivesTheEvent() async {
        let session = RuntimeSession()
        let next = Replies()
        session.handle(RuntimeAPIRequest(method: "GET", path: "/2018-06-01/runtime/invocation/next"), reply: next.reply)
        #expect(await session.ready() == .ready)
        #expect(next.all.isEmpty)

        async let outcome = session.run(invocation("r1"))
        while next.all.isEmpty { await Task.yield() }
        let event = next.all[0]
        #expect(event.status == 200)
        #expect(String(decoding: event.body, as: UTF8.self) == #"{"n":1}"#)
        #expect(header("Lambda-Runtime-Aws-Request-Id", in: event) == "r1")
        #expect(header("Lambda-Runtime-Deadline-Ms", in: event) == "1700000003000")
        #expect(header("Lambda-Runtime-Invoked-Function-Arn", in: event) == "arn:aws:lambda:us-east-1:000000000000:function:fn")
        #expect(header("Lambda-Runtime-Trace-Id", in: event)?.hasPrefix("Root=1-") == true)
        #expect(header("Lambda-Runtime-Client-Context", in: event) == #"{"custom":{"a":"b"}}"#)

        let answer = Replies()
        session.handle(
            RuntimeAPIRequest(method: "POST", path: "/2018-06-01/runtime/invocation/r1/response", body: Array("42".utf8)),
            reply: answer.reply
        )
        #expect(await outcome == .response(Array("42".utf8)))
        #expect(answer.all.map(\.status) == [202])
    }

    @Test func anEventWaitsForTheNextRequest() async {
        let session = RuntimeSession()
        async let outcome = session.run(invocation("r1"))
        let next = Replies()
        // The event is queued until the runtime asks.
        try? await Task.sleep(for: .milliseconds(10))
        session.handle(RuntimeAPIRequest(method: "GET", path: "/2018-06-01/runtime/invocation/next"), reply: next.reply)
        #expect(next.all.map(\.status) == [200])
        session.handle(
            RuntimeAPIRequest(method: "POST", path: "/2018-06-01/runtime/invocation/r1/error", errorType: "ValueError", body: Array("{}".utf8)),
            reply: { _ in }
        )
        #expect(await outcome == .error(body: Array("{}".utf8), type: "ValueError"))
    }

    @Test func onlyTheCurrentInvocationCanBeAnsweredAndOnlyOnce() async {
        let session = RuntimeSession()
        session.handle(RuntimeAPIRequest(method: "GET", path: "/2018-06-01/runtime/invocation/next"), reply: { _ in })
        async let outcome = session.run(invocation("r1"))
        try? await Task.sleep(for: .milliseconds(10))

        let stranger = Replies()
        session.handle(RuntimeAPIRequest(method: "POST", path: "/2018-06-01/runtime/invocation/other/response", body: [1]), reply: stranger.reply)
        #expect(stranger.all.map(\.status) == [400])

        session.handle(RuntimeAPIRequest(method: "POST", path: "/2018-06-01/runtime/invocation/r1/response", body: [49]), reply: { _ in })
        #expect(await outcome == .response([49]))

        let second = Replies()
        session.handle(RuntimeAPIRequest(method: "POST", path: "/2018-06-01/runtime/invocation/r1/response", body: [50]), reply: second.reply)
        #expect(second.all.map(\.status) == [400])
        #expect(ErrorPayload.type(in: second.all[0].body) == "InvalidStateTransition")
    }

    @Test func aResponseOverSixMegabytesIsRefused() async {
        let session = RuntimeSession()
        session.handle(RuntimeAPIRequest(method: "GET", path: "/2018-06-01/runtime/invocation/next"), reply: { _ in })
        async let outcome = session.run(invocation("r1"))
        try? await Task.sleep(for: .milliseconds(10))
        let answer = Replies()
        session.handle(
            RuntimeAPIRequest(method: "POST", path: "/2018-06-01/runtime/invocation/r1/response", bodyTooLarge: true),
            reply: answer.reply
        )
        #expect(await outcome == .responseTooLarge)
        #expect(answer.all.map(\.status) == [413])
    }

    @Test func initErrorEndsInitialisation() async {
        let session = RuntimeSession()
        let body = Array(#"{"errorMessage":"Unable to import module 'app'","errorType":"Runtime.ImportModuleError"}"#.utf8)
        let answer = Replies()
        session.handle(RuntimeAPIRequest(method: "POST", path: "/2018-06-01/runtime/init/error", body: body), reply: answer.reply)
        #expect(await session.ready() == .initError(body: body, type: "Runtime.ImportModuleError"))
        #expect(answer.all.map(\.status) == [202])
    }

    @Test func endReleasesEveryWaiter() async {
        let session = RuntimeSession()
        async let readiness = session.ready()
        try? await Task.sleep(for: .milliseconds(10))
        session.end()
        #expect(await readiness == .ended)
        #expect(await session.run(invocation("r1")) == .ended)
        let next = Replies()
        session.handle(RuntimeAPIRequest(method: "GET", path: "/2018-06-01/runtime/invocation/next"), reply: next.reply)
        #expect(next.all.map(\.status) == [410])
    }

    @Test func unknownPathsGet404() {
        let session = RuntimeSession()
        let answer = Replies()
        session.handle(RuntimeAPIRequest(method: "GET", path: "/2018-06-01/runtime/invocation/x/response"), reply: answer.reply)
        #expect(answer.all.map(\.status) == [404])
    }
}
