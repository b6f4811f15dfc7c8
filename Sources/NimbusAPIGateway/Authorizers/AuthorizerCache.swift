import NimbusCore
import Synchronization

/// A Lambda authorizer's decisions by authorizer and identity, for its `AuthorizerResultTtlInSeconds`.
final class AuthorizerCache: Sendable {
    private let entries = Mutex<[String: (decision: AuthorizerRunner.Decision, expires: Double)]>([:])
    private let clock: any WallClock

    init(clock: any WallClock) {
        self.clock = clock
    }

    func decision(for key: String) -> AuthorizerRunner.Decision? {
        let now = clock.now()
        return entries.withLock { entries in
            guard let entry = entries[key] else { return nil }
            guard entry.expires > now else {
                entries[key] = nil
                return nil
            }
            return entry.decision
        }
    }

    func keep(_ decision: AuthorizerRunner.Decision, for key: String, seconds: Int) {
        let expires = clock.now() + Double(seconds)
        entries.withLock { entries in
            if entries.count > 10_000 { entries.removeAll() }
            entries[key] = (decision, expires)
        }
    }
}
