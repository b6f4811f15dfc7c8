import NimbusTesting
import Testing

@testable import NimbusCore

@Suite struct ARNTests {
    @Test func parsesAndPrints() throws {
        let arn = try #require(ARN("arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod"))
        #expect(arn.service == "lambda")
        #expect(arn.account == "000000000000")
        #expect(arn.resource == "function:my-fn:prod")
        #expect(arn.description == "arn:aws:lambda:us-east-1:000000000000:function:my-fn:prod")
    }

    @Test(arguments: ["", "arn:aws:sqs", "aws:sqs:us-east-1:1:q", "arn::sqs:us-east-1:1:q", "arn:aws:sqs:us-east-1:1:"])
    func rejectsMalformed(_ text: String) {
        #expect(ARN(text) == nil)
    }
}

@Suite struct AccountTests {
    @Test func validatesAccountAndRegion() {
        #expect(AccountContext.isValidAccountID("123456789012"))
        #expect(!AccountContext.isValidAccountID("12345"))
        #expect(!AccountContext.isValidAccountID("12345678901a"))
        #expect(AccountContext.isValidRegion("eu-west-1"))
        #expect(!AccountContext.isValidRegion("Europe"))
        #expect(AccountContext(region: "cn-north-1").partition == "aws-cn")
    }

    @Test func requestIDsAreUUIDShaped() {
        let id = RequestID.make()
        #expect(id.count == 36)
        #expect(Array(id)[14] == "4")
        #expect(RequestID.make() != id)
    }

    @Test func uniqueNamesShareTheRunsPrefixAndNeverRepeat() async {
        let names = await withTaskGroup(of: [String].self) { group in
            for _ in 0..<4 { group.addTask { (0..<1_000).map { _ in UniqueName.make() } } }
            return await group.reduce(into: []) { $0 += $1 }
        }
        #expect(Set(names).count == names.count)
        let parts = names.map { $0.split(separator: "-").map(String.init) }
        #expect(parts.allSatisfy { $0.count == 2 && $0[0].count == 24 && $0[1].count == 16 })
        #expect(Set(parts.map { $0[0] }).count == 1)
        #expect(names.allSatisfy { $0.utf8.allSatisfy { (48...57).contains($0) || (97...102).contains($0) || $0 == 45 } })
    }
}

@Suite struct DispatchTests {
    struct Echo: DispatchHandler {
        func handle(_ event: DispatchEvent, for target: ARN) async throws -> DispatchReply {
            DispatchReply(payload: event.payload + Array(target.resource.utf8))
        }
    }

    @Test func deliversByNamespace() async throws {
        let registry = DispatchRegistry()
        registry.register(Echo(), for: "sqs")
        let target = try #require(ARN("arn:aws:sqs:us-east-1:000000000000:q"))
        let reply = try await registry.deliver(DispatchEvent(payload: Array("hi ".utf8)), to: target)
        #expect(reply.payload == Array("hi q".utf8))
        #expect(registry.namespaces == ["sqs"])
    }

    @Test func unknownTargetIsATypedError() async throws {
        let registry = DispatchRegistry()
        let target = try #require(ARN("arn:aws:sns:us-east-1:000000000000:t"))
        await #expect(throws: DispatchError(code: .unknownTarget, target: target)) {
            try await registry.deliver(DispatchEvent(payload: []), to: target)
        }
        #expect(DispatchError(code: .unknownTarget, target: target).awsError.code == "InvalidParameterValueException")
    }
}

@Suite struct HexTests {
    @Test func encodesEachByteAsTwoLowercaseDigits() {
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.encode([UInt8]()) == "")
    }
}
