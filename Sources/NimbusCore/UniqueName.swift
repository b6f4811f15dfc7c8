import Synchronization

/// Names that must never repeat, such as the keys of stored bodies: a random prefix drawn once
/// per process from the system's generator, then a counter. The counter keeps names apart within
/// a run, the 96-bit prefix across runs.
///
/// Foundation's `UUID()` opens and reads `/dev/urandom` for every id on Linux (an S3 PUT made two);
/// a name here costs one atomic increment.
package enum UniqueName {
    private static let prefix: String = {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt32
        return hex(high) + hex(low)
    }()
    private static let counter = Atomic<UInt64>(0)

    /// A new name: 24 hex digits of the run's prefix, `-`, 16 hex digits of the counter.
    package static func make() -> String {
        let number = counter.wrappingAdd(1, ordering: .relaxed).newValue
        return prefix + "-" + hex(number)
    }

    /// All the digits of `value`, most significant first.
    private static func hex(_ value: some FixedWidthInteger) -> String {
        withUnsafeBytes(of: value.bigEndian) { Hex.encode($0) }
    }
}
