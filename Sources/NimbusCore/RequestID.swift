/// Request ids in AWS's shape: a random UUID, lower-cased, as `x-amzn-RequestId` carries it.
package enum RequestID {
    /// A new random request id.
    package static func make() -> String {
        var generator = SystemRandomNumberGenerator()
        return make(using: &generator)
    }

    /// A request id drawn from `generator`, so tests can make ids deterministic.
    package static func make(using generator: inout some RandomNumberGenerator) -> String {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes = [UInt8](repeating: 0, count: 36)
        var index = 0
        for position in 0..<36 {
            if position == 8 || position == 13 || position == 18 || position == 23 {
                bytes[position] = UInt8(ascii: "-")
                continue
            }
            if index % 16 == 0 { index = 0 }
            var nibble = UInt8(truncatingIfNeeded: generator.next() & 0xF)
            if position == 14 { nibble = 4 }  // version 4
            if position == 19 { nibble = 8 | (nibble & 0x3) }  // RFC 4122 variant
            bytes[position] = hex[Int(nibble)]
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
