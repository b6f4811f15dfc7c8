import Logging

/// The server's log output: swift-log's `StreamLogHandler` on standard error, with the logger's
/// metadata rendered only for the messages actually written.
///
/// `StreamLogHandler` renders its metadata to text whenever a value is set. The edge sets a
/// request id on its logger for every request (Hummingbird does), so every request paid for
/// text that is almost never logged: 1.7–2 % of an S3 GET's CPU.
struct ConsoleLogHandler: LogHandler {
    /// Writes the lines; holds no metadata of its own until a message is logged.
    private var output: StreamLogHandler
    var metadata: Logger.Metadata = [:]

    init(label: String) {
        output = StreamLogHandler.standardError(label: label)
    }

    var logLevel: Logger.Level {
        get { output.logLevel }
        set { output.logLevel = newValue }
    }

    var metadataProvider: Logger.MetadataProvider? {
        get { output.metadataProvider }
        set { output.metadataProvider = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var output = output
        output.metadata = metadata
        output.log(event: event)
    }
}
