import NimbusCore
import Synchronization

/// Token buckets per API, stage and route: a stage's `RouteSettings` for the route key (or its
/// `DefaultRouteSettings`) give the steady rate (requests per second) and the burst (the
/// bucket's size). A route without limits is not throttled.
/// See https://docs.aws.amazon.com/apigateway/latest/developerguide/http-api-throttling.html
final class Throttle: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    private let clock: any WallClock

    init(clock: any WallClock) {
        self.clock = clock
    }

    /// Takes one token for `key`; `false` when the request must be refused with 429.
    func admit(_ key: String, rate: Double, burst: Int) -> Bool {
        let now = clock.now()
        return buckets.withLock { buckets in
            var bucket = buckets[key] ?? Bucket(tokens: Double(burst), updated: now)
            bucket.tokens = min(Double(burst), bucket.tokens + max(0, now - bucket.updated) * rate)
            bucket.updated = now
            defer { buckets[key] = bucket }
            guard bucket.tokens >= 1 else { return false }
            bucket.tokens -= 1
            return true
        }
    }
}
