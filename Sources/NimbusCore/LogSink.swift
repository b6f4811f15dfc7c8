/// One line of a log stream: when it was written and what it says.
package struct LogEvent: Sendable, Hashable {
    /// Milliseconds since the Unix epoch.
    package var timestamp: Int64
    package var message: String

    package init(timestamp: Int64, message: String) {
        self.timestamp = timestamp
        self.message = message
    }
}

/// Where services write log lines (a function's output, an API's access log): CloudWatch
/// Logs' store, which serves them through the Logs API. Groups and streams are created on
/// first use.
package protocol LogSink: Sendable {
    /// Appends `events`, in order, to `stream` of `group`; durable when it returns.
    func append(_ events: [LogEvent], group: String, stream: String) async throws
}
