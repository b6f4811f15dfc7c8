#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes the function's log lines in the text format of AWS's managed runtimes:
/// `2024-01-01T12:00:00.000Z<TAB>request id<TAB>LEVEL<TAB>message` (the request id field is left
/// out during initialization). A message's own line breaks become `\r`, so a multi-line message
/// stays one log event in CloudWatch Logs, as AWS's runtimes arrange.
struct LogWriter: Sendable {
    private let sink: @Sendable (String) -> Void

    /// Lines go to `sink`, each ending in `\n`.
    init(sink: @escaping @Sendable (String) -> Void) {
        self.sink = sink
    }

    /// Standard output, written with one `write(2)` per line: the line is in the log at once,
    /// whatever the buffering of `print`.
    static let standardOutput = LogWriter { line in
        var line = line
        line.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let written = write(1, bytes.baseAddress! + offset, bytes.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return  // nowhere left to say so
                }
                offset += written
            }
        }
    }

    func log(_ message: String, level: String, requestID: String?) {
        var line = timestamp()
        if let requestID {
            line += "\t" + requestID
        }
        line += "\t" + level + "\t"
        for character in message {
            line.append(character.isNewline ? "\r" : character)
        }
        line += "\n"
        sink(line)
    }
}
