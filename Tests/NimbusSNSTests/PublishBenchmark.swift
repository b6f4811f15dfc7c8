import Foundation
import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import Testing

@testable import NimbusSNS

/// A dispatcher that accepts everything at once, so the benchmark measures SNS, not a target.
struct AcceptingDispatcher: Dispatcher {
    func deliver(_ event: DispatchEvent, to target: ARN) async throws -> DispatchReply { DispatchReply() }
}

/// How many durable publishes per second SNS sustains on the embedded store, and how fast the
/// worker drains the outbox (render, sign, dispatch, delete). A benchmark, not a test: it runs
/// only when `NIMBUS_BENCH_SNS` is set (`scripts/bench sns`), prints one `SNSBENCH {json}` line
/// per case and asserts nothing about the numbers.
@Suite(.serialized) struct PublishBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["NIMBUS_BENCH_SNS"] != nil
    static let seconds = Double(ProcessInfo.processInfo.environment["NIMBUS_BENCH_SECONDS"] ?? "") ?? 3
    static let message = #"{"order": 12345, "status": "paid", "total": 42.5, "customer": "c0ffee00-1234-4abc-9def-0123456789ab"}"#

    @Test(.enabled(if: enabled, "set NIMBUS_BENCH_SNS=1 (scripts/bench sns) to measure"), arguments: [(1, 1), (8, 1), (1, 10)])
    func publishThenDrain(publishers: Int, batch: Int) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path + "/bench.sqlite")
            let service = try await SNSService(store: store, dispatcher: AcceptingDispatcher(), signer: sharedSigner)
            let topic = try await service.makeTopic("bench")
            _ = try await service.subscribe(.init(endpoint: queueARN, protocol: "sqs", topicArn: topic), context: context())
            let clock = ContinuousClock()
            let start = clock.now
            let deadline = start.advanced(by: .seconds(Self.seconds))
            let published = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<publishers {
                    group.addTask {
                        var count = 0
                        while clock.now < deadline {
                            if batch == 1 {
                                _ = try await service.publish(.init(message: Self.message, topicArn: topic), context: context())
                            } else {
                                let entries = (0..<batch).map { SNSShapes.PublishBatchRequestEntry(id: "e\($0)", message: Self.message) }
                                _ = try await service.publishBatch(.init(publishBatchRequestEntries: entries, topicArn: topic), context: context())
                            }
                            count += batch
                        }
                        return count
                    }
                }
                return try await group.reduce(0, +)
            }
            let publishSeconds = Self.seconds(start.duration(to: clock.now))
            let drainStart = clock.now
            let worker = Task { await service.runDeliveries() }
            while try await service.store.pendingDeliveryCount() > 0 { try await Task.sleep(for: .milliseconds(20)) }
            let drainSeconds = Self.seconds(drainStart.duration(to: clock.now))
            worker.cancel()
            await worker.value
            print(
                "SNSBENCH {\"bench\":\"sns\",\"publishers\":\(publishers),\"batch\":\(batch),\"messages\":\(published),"
                    + "\"publish_per_s\":\(Int(Double(published) / publishSeconds)),\"deliveries_per_s\":\(Int(Double(published) / drainSeconds))}"
            )
            try await store.close()
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
