import Foundation
import NimbusSandbox
import Synchronization

/// Collects what a child prints, for tests.
final class Output: Sendable {
    private let lines = Mutex<[String]>([])

    var received: [String] { lines.withLock { $0 } }

    var handler: @Sendable (String) -> Void {
        { line in self.lines.withLock { $0.append(line) } }
    }

    /// Waits (up to `timeout`) until some line satisfies `predicate`.
    func wait(for timeout: Duration = .seconds(10), until predicate: (String) -> Bool) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if received.contains(where: predicate) { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }
}

/// Starts `spec` and collects its output.
func start(_ spec: ProcessSpec) throws -> (ChildProcess, Output) {
    let output = Output()
    return (try ChildProcess(spec, output: output.handler), output)
}

/// A fresh directory for one test, outside `/tmp` (which a namespaced child does not see).
func scratchDirectory() throws -> String {
    let path = "/var/tmp/nimbus-sandbox-tests/\(UUID().uuidString)"
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Pids of the `sleep` processes sleeping `duration` (a `uniqueSleep`).
func sleepers(_ duration: String) -> [Int32] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap { name in
        guard let pid = Int32(name), let data = FileManager.default.contents(atPath: "/proc/\(name)/cmdline") else { return nil }
        let arguments = data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
        return arguments.count == 2 && arguments[0].hasSuffix("sleep") && arguments[1] == duration ? pid : nil
    }
}

/// A `sleep` argument no other test uses, so `sleepers(_:)` finds only this test's.
func uniqueSleep(seconds: Int) -> String {
    "\(seconds).\(Int.random(in: 100_000...999_999))"
}

let hostHasMemoryCgroup = ChildProcess.capabilities.cgroupControllers.contains("memory")
let hostHasPidsCgroup = ChildProcess.capabilities.cgroupControllers.contains("pids")
let hostHasNamespaces = ChildProcess.capabilities.namespaces

/// Polls `condition` every 5 ms for up to `timeout`; whether it came true.
func eventually(within timeout: Duration = .seconds(5), _ condition: () -> Bool) async -> Bool {
    let deadline = ContinuousClock.now + timeout
    while !condition() {
        guard ContinuousClock.now < deadline else { return false }
        try? await Task.sleep(for: .milliseconds(5))
    }
    return true
}
