import Testing

@testable import NimbusSNS

@Suite struct RetryPolicyTests {
    @Test func httpDefaultIsThreeRetriesTwentySecondsApart() {
        let policy = RetryPolicy.httpDefault
        #expect((1...3).map { policy.delay(afterFailedAttempts: $0) } == [20, 20, 20])
        #expect(policy.delay(afterFailedAttempts: 4) == nil)
    }

    @Test func phasesRunInAWSsOrder() {
        let policy = RetryPolicy(
            minDelay: 1,
            maxDelay: 9,
            numRetries: 8,
            numNoDelayRetries: 2,
            numMinDelayRetries: 1,
            numMaxDelayRetries: 1,
            backoff: .linear
        )
        let delays = (1...9).map { policy.delay(afterFailedAttempts: $0) }
        #expect(delays == [0, 0, 1, 3, 5, 7, 9, 9, nil])
    }

    @Test func managedPolicyMatchesAWSsPhases() {
        let policy = RetryPolicy.managed
        #expect(policy.delay(afterFailedAttempts: 1) == 0)
        #expect(policy.delay(afterFailedAttempts: 3) == 0)
        #expect(policy.delay(afterFailedAttempts: 4) == 1)
        #expect(policy.delay(afterFailedAttempts: 5) == 1)
        let backoff = (6...15).compactMap { policy.delay(afterFailedAttempts: $0) }
        #expect(backoff.count == 10 && backoff == backoff.sorted() && backoff.last == 20)
        #expect(policy.delay(afterFailedAttempts: 100_015) == 20)
        #expect(policy.delay(afterFailedAttempts: 100_016) == nil)
    }

    @Test func deliveryPolicyValidation() throws {
        let settings = try DeliveryPolicy.subscriptionPolicy(
            #"{"healthyRetryPolicy": {"minDelayTarget": 1, "maxDelayTarget": 2, "numRetries": 2, "backoffFunction": "exponential"}, "requestPolicy": {"headerContentType": "application/json"}}"#
        )
        #expect(settings.retry?.numRetries == 2 && settings.retry?.backoff == .exponential && settings.contentType == "application/json")
        for bad in [
            "nope", #"{"healthyRetryPolicy": {"minDelayTarget": 0}}"#, #"{"healthyRetryPolicy": {"numRetries": 101}}"#,
            #"{"healthyRetryPolicy": {"backoffFunction": "cubic"}}"#,
            #"{"healthyRetryPolicy": {"numRetries": 100, "minDelayTarget": 3600, "maxDelayTarget": 3600}}"#,
            #"{"healthyRetryPolicy": {"numRetries": 1, "numNoDelayRetries": 2}}"#,
        ] {
            #expect(throws: (any Error).self, "\(bad)") { try DeliveryPolicy.subscriptionPolicy(bad) }
        }
    }
}
