import Synchronization

/// Request ids in AWS's shape: a random version-4 UUID, lower-cased, as `x-amzn-RequestId` carries it.
package enum RequestID {
    /// Ids need to be unique, not secret: a SplitMix64 stream seeded once from the system's
    /// generator costs nanoseconds, where two `getrandom` calls per request cost microseconds.
    private static let shared = Mutex(SplitMix64(seed: UInt64.random(in: .min ... .max)))

    /// A new random request id.
    package static func make() -> String {
        let bits = shared.withLock { generator in (generator.next(), generator.next()) }
        var generator = FixedDraws(values: [bits.0, bits.1])
        return make(using: &generator)
    }

    /// A request id drawn from `generator` (two 64-bit draws), so tests can make ids deterministic.
    package static func make(using generator: inout some RandomNumberGenerator) -> String {
        var bits = (generator.next() as UInt64, generator.next() as UInt64)
        // RFC 4122: version 4 in the high nibble of byte 6, variant 10xx in byte 8.
        bits.0 = (bits.0 & ~(0xF << 12)) | (0x4 << 12)
        bits.1 = (bits.1 & ~(0x3 << 62)) | (0x2 << 62)
        var bytes = [UInt8](repeating: UInt8(ascii: "-"), count: 36)
        var position = 0
        for index in 0..<32 {
            if position == 8 || position == 13 || position == 18 || position == 23 { position += 1 }
            let word = index < 16 ? bits.0 : bits.1
            let shift = UInt64(60 - (index % 16) * 4)
            let nibble = UInt8((word >> shift) & 0xF)
            bytes[position] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
            position += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Sebastiano Vigna's SplitMix64 generator.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = state
        mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        return mixed ^ (mixed >> 31)
    }
}

/// Replays draws taken under a lock.
private struct FixedDraws: RandomNumberGenerator {
    var values: [UInt64]
    var index = 0

    mutating func next() -> UInt64 {
        defer { index += 1 }
        return values[index % values.count]
    }
}
