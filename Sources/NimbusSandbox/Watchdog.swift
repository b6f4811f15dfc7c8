import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// One thread that polls, every 50 ms, what the kernel does not enforce for us: a child's memory when no memory
/// cgroup is writable, the size of its `/tmp`, and its cgroup's memory when the kernel keeps no peak.
///
/// The thread runs only while something is watched; `/proc` is scanned at most once per tick for all children.
final class Watchdog: Sendable {
    /// What one check may look at during a tick.
    final class Tick {
        /// Counts ticks since the watchdog started, for checks that run less often than every tick.
        let number: Int
        private var scanned: ProcessTable?

        init(number: Int) { self.number = number }

        /// Every process on the host, read once per tick on first use.
        var processes: ProcessTable {
            if let scanned { return scanned }
            let table = ProcessTable.scan()
            scanned = table
            return table
        }
    }

    typealias Check = @Sendable (Tick) -> Void

    static let shared = Watchdog()
    static let interval: Duration = .milliseconds(50)

    private struct State {
        var checks: [UInt64: Check] = [:]
        var nextID: UInt64 = 0
        var running = false
    }

    private let state = Mutex(State())

    /// Runs `check` on every tick until `remove` is called with the returned token.
    func add(_ check: @escaping Check) -> UInt64 {
        let (id, start) = state.withLock { state -> (UInt64, Bool) in
            state.nextID += 1
            state.checks[state.nextID] = check
            defer { state.running = true }
            return (state.nextID, !state.running)
        }
        if start { Thread { self.run() }.start() }
        return id
    }

    func remove(_ id: UInt64) {
        _ = state.withLock { $0.checks.removeValue(forKey: id) }
    }

    private func run() {
        var number = 0
        while true {
            usleep(UInt32(Self.interval.components.attoseconds / 1_000_000_000_000))
            let checks = state.withLock { state -> [Check]? in
                if state.checks.isEmpty {
                    state.running = false
                    return nil
                }
                return Array(state.checks.values)
            }
            guard let checks else { return }
            number += 1
            let tick = Tick(number: number)
            for check in checks { check(tick) }
        }
    }
}
