import NimbusCore
import Synchronization

/// Concurrency as AWS accounts for it: the account runs at most `accountLimit` invocations at
/// once; a function with reserved concurrency runs at most that many (0 stops it) and takes
/// them out of the account's pool; every other function shares what is left, the unreserved
/// pool. An invocation over its limit is refused (throttled), never queued here.
final class ConcurrencyLimiter: Sendable {
    /// AWS keeps at least this much of the account's concurrency unreserved.
    static let minimumUnreserved = 100

    /// Why an invocation was refused: `TooManyRequestsException`'s `Reason`.
    enum Refusal: String, Sendable {
        case reserved = "ReservedFunctionConcurrentInvocationLimitExceeded"
        case account = "ConcurrentInvocationLimitExceeded"
    }

    /// One running invocation, to hand back to `release`.
    struct Permit: Sendable {
        fileprivate let function: String
        fileprivate let reserved: Bool
    }

    private struct State {
        var reserved: [String: Int] = [:]
        var running: [String: Int] = [:]
        var unreservedRunning = 0
    }

    let accountLimit: Int
    private let state = Mutex(State())

    init(accountLimit: Int) {
        self.accountLimit = accountLimit
    }

    /// Replaces every reservation (at start, from the store).
    func load(_ reserved: [String: Int]) {
        state.withLock { $0.reserved = reserved }
    }

    func setReserved(_ value: Int?, for function: String) {
        state.withLock { $0.reserved[function] = value }
    }

    func reserved(for function: String) -> Int? {
        state.withLock { $0.reserved[function] }
    }

    /// The account's concurrency that no function has reserved.
    var unreserved: Int {
        state.withLock { accountLimit - $0.reserved.values.reduce(0, +) }
    }

    /// What the account's unreserved pool would be if `function` reserved `value`.
    func unreserved(ifReserving value: Int, for function: String) -> Int {
        state.withLock { state in
            accountLimit - state.reserved.filter { $0.key != function }.values.reduce(0, +) - value
        }
    }

    /// Invocations of `function` running now.
    func running(_ function: String) -> Int {
        state.withLock { $0.running[function] ?? 0 }
    }

    /// A permit to run one invocation of `function`, or why there is none.
    func acquire(_ function: String) -> Result<Permit, RefusalError> {
        state.withLock { state in
            let running = state.running[function] ?? 0
            if let reserved = state.reserved[function] {
                guard running < reserved else { return .failure(RefusalError(refusal: .reserved)) }
                state.running[function] = running + 1
                return .success(Permit(function: function, reserved: true))
            }
            let unreserved = accountLimit - state.reserved.values.reduce(0, +)
            guard state.unreservedRunning < unreserved else { return .failure(RefusalError(refusal: .account)) }
            state.unreservedRunning += 1
            state.running[function] = running + 1
            return .success(Permit(function: function, reserved: false))
        }
    }

    func release(_ permit: Permit) {
        state.withLock { state in
            state.running[permit.function] = max((state.running[permit.function] ?? 1) - 1, 0)
            if state.running[permit.function] == 0 { state.running[permit.function] = nil }
            if !permit.reserved { state.unreservedRunning = max(state.unreservedRunning - 1, 0) }
        }
    }

    /// A refusal as the error `Invoke` answers with.
    struct RefusalError: Error {
        var refusal: Refusal

        var awsError: AWSError {
            AWSError(code: "TooManyRequestsException", status: 429, message: "Rate Exceeded.", details: ["Reason": refusal.rawValue, "Type": "User"])
        }
    }
}
