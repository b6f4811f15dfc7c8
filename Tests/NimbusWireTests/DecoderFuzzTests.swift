import Foundation
import HTTPTypes
import NimbusCore
import Testing

@testable import NimbusWire

/// A bounded, seeded mutation fuzz of the whole edge (routing, SigV4 parsing, aws-chunked
/// framing, JSON/XML/form decoding) starting from the botocore-captured requests.
///
/// Property: every request, however mangled, gets an AWS error or a 501 in its protocol's
/// shape with a request id, never a crash, a hang or a 500. `scripts/fuzz` runs more
/// iterations through `NIMBUS_FUZZ_ITERATIONS`.
@Suite struct DecoderFuzzTests {
    static let iterations = ProcessInfo.processInfo.environment["NIMBUS_FUZZ_ITERATIONS"].flatMap { Int($0) } ?? 3_000
    static let seed = ProcessInfo.processInfo.environment["NIMBUS_FUZZ_SEED"].flatMap { UInt64($0) } ?? 0x4E49_4D42_5553

    /// SplitMix64: small, fast and reproducible from the seed.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let interesting: [[UInt8]] = [
        [0xFF, 0xFE], Array("{".utf8), Array("\"".utf8), Array("&".utf8), Array("=".utf8), Array("<".utf8), Array("\r\n".utf8),
        Array("%".utf8), Array("%zz".utf8), Array("]]>".utf8), Array("<!DOCTYPE x>".utf8), Array("1e999999".utf8), Array("-0".utf8),
        Array("{\"a\":".utf8), Array(".member.".utf8), Array(".entry.1.".utf8), Array("ffffffffffffffff;chunk-signature=".utf8),
        Array(repeating: UInt8(ascii: "["), count: 400),
    ]

    static func mutate(_ bytes: [UInt8], using generator: inout SeededGenerator) -> [UInt8] {
        var bytes = bytes
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            switch Int.random(in: 0..<5, using: &generator) {
            case 0 where !bytes.isEmpty:
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] ^= UInt8(1 << Int.random(in: 0..<8, using: &generator))
            case 1 where !bytes.isEmpty:
                bytes.removeLast(Int.random(in: 0...bytes.count, using: &generator))
            case 2:
                let index = Int.random(in: 0...bytes.count, using: &generator)
                bytes.insert(contentsOf: interesting.randomElement(using: &generator)!, at: index)
            case 3 where !bytes.isEmpty:
                let index = Int.random(in: 0..<bytes.count, using: &generator)
                bytes[index] = UInt8.random(in: 0...255, using: &generator)
            default:
                let start = Int.random(in: 0...bytes.count, using: &generator)
                let end = min(bytes.count, start + Int.random(in: 0...16, using: &generator))
                bytes.replaceSubrange(start..<end, with: bytes[start..<end].reversed())
            }
        }
        return bytes
    }

    @Test func mangledRequestsGetAWSErrors() async throws {
        let fixtures = try Fixtures.cases("requests") + Fixtures.cases("sigv4")
        let pipeline = EdgePipeline(
            router: OperationRouter(),
            authenticator: RequestAuthenticator(mode: .open),
            handlers: [],
            account: AccountContext()
        )
        var generator = SeededGenerator(state: Self.seed)
        var statuses: [Int: Int] = [:]
        for iteration in 0..<Self.iterations {
            let fixture = fixtures[iteration % fixtures.count]
            var request = Fixtures.request(fixture)
            switch Int.random(in: 0..<4, using: &generator) {
            case 0:
                let target = String(decoding: Self.mutate(Array((request.path + "?" + request.rawQuery).utf8), using: &generator), as: UTF8.self)
                request = AWSRequest(method: request.method, target: target, headers: request.headers, body: request.body)
            case 1:
                if let field = request.headers.randomElement(using: &generator) {
                    let value = String(decoding: Self.mutate(Array(field.value.utf8), using: &generator), as: UTF8.self)
                    request.headers[field.name] = value.isEmpty ? nil : value
                }
            default:
                request.body = Self.mutate(request.body, using: &generator)
            }
            let outcome = await pipeline.handle(request)
            let status = outcome.response.status
            statuses[status, default: 0] += 1
            #expect((200..<600).contains(status))
            #expect(
                status != 500,
                "iteration \(iteration) (\(fixture[key: "name"]?.string ?? "")): \(String(decoding: outcome.response.body, as: UTF8.self))"
            )
            #expect(outcome.response.headers[HTTPField.Name("x-amzn-RequestId")!] == outcome.requestID)
        }
        // The mutations reach past routing into the decoders, not just the first check.
        #expect(statuses.keys.contains(400))
        #expect(statuses.keys.contains(501))
    }
}
