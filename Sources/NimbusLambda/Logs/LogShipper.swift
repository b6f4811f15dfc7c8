import Foundation
package import Logging
package import NimbusCore
import Synchronization

/// Carries function output to the log sink in batches: lines are queued from the threads
/// that read instances' output and written every 100 ms, one append per stream, so a line
/// is readable well within a second of being printed.
///
/// When the sink falls behind by more than `maximumBacklog` bytes, `append` blocks the
/// reading thread, and with it the printing function, until the backlog drains.
package final class LogShipper: Sendable {
    private struct StreamKey: Hashable {
        var group: String
        var stream: String
    }

    private struct Backlog {
        var events: [StreamKey: [NimbusCore.LogEvent]] = [:]
        var bytes = 0
    }

    private let sink: any LogSink
    private let logger: Logger
    private let backlog = Mutex(Backlog())
    private let maximumBacklog: Int
    private let interval: Duration

    package init(sink: any LogSink, logger: Logger, maximumBacklog: Int = 16 * 1024 * 1024, interval: Duration = .milliseconds(100)) {
        self.sink = sink
        self.logger = logger
        self.maximumBacklog = maximumBacklog
        self.interval = interval
    }

    /// Queues one event for `stream` of `group`.
    func append(_ event: NimbusCore.LogEvent, group: String, stream: String) {
        while backlog.withLock({ $0.bytes }) > maximumBacklog {
            usleep(1_000)
        }
        backlog.withLock { backlog in
            backlog.events[StreamKey(group: group, stream: stream), default: []].append(event)
            backlog.bytes += event.message.utf8.count + 26
        }
    }

    /// Writes every queued event now.
    package func flush() async {
        let batches = backlog.withLock { backlog in
            defer { backlog = Backlog() }
            return backlog.events
        }
        for (key, events) in batches {
            do {
                try await sink.append(events, group: key.group, stream: key.stream)
            } catch {
                logger.error("could not store log events", metadata: ["group": "\(key.group)", "events": "\(events.count)", "error": "\(error)"])
            }
        }
    }

    /// Ships queued events until cancelled, then ships what is left.
    package func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            await flush()
        }
        await flush()
    }
}
