import HTTPTypes
import NimbusCore
import NimbusSTS
import NimbusWire
import Testing

@Suite struct STSServiceTests {
    private func context(_ caller: CallerIdentity, account: AccountContext = AccountContext()) -> RequestContext {
        RequestContext(requestID: "r", account: account, caller: caller, request: AWSRequest(method: .post, target: "/"))
    }

    @Test func rootInOpenMode() async throws {
        let identity = try await STSService().getCallerIdentity(.init(), context: context(CallerIdentity(accessKeyID: "test", principal: nil)))
        #expect(identity.account == "000000000000")
        #expect(identity.arn == "arn:aws:iam::000000000000:root")
        #expect(identity.userId == "000000000000")
    }

    @Test func namedUserWithVerifiedKeys() async throws {
        let account = AccountContext(accountID: "123456789012", region: "cn-north-1")
        let caller = CallerIdentity(accessKeyID: "AKIDALICE", principal: "alice")
        let identity = try await STSService().getCallerIdentity(.init(), context: context(caller, account: account))
        #expect(identity.arn == "arn:aws-cn:iam::123456789012:user/alice")
        #expect(identity.userId == "AKIDALICE")
    }

    @Test func onlyImplementedOperationsAreAnswered() async throws {
        let service = STSService()
        #expect(service.implementedOperations == ["GetCallerIdentity"])
    }
}
