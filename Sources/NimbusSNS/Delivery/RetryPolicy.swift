import Foundation

/// When a failed delivery is tried again: AWS's four phases (no delay, minimum delay,
/// backoff from the minimum to the maximum delay, maximum delay), `numRetries` retries in all.
///
/// See https://docs.aws.amazon.com/sns/latest/dg/sns-message-delivery-retries.html
package struct RetryPolicy: Sendable, Hashable {
    package enum Backoff: String, Sendable, Hashable, CaseIterable {
        case linear, arithmetic, geometric, exponential
    }

    package var minDelay: Double
    package var maxDelay: Double
    package var numRetries: Int
    package var numNoDelayRetries: Int
    package var numMinDelayRetries: Int
    package var numMaxDelayRetries: Int
    package var backoff: Backoff

    package init(
        minDelay: Double,
        maxDelay: Double,
        numRetries: Int,
        numNoDelayRetries: Int = 0,
        numMinDelayRetries: Int = 0,
        numMaxDelayRetries: Int = 0,
        backoff: Backoff = .linear
    ) {
        self.minDelay = minDelay
        self.maxDelay = maxDelay
        self.numRetries = numRetries
        self.numNoDelayRetries = numNoDelayRetries
        self.numMinDelayRetries = numMinDelayRetries
        self.numMaxDelayRetries = numMaxDelayRetries
        self.backoff = backoff
    }

    /// HTTP/S without a delivery policy: 3 retries, 20 seconds apart.
    package static let httpDefault = RetryPolicy(minDelay: 20, maxDelay: 20, numRetries: 3)

    /// SQS and Lambda (AWS-managed endpoints): 3 immediate retries, 2 one second apart,
    /// 10 backing off from 1 to 20 seconds, then 100,000 twenty seconds apart (about 23 days).
    package static let managed = RetryPolicy(
        minDelay: 1,
        maxDelay: 20,
        numRetries: 100_015,
        numNoDelayRetries: 3,
        numMinDelayRetries: 2,
        numMaxDelayRetries: 100_000,
        backoff: .exponential
    )

    /// The number of retries in the backoff phase.
    var backoffRetries: Int {
        max(0, numRetries - numNoDelayRetries - numMinDelayRetries - numMaxDelayRetries)
    }

    /// The delay before the next attempt once `failedAttempts` attempts have failed, or `nil`
    /// when the policy is exhausted.
    package func delay(afterFailedAttempts failedAttempts: Int) -> Double? {
        var retry = failedAttempts
        guard retry >= 1, retry <= numRetries else { return nil }
        if retry <= numNoDelayRetries { return 0 }
        retry -= numNoDelayRetries
        if retry <= numMinDelayRetries { return minDelay }
        retry -= numMinDelayRetries
        let steps = backoffRetries
        guard retry <= steps else { return maxDelay }
        let t = Double(retry) / Double(steps)
        let span = maxDelay - minDelay
        switch backoff {
        case .linear: return minDelay + span * t
        case .arithmetic: return minDelay + span * t * t
        case .geometric: return minDelay + span * t * t * t
        case .exponential:
            guard minDelay > 0 else { return minDelay + span * t }
            return minDelay * pow(maxDelay / minDelay, t)
        }
    }

    /// The sum of every retry's delay, which AWS caps at 3,600 seconds for HTTP/S policies.
    var totalDelay: Double {
        (1...max(1, numRetries)).reduce(0) { $0 + (delay(afterFailedAttempts: $1) ?? 0) }
    }
}
