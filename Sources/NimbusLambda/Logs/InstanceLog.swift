import Foundation
import NimbusCore
import NimbusWire
import Synchronization

/// One instance's log stream in `/aws/lambda/<name>`: the function's output and the
/// platform's `START`/`END`/`REPORT` lines, in the order they happened. It also keeps the
/// running invocation's text for `LogType: Tail`.
final class InstanceLog: Sendable {
    let group: String
    let stream: String
    private let shipper: LogShipper
    private let clock: any WallClock
    /// The current invocation's log text, when one is being captured (its last bytes only).
    private let capture = Mutex<[UInt8]?>(nil)

    /// AWS's `LogResult`: the last 4 KB of an invocation's log.
    static let tailBytes = 4096

    init(functionName: String, version: String, instanceID: String, shipper: LogShipper, clock: any WallClock) {
        group = "/aws/lambda/\(functionName)"
        stream = Self.streamName(started: clock.now(), version: version, instanceID: instanceID)
        self.shipper = shipper
        self.clock = clock
    }

    /// `2026/11/23/[$LATEST]<instance id>`, the stream name AWS gives an execution environment.
    static func streamName(started: Double, version: String, instanceID: String) -> String {
        let day = Timestamp.iso8601(started).prefix(10).replacingOccurrences(of: "-", with: "/")
        return "\(day)/[\(version)]\(instanceID)"
    }

    /// Writes one line, stamped now.
    func write(_ line: String) {
        shipper.append(LogEvent(timestamp: Int64(clock.now() * 1000), message: line), group: group, stream: stream)
        capture.withLock { text in
            guard text != nil else { return }
            text!.append(contentsOf: line.utf8)
            text!.append(10)
            if text!.count > 2 * Self.tailBytes { text!.removeFirst(text!.count - Self.tailBytes) }
        }
    }

    /// Now as `2026-11-23T10:00:00.123Z`, the time stamp AWS puts on lines it writes for a function.
    func timestamp() -> String {
        let now = clock.now()
        let milliseconds = Int((now - now.rounded(.down)) * 1000)
        return Timestamp.iso8601(now.rounded(.down)).replacingOccurrences(of: "Z", with: String(format: ".%03dZ", milliseconds))
    }

    /// Starts keeping the lines written from now on.
    func startCapture() {
        capture.withLock { $0 = [] }
    }

    /// Stops keeping lines; returns the last 4 KB of what was written since `startCapture()`.
    func endCapture() -> [UInt8] {
        let text = capture.withLock { text in
            defer { text = nil }
            return text ?? []
        }
        return Array(text.suffix(Self.tailBytes))
    }
}
