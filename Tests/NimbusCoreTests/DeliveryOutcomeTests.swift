import Testing

@testable import NimbusCore

/// A dispatcher that answers every event with the same result.
private struct Answering: Dispatcher {
    let failure: (any Error)?

    func deliver(_ event: DispatchEvent, to target: ARN) async throws -> DispatchReply {
        if let failure { throw failure }
        return DispatchReply()
    }
}

private struct Unreachable: Error {}

@Suite struct DeliveryOutcomeTests {
    let target = ARN("arn:aws:sqs:us-east-1:000000000000:q")!

    @Test func aDeliveredEventIsDelivered() async {
        #expect(await Answering(failure: nil).attempt(DispatchEvent(payload: []), to: target) == .delivered)
    }

    @Test(arguments: [(500, true), (503, true), (429, true), (400, false), (404, false)])
    func serverFailuresAreRetriedClientFailuresAreNot(status: Int, retried: Bool) async {
        let error = AWSError(code: "Failure", status: status, message: "no")
        let outcome = await Answering(failure: error).attempt(DispatchEvent(payload: []), to: target)
        if case .retry = outcome { #expect(retried) } else { #expect(!retried && outcome != .delivered) }
    }

    @Test func aTargetNoServiceServesIsRejected() async {
        let error = DispatchError(code: .unknownTarget, target: target)
        #expect(await Answering(failure: error).attempt(DispatchEvent(payload: []), to: target) == .reject(error.awsError.message))
    }

    @Test func anyOtherFailureIsRetried() async {
        let outcome = await Answering(failure: Unreachable()).attempt(DispatchEvent(payload: []), to: target)
        if case .retry = outcome {} else { Issue.record("expected a retry, got \(outcome)") }
    }
}
