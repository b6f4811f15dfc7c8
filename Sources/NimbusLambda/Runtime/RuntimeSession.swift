import Foundation
import Synchronization

/// One instance's Runtime API: the listener bound for that instance passes every request
/// here, so an instance can only take and answer its own invocations.
///
/// The platform side waits for readiness (`ready()`), then runs one invocation at a time
/// (`run(_:)`); the runtime side long-polls `next` and posts a response or an error.
/// `end()` resolves whatever is waiting when the instance stops.
///
/// A standby's runtime (started before any function is given to it, see `Standbys`) first asks
/// for its assignment, the function's environment: `standbyReady()` waits for that request and
/// `assign(_:)` answers it. The request must carry the token the standby was started with: its
/// port alone is no secret (any process on the host can reach it), and the assignment holds the
/// function's variables and credentials.
package final class RuntimeSession: Sendable {
    /// Sends the Runtime API's answer back to the runtime; called exactly once per request.
    package typealias Reply = @Sendable (RuntimeAPIResponse) -> Void

    private struct State {
        var readiness: Readiness?
        var readinessWaiter: CheckedContinuation<Readiness, Never>?
        /// A `next` request waiting for an event.
        var parkedNext: Reply?
        /// The invocation being run, and whether `next` has handed it out yet.
        var current: Invocation?
        var delivered = false
        var outcomeWaiter: CheckedContinuation<RuntimeOutcome, Never>?
        /// The last request id answered, to reject a second answer.
        var lastAnswered: String?
        var ended = false
        /// A standby's request for its assignment, waiting for `assign(_:)`.
        var parkedAssignment: Reply?
        var assigned = false
        var standbyWaiter: CheckedContinuation<Bool, Never>?
    }

    private let state = Mutex(State())
    /// A standby's secret (in its runtime's environment), which its request for its assignment carries.
    let standbyToken: [UInt8]?

    /// - Parameter standbyToken: the runtime is a standby's, which asks for its assignment, with
    ///   this token, before anything else.
    package init(standbyToken: String? = nil) {
        self.standbyToken = standbyToken.map { Array($0.utf8) }
    }

    /// Handles one Runtime API request; `reply` may be called later (a `next` waits for an event).
    package func handle(_ request: RuntimeAPIRequest, reply: @escaping Reply) {
        guard let route = RuntimeAPIRoute(method: request.method, path: request.path) else {
            reply(.error(404, type: "InvalidRequest", message: "\(request.method) \(request.path) is not a Runtime API operation"))
            return
        }
        switch route {
        case .next: next(reply)
        case .response(let id): answer(id, with: request.bodyTooLarge ? .responseTooLarge : .response(request.body), reply: reply)
        case .error(let id):
            let type = request.errorType ?? ErrorPayload.type(in: request.body) ?? "Unhandled"
            answer(id, with: request.bodyTooLarge ? .responseTooLarge : .error(body: request.body, type: type), reply: reply)
        case .initError: initError(request, reply: reply)
        case .assignment: parkAssignment(token: request.standbyToken, reply)
        }
    }

    /// Whether two tokens are equal, in a time that does not depend on where they differ.
    private static func same(_ given: [UInt8], _ expected: [UInt8]) -> Bool {
        guard given.count == expected.count else { return false }
        return zip(given, expected).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }

    /// Waits until a standby's runtime asks for its assignment (`true`: it is started and idle), or the instance ends.
    func standbyReady() async -> Bool {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Bool? in
                if state.ended { return false }
                if state.parkedAssignment != nil { return true }
                state.standbyWaiter = continuation
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// Answers the waiting assignment request with `environment` (a JSON object of the variables the runtime takes
    /// on). Returns `false` when no request waits (the instance ended).
    func assign(_ environment: [UInt8]) -> Bool {
        let parked = state.withLock { state -> Reply? in
            defer { state.parkedAssignment = nil }
            if state.parkedAssignment != nil { state.assigned = true }
            return state.parkedAssignment
        }
        parked?(RuntimeAPIResponse(status: 200, headers: [("Content-Type", "application/json")], body: environment))
        return parked != nil
    }

    private func parkAssignment(token: String?, _ reply: @escaping Reply) {
        guard let expected = standbyToken, let token, Self.same(Array(token.utf8), expected) else {
            reply(.error(403, type: "AccessDenied", message: "This is not a standby, or not this standby's token"))
            return
        }
        let result = state.withLock { state -> (RuntimeAPIResponse?, CheckedContinuation<Bool, Never>?) in
            if state.ended { return (.error(410, type: "InstanceStopped", message: "This instance has stopped"), nil) }
            guard !state.assigned, state.parkedAssignment == nil else {
                return (.error(400, type: "InvalidStateTransition", message: "This standby has asked for its assignment already"), nil)
            }
            state.parkedAssignment = reply
            defer { state.standbyWaiter = nil }
            return (nil, state.standbyWaiter)
        }
        if let rejection = result.0 { reply(rejection) }
        result.1?.resume(returning: true)
    }

    /// Waits until the runtime asks for its first event, reports an init error, or the instance ends.
    func ready() async -> Readiness {
        await withCheckedContinuation { continuation in
            let known = state.withLock { state -> Readiness? in
                if let readiness = state.readiness { return readiness }
                state.readinessWaiter = continuation
                return nil
            }
            if let known { continuation.resume(returning: known) }
        }
    }

    /// Hands `invocation` to the runtime (now, or at its next `next`) and waits for its outcome.
    func run(_ invocation: Invocation) async -> RuntimeOutcome {
        await withCheckedContinuation { continuation in
            let action = state.withLock { state -> (Reply?, Bool) in
                guard !state.ended else { return (nil, true) }
                state.current = invocation
                state.delivered = false
                state.outcomeWaiter = continuation
                guard let parked = state.parkedNext else { return (nil, false) }
                state.parkedNext = nil
                state.delivered = true
                return (parked, false)
            }
            if action.1 { continuation.resume(returning: .ended) }
            action.0?(RuntimeAPIResponse(status: 200, headers: invocation.nextHeaders, body: invocation.payload))
        }
    }

    /// The instance stopped: resolves every waiter and refuses further work.
    func end() {
        let (readinessWaiter, outcomeWaiter, parked, standbyWaiter) = state.withLock { state in
            state.ended = true
            if state.readiness == nil { state.readiness = .ended }
            defer {
                state.readinessWaiter = nil
                state.outcomeWaiter = nil
                state.parkedNext = nil
                state.parkedAssignment = nil
                state.standbyWaiter = nil
                state.current = nil
            }
            return (state.readinessWaiter, state.outcomeWaiter, [state.parkedNext, state.parkedAssignment].compactMap { $0 }, state.standbyWaiter)
        }
        readinessWaiter?.resume(returning: .ended)
        outcomeWaiter?.resume(returning: .ended)
        standbyWaiter?.resume(returning: false)
        for reply in parked { reply(.error(410, type: "InstanceStopped", message: "This instance has stopped")) }
    }

    private func next(_ reply: @escaping Reply) {
        enum Action {
            case deliver(Invocation, readinessWaiter: CheckedContinuation<Readiness, Never>?)
            case park(readinessWaiter: CheckedContinuation<Readiness, Never>?)
            case reject(RuntimeAPIResponse)
        }
        let action = state.withLock { state -> Action in
            if state.ended { return .reject(.error(410, type: "InstanceStopped", message: "This instance has stopped")) }
            var waiter: CheckedContinuation<Readiness, Never>?
            if state.readiness == nil {
                state.readiness = .ready
                waiter = state.readinessWaiter
                state.readinessWaiter = nil
            }
            if state.parkedNext != nil {
                return .reject(.error(400, type: "InvalidRequest", message: "Another request for the next event is already waiting"))
            }
            if let current = state.current, !state.delivered {
                state.delivered = true
                return .deliver(current, readinessWaiter: waiter)
            }
            state.parkedNext = reply
            return .park(readinessWaiter: waiter)
        }
        switch action {
        case .deliver(let invocation, let waiter):
            waiter?.resume(returning: .ready)
            reply(RuntimeAPIResponse(status: 200, headers: invocation.nextHeaders, body: invocation.payload))
        case .park(let waiter):
            waiter?.resume(returning: .ready)
        case .reject(let response):
            reply(response)
        }
    }

    private func answer(_ id: String, with outcome: RuntimeOutcome, reply: Reply) {
        enum Action {
            case complete(CheckedContinuation<RuntimeOutcome, Never>?)
            case reject(RuntimeAPIResponse)
        }
        let action = state.withLock { state -> Action in
            guard let current = state.current, state.delivered, current.requestID == id else {
                if state.lastAnswered == id {
                    return .reject(.error(400, type: "InvalidStateTransition", message: "Invocation \(id) has already been answered"))
                }
                return .reject(.error(400, type: "InvalidRequestID", message: "Invalid request ID: \(id) is not this instance's current invocation"))
            }
            state.current = nil
            state.delivered = false
            state.lastAnswered = id
            defer { state.outcomeWaiter = nil }
            return .complete(state.outcomeWaiter)
        }
        switch action {
        case .complete(let waiter):
            if outcome == .responseTooLarge {
                reply(
                    .error(
                        413,
                        type: "RequestEntityTooLarge",
                        message: "Exceeded maximum allowed payload size (\(RuntimeAPIRequest.maximumBody) bytes)."
                    )
                )
            } else {
                reply(.accepted)
            }
            waiter?.resume(returning: outcome)
        case .reject(let response):
            reply(response)
        }
    }

    private func initError(_ request: RuntimeAPIRequest, reply: Reply) {
        let type = request.errorType ?? ErrorPayload.type(in: request.body) ?? "Runtime.Unknown"
        let readiness = Readiness.initError(body: request.body, type: type)
        let (accepted, waiter) = state.withLock { state -> (Bool, CheckedContinuation<Readiness, Never>?) in
            guard state.readiness == nil else { return (false, nil) }
            state.readiness = readiness
            defer { state.readinessWaiter = nil }
            return (true, state.readinessWaiter)
        }
        guard accepted else {
            reply(.error(403, type: "InvalidStateTransition", message: "Initialisation has already ended"))
            return
        }
        reply(.accepted)
        waiter?.resume(returning: readiness)
    }
}
