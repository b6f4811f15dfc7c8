import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NimbusCore
import NimbusServer
import NimbusStore
import NimbusTesting
import NimbusWire
import Testing

@Suite struct PlatformTests {
    private func configuration(_ directory: TemporaryDirectory) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.dataDirectory = directory.path + "/data"
        configuration.port = 0
        return configuration
    }

    private let form: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]

    @Test func healthAndCallerIdentity() async throws {
        try await TemporaryDirectory.with { directory in
            let platform = try await Platform.open(configuration(directory))
            try await platform.application(logger: Logger(label: "test")).test(.router) { client in
                try await client.execute(uri: "/_nimbus/health", method: .get) { response in
                    #expect(response.status == .ok)
                    let health = try JSONParser.parse(Array(buffer: response.body))
                    guard case .object(let members) = health else { throw CancellationError() }
                    #expect(members["status"] == .string("ok"))
                    #expect(
                        members["services"]
                            == .array([
                                .string("apigatewayv2"), .string("lambda"), .string("logs"), .string("s3"), .string("sns"), .string("sqs"),
                                .string("sts"),
                            ])
                    )
                }
                let body = ByteBuffer(string: "Action=GetCallerIdentity&Version=2011-06-15")
                try await client.execute(uri: "/", method: .post, headers: form, body: body) { response in
                    #expect(response.status == .ok)
                    let xml = try XMLDocumentParser.parse(Array(buffer: response.body))
                    #expect(xml.child(named: "GetCallerIdentityResult")?.child(named: "Arn")?.text == "arn:aws:iam::000000000000:root")
                    #expect(response.headers[HTTPField.Name("x-amzn-RequestId")!] != nil)
                }
            }
            try await platform.store.close()
        }
    }

    @Test func unimplementedOperationIs501NamingIt() async throws {
        try await TemporaryDirectory.with { directory in
            let platform = try await Platform.open(configuration(directory))
            try await platform.application(logger: Logger(label: "test")).test(.router) { client in
                let body = ByteBuffer(string: "Action=GetSessionToken&Version=2011-06-15")
                try await client.execute(uri: "/", method: .post, headers: form, body: body) { response in
                    #expect(response.status.code == 501)
                    let xml = try XMLDocumentParser.parse(Array(buffer: response.body))
                    #expect(xml.child(named: "Error")?.child(named: "Code")?.text == "NotImplemented")
                    #expect(xml.child(named: "Error")?.child(named: "Message")?.text.contains("sts:GetSessionToken") == true)
                }
            }
            try await platform.store.close()
        }
    }

    @Test func oversizedBodyIs413() async throws {
        try await TemporaryDirectory.with { directory in
            var configuration = configuration(directory)
            configuration.maxBodySize = 16
            let platform = try await Platform.open(configuration)
            try await platform.application(logger: Logger(label: "test")).test(.router) { client in
                let body = ByteBuffer(string: String(repeating: "x", count: 64))
                try await client.execute(uri: "/", method: .post, headers: form, body: body) { response in
                    #expect(response.status.code == 413)
                }
            }
            try await platform.store.close()
        }
    }

    @Test func refusesToListenBeyondLoopbackWithoutKeys() async throws {
        try await TemporaryDirectory.with { directory in
            var configuration = configuration(directory)
            configuration.host = "0.0.0.0"
            await #expect(throws: ConfigurationError.self) { try await Platform.open(configuration) }
        }
    }

    @Test func verifiedModeRejectsUnsignedRequests() async throws {
        try await TemporaryDirectory.with { directory in
            let credentials = directory.path + "/credentials"
            try "[alice]\naws_access_key_id = AKIDALICE\naws_secret_access_key = secret\n".write(
                toFile: credentials,
                atomically: true,
                encoding: .utf8
            )
            var configuration = configuration(directory)
            configuration.verifySignatures = true
            configuration.credentialsFile = credentials
            let platform = try await Platform.open(configuration)
            try await platform.application(logger: Logger(label: "test")).test(.router) { client in
                let body = ByteBuffer(string: "Action=GetCallerIdentity&Version=2011-06-15")
                try await client.execute(uri: "/", method: .post, headers: form, body: body) { response in
                    #expect(response.status.code == 403)
                    let xml = try XMLDocumentParser.parse(Array(buffer: response.body))
                    #expect(xml.child(named: "Error")?.child(named: "Code")?.text == "MissingAuthenticationToken")
                }
            }
            try await platform.store.close()
        }
    }

    @Test func stateSurvivesRestart() async throws {
        try await TemporaryDirectory.with { directory in
            let first = try await Platform.open(configuration(directory))
            let created = try await first.store.query("SELECT value FROM nimbus_meta WHERE key = 'created_at'").first?.string("value")
            try await first.store.close()
            let second = try await Platform.open(configuration(directory))
            let again = try await second.store.query("SELECT value FROM nimbus_meta WHERE key = 'created_at'").first?.string("value")
            #expect(created != nil)
            #expect(again == created)
            try await second.store.close()
        }
    }
}

@Suite struct CredentialsFileTests {
    @Test func parsesProfiles() throws {
        let keys = try CredentialsFile.parse(
            """
            # team keys
            [alice]
            aws_access_key_id = AKIDALICE
            aws_secret_access_key = s1

            [bob]
            aws_access_key_id=AKIDBOB
            aws_secret_access_key=s2
            """
        )
        #expect(keys["AKIDALICE"]?.principal == "alice")
        #expect(keys["AKIDBOB"]?.secretAccessKey == "s2")
    }

    @Test(arguments: ["", "[alice]\naws_access_key_id = A\n", "aws_access_key_id = A", "[broken\n"])
    func rejectsIncompleteFiles(_ text: String) {
        #expect(throws: ConfigurationError.self) { try CredentialsFile.parse(text) }
    }
}
