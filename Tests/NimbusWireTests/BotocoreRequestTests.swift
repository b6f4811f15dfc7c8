import HTTPTypes
import NimbusCore
import Testing

@testable import NimbusWire

/// Requests exactly as botocore sends them (captured by `scripts/capture-fixtures`) are
/// routed to the right operation and decode to the parameters the SDK was called with.
@Suite struct BotocoreRequestTests {
    static let cases = (try? Fixtures.cases("requests")) ?? []

    @Test func fixturesArePresent() {
        #expect(Self.cases.count >= 20)
    }

    @Test(arguments: cases)
    func routesAndDecodes(_ fixture: JSONValue) throws {
        let name = fixture[key: "name"]?.string ?? "?"
        var request = Fixtures.request(fixture)
        let routed = try OperationRouter().route(request)
        #expect(routed.service.name == fixture[key: "service"]?.string, "\(name)")
        #expect(routed.operation.name == fixture[key: "operation"]?.string, "\(name)")
        _ = try RequestAuthenticator(mode: .open).authenticate(&request, protocol: routed.protocol)
        let input = try RequestDecoder.decodeInput(routed, request: request)
        guard case .object(let expected)? = fixture[key: "params"]?.canonical, case .object(let decoded) = input.fixtureJSON.canonical else {
            Issue.record("\(name): params or input is not an object")
            return
        }
        // The SDK may add members of its own (checksums, idempotency tokens); every parameter
        // the caller passed must come through unchanged.
        for (member, value) in expected {
            #expect(decoded[member] == value, "\(name): member \(member)")
        }
    }
}

extension JSONValue: CustomTestStringConvertible {
    public var testDescription: String { (self[key: "name"]?.string) ?? "\(self)".prefix(60).description }
}
