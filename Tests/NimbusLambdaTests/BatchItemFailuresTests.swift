import NimbusCore
import Testing

@testable import NimbusLambda

/// Which records of a batch an event source mapping deletes after the function answered.
@Suite struct BatchItemFailuresTests {
    let batch = ["a", "b", "c"].map { SourceRecord(id: $0, receipt: "r-\($0)", json: []) }

    private func deleted(_ answer: String, failed: Bool = false, reports: Bool = true) -> [String] {
        let result = InvocationResult(payload: Array(answer.utf8), functionError: failed ? "Unhandled" : nil)
        return LambdaService.processed(batch, result: result, reportsItemFailures: reports).map(\.id)
    }

    @Test func aFunctionErrorKeepsTheWholeBatch() {
        #expect(deleted(#"{"errorMessage": "x"}"#, failed: true).isEmpty)
        #expect(deleted("null", failed: true, reports: false).isEmpty)
    }

    @Test func withoutReportBatchItemFailuresSuccessDeletesEverything() {
        #expect(deleted(#"{"batchItemFailures": [{"itemIdentifier": "a"}]}"#, reports: false) == ["a", "b", "c"])
    }

    @Test func namedFailuresStayAndTheRestIsDeleted() {
        #expect(deleted(#"{"batchItemFailures": [{"itemIdentifier": "b"}]}"#) == ["a", "c"])
        #expect(deleted(#"{"batchItemFailures": []}"#) == ["a", "b", "c"])
        #expect(deleted("null") == ["a", "b", "c"])
        #expect(deleted("{}") == ["a", "b", "c"])
    }

    @Test func aMalformedAnswerFailsTheWholeBatch() {
        #expect(deleted(#"{"batchItemFailures": [{"itemIdentifier": "zzz"}]}"#).isEmpty)
        #expect(deleted(#"{"batchItemFailures": [{"itemIdentifier": ""}]}"#).isEmpty)
        #expect(deleted(#"{"batchItemFailures": "b"}"#).isEmpty)
        #expect(deleted("not json").isEmpty)
        #expect(deleted(#""a string""#).isEmpty)
    }
}

@Suite struct WorkerScaleTests {
    @Test func growsWhileBatchesAreFullAndShrinksToTheBaseline() {
        let scale = WorkerScale(baseline: 2)
        #expect(scale.join(ceiling: 3) && scale.join(ceiling: 3))
        #expect(!scale.backlogged(), "no batch yet is no backlog")
        scale.record(full: true)
        scale.record(full: true)
        #expect(scale.backlogged())
        #expect(scale.join(ceiling: 3))
        #expect(!scale.join(ceiling: 3), "the ceiling holds")
        scale.record(full: true)
        scale.record(full: false)
        #expect(!scale.backlogged(), "one batch that was not full: the backlog is gone")
        #expect(scale.leaveIfIdle())
        #expect(!scale.leaveIfIdle(), "the baseline workers stay")
    }
}
