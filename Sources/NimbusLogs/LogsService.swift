package import NimbusCore
package import NimbusStore
import NimbusWire

/// Amazon CloudWatch Logs: log groups, streams and events, and the `LogSink` the platform's
/// services write through.
///
/// Function output (and later API Gateway access logs) arrives through `append` in many small
/// batches; each batch is one transaction, its group and stream are created on first use, and
/// it is readable through `GetLogEvents`/`FilterLogEvents` as soon as `append` returns.
package struct LogsService: ServiceHandler, LogsOperations, LogSink {
    package let serviceName = "logs"

    let logs: LogStore
    let clock: any WallClock
    /// Writes the sink's concurrent appends together, one transaction for all that wait.
    let sinkWriter: GroupCommit<LogStore.Batch, Int64>

    /// Migrates the service's tables.
    package init(store: any SQLStore, clock: any WallClock = SystemWallClock()) async throws {
        try await store.migrate(LogStore.migrations)
        let logs = LogStore(store: store)
        self.logs = logs
        self.clock = clock
        sinkWriter = GroupCommit { batches in
            try await logs.append(batches, now: Self.milliseconds(clock.now()), create: true)
        }
    }

    /// Appends `events` to `stream` of `group`, creating both when missing; durable and
    /// readable when it returns. Events are stored as given (no `PutLogEvents` limits).
    /// Appends that arrive while another is written share the next transaction.
    package func append(_ events: [LogEvent], group: String, stream: String) async throws {
        guard !events.isEmpty else { return }
        _ = try await sinkWriter.submit(LogStore.Batch(events: events, key: .init(group: group, stream: stream)))
    }

    /// The clock's time in milliseconds since the epoch, the unit of every Logs timestamp.
    func nowMilliseconds() -> Int64 {
        Self.milliseconds(clock.now())
    }

    static func milliseconds(_ seconds: Double) -> Int64 {
        Int64((seconds * 1000).rounded(.down))
    }

    /// The group named by `name`/`identifier`, or AWS's `ResourceNotFoundException`.
    func existingGroup(name: String?, identifier: String?) async throws -> LogStore.Group {
        guard let group = try await logs.group(named: try LogNames.group(name: name, identifier: identifier)) else {
            throw AWSError.logGroupNotFound
        }
        return group
    }

    /// `limit` checked against the model's range, or `defaultValue` when absent.
    static func limit(_ limit: Int?, in range: ClosedRange<Int>, default defaultValue: Int) throws(AWSError) -> Int {
        guard let limit else { return defaultValue }
        guard limit >= range.lowerBound else {
            throw AWSError.constraint("\(limit)", at: "limit", "Member must have value greater than or equal to \(range.lowerBound)")
        }
        guard limit <= range.upperBound else {
            throw AWSError.constraint("\(limit)", at: "limit", "Member must have value less than or equal to \(range.upperBound)")
        }
        return limit
    }
}
