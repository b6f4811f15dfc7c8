import HTTPTypes
import NimbusCore
import Testing

@testable import NimbusWire

/// Signatures computed by botocore (and AWS's documented streaming example) verify, and
/// each tampered variant fails with AWS's error code.
@Suite struct SigV4FixtureTests {
    static let cases = (try? Fixtures.cases("sigv4")) ?? []

    struct FixedClock: WallClock {
        let seconds: Double
        func now() -> Double { seconds }
    }

    @Test func fixturesArePresent() {
        #expect(Self.cases.count >= 30)
    }

    @Test(arguments: cases)
    func verifies(_ fixture: JSONValue) throws {
        let name = fixture[key: "name"]?.string ?? "?"
        let keyID = try #require(fixture[key: "accessKeyId"]?.string)
        let secret = try #require(fixture[key: "secretAccessKey"]?.string)
        let now = try #require(fixture[key: "now"]?.doubleValue)
        let credential = Credential(accessKeyID: keyID, secretAccessKey: secret, principal: "fixture")
        let authenticator = RequestAuthenticator(mode: .verify([keyID: credential]), clock: FixedClock(seconds: now))
        var request = Fixtures.request(fixture)
        let wire = (try? OperationRouter().route(request).protocol) ?? OperationRouter.protocolHint(for: request)
        let expected = fixture[key: "expect"]?.string ?? "ok"
        do {
            let caller = try authenticator.authenticate(&request, protocol: wire)
            #expect(expected == "ok", "\(name) verified but should fail with \(expected)")
            #expect(caller.principal == "fixture")
            if let decoded = fixture[key: "decodedBodyBase64"]?.string {
                #expect(request.body == Base64.decode(decoded), "\(name): decoded aws-chunked body")
            }
        } catch {
            #expect(error.code == expected, "\(name): \(error.message.prefix(300))")
        }
    }

    @Test func openModeAcceptsAnyWellFormedSignature() throws {
        let fixture = try #require(Self.cases.first { $0[key: "name"]?.string == "neg-sts-wrong-secret" })
        var request = Fixtures.request(fixture)
        let caller = try RequestAuthenticator(mode: .open).authenticate(&request, protocol: .query)
        #expect(caller.accessKeyID == fixture[key: "accessKeyId"]?.string)
        #expect(caller.principal == nil)
    }

    @Test func malformedAuthorizationIsRejectedInEveryMode() {
        var request = AWSRequest(method: .post, target: "/", headers: [.authorization: "AWS4-HMAC-SHA256 Credential=broken"])
        #expect(throws: AWSError.self) { try RequestAuthenticator(mode: .open).authenticate(&request, protocol: .query) }
    }

    @Test func unsignedRequestsNeedCredentialsInVerifyMode() {
        var request = AWSRequest(method: .post, target: "/")
        do {
            _ = try RequestAuthenticator(mode: .verify([:])).authenticate(&request, protocol: .awsJson1_0)
            Issue.record("an unsigned request was accepted")
        } catch {
            #expect(error.code == "MissingAuthenticationTokenException")
            #expect(error.status == 403)
        }
    }
}
