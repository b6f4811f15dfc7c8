import Synchronization

/// Event sequencers: hexadecimal, increasing for the life of the data directory (nanoseconds
/// of the wall clock, bumped past the last one handed out).
final class Sequencer: Sendable {
    private let last = Mutex<UInt64>(0)

    func next(now: Double) -> String {
        let value = last.withLock { last -> UInt64 in
            last = max(last + 1, UInt64(max(now, 0) * 1_000_000_000))
            return last
        }
        let digits = String(value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }
}
