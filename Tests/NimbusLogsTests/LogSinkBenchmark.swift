import Foundation
import NimbusCore
import NimbusLogs
import NimbusStoreSQLite
import NimbusTesting
import Testing

/// How many events per second `LogSink.append` sustains on the embedded store. A benchmark,
/// not a test: it runs only when `NIMBUS_BENCH_LOGS` is set (`scripts/bench logs` sets it),
/// prints one `LOGSBENCH {json}` line per case and asserts nothing about the numbers.
@Suite(.serialized) struct LogSinkBenchmark {
    static let enabled = ProcessInfo.processInfo.environment["NIMBUS_BENCH_LOGS"] != nil
    static let seconds = Double(ProcessInfo.processInfo.environment["NIMBUS_BENCH_SECONDS"] ?? "") ?? 3

    /// A function's output line, about the size of a typical one.
    static let message = "2026-01-02T03:04:05.678Z\tc0ffee00-1234-4abc-9def-0123456789ab\tINFO\tprocessed order 12345 in 17 ms"

    @Test(.enabled(if: enabled, "set NIMBUS_BENCH_LOGS=1 (scripts/bench logs) to measure"), arguments: [(1, 1), (100, 1), (1, 8)])
    func appendThroughput(batchSize: Int, writers: Int) async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path + "/bench.sqlite")
            let sink: any LogSink = try await LogsService(store: store)
            let clock = ContinuousClock()
            let deadline = clock.now.advanced(by: .seconds(Self.seconds))
            let start = clock.now
            let events = try await withThrowingTaskGroup(of: Int.self) { group in
                for writer in 0..<writers {
                    group.addTask {
                        var written = 0
                        var batch = 0
                        while clock.now < deadline {
                            let now = Int64(Date().timeIntervalSince1970 * 1000)
                            let events = (0..<batchSize).map { LogEvent(timestamp: now, message: "\(Self.message) #\(batch).\($0)") }
                            try await sink.append(events, group: "/aws/lambda/bench", stream: "2026/01/02/[$LATEST]writer\(writer)")
                            written += batchSize
                            batch += 1
                        }
                        return written
                    }
                }
                return try await group.reduce(0, +)
            }
            let elapsed = start.duration(to: clock.now)
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            let rate = Double(events) / seconds
            print(
                "LOGSBENCH {\"bench\":\"logs\",\"case\":\"append\",\"batch\":\(batchSize),\"writers\":\(writers),\"events\":\(events),"
                    + "\"seconds\":\(String(format: "%.3f", seconds)),\"events_per_s\":\(Int(rate)),\"batches_per_s\":\(Int(rate / Double(batchSize)))}"
            )
            try await store.close()
        }
    }
}
