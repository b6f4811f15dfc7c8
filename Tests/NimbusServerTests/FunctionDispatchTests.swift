import Foundation
import HTTPTypes
import NimbusCore
import NimbusLambda
import NimbusServer
import NimbusStore
import NimbusTesting
import NimbusWire
import Testing
import ZIPFoundation

/// Other services reach functions through the dispatcher: these run a real python function.
@Suite(.serialized) struct FunctionDispatchTests {
    private let function = ARN(service: "lambda", region: "us-east-1", account: "000000000000", resource: "function:echo")

    @Test func requestResponseRepliesWithTheFunctionsAnswer() async throws {
        try await withEchoFunction { platform in
            let event = DispatchEvent(payload: Array(#"{"n": 41}"#.utf8), attributes: ["invocationType": "RequestResponse"])
            let reply = try await platform.dispatcher.deliver(event, to: function)
            #expect(try JSONParser.parse(reply.payload) == .object(["n": .number("42")]))
            #expect(reply.attributes["executedVersion"] == "$LATEST")
            #expect(reply.attributes["functionError"] == nil)

            let failing = DispatchEvent(payload: Array(#"{"fail": true}"#.utf8), attributes: ["invocationType": "RequestResponse"])
            let failed = try await platform.dispatcher.deliver(failing, to: function)
            #expect(failed.attributes["functionError"] == "Unhandled")
            guard case .object(let error) = try JSONParser.parse(failed.payload) else { throw CancellationError() }
            #expect(error["errorType"] == .string("ValueError"))
        }
    }

    @Test func eventRunsInTheBackground() async throws {
        try await withEchoFunction { platform in
            let shipping = Task { await platform.invoker.shipLogs() }
            let queue = Task { await platform.lambda.runAsyncInvocations() }
            defer {
                shipping.cancel()
                queue.cancel()
            }
            let reply = try await platform.dispatcher.deliver(DispatchEvent(payload: Array(#"{"n": 6}"#.utf8)), to: function)
            #expect(reply.payload.isEmpty)
            var found = false
            for _ in 0..<100 where !found {
                try await Task.sleep(for: .milliseconds(100))
                found = try await logMessages(platform).contains { $0.contains("echo 7") }
            }
            #expect(found, "the event's log line never arrived")
        }
    }

    @Test func unknownFunctionIsResourceNotFound() async throws {
        try await withEchoFunction { platform in
            let missing = ARN(service: "lambda", region: "us-east-1", account: "000000000000", resource: "function:missing")
            await #expect(throws: AWSError.self) { try await platform.dispatcher.deliver(DispatchEvent(payload: []), to: missing) }
        }
    }

    /// A platform with function `echo`: it adds one to `n`, prints `echo <n+1>`, and raises
    /// `ValueError` when the event has `fail`.
    private func withEchoFunction(_ body: (Platform) async throws -> Void) async throws {
        try await TemporaryDirectory.with { directory in
            var configuration = ServerConfiguration()
            configuration.dataDirectory = directory.path + "/data"
            configuration.port = 0
            let platform = try await Platform.open(configuration)
            let code = """
                def handler(event, context):
                    if event.get("fail"):
                        raise ValueError("asked to fail")
                    print("echo", event["n"] + 1)
                    return {"n": event["n"] + 1}
                """
            let create = JSONWriter.encode(
                .object([
                    "FunctionName": .string("echo"),
                    "Runtime": .string("python3.12"),
                    "Handler": .string("app.handler"),
                    "Role": .string("arn:aws:iam::000000000000:role/r"),
                    "Code": .object(["ZipFile": .string(try zip(["app.py": code]).base64EncodedString())]),
                ])
            )
            let created = await platform.pipeline.handle(
                AWSRequest(method: .post, target: "/2015-03-31/functions", headers: [.contentType: "application/json"], body: create)
            )
            #expect(created.response.status == 201)
            try await body(platform)
            await platform.invoker.shutdown()
            try await platform.store.close()
        }
    }

    private func logMessages(_ platform: Platform) async throws -> [String] {
        let request = AWSRequest(
            method: .post,
            target: "/",
            headers: [.contentType: "application/x-amz-json-1.1", HTTPField.Name("X-Amz-Target")!: "Logs_20140328.FilterLogEvents"],
            body: Array(#"{"logGroupName": "/aws/lambda/echo"}"#.utf8)
        )
        let outcome = await platform.pipeline.handle(request)
        guard outcome.response.status == 200 else { return [] }
        guard case .object(let answer) = try JSONParser.parse(outcome.response.body), case .array(let events)? = answer["events"] else { return [] }
        return events.compactMap { event in
            guard case .object(let fields) = event, case .string(let message)? = fields["message"] else { return nil }
            return message
        }
    }

    private func zip(_ files: [String: String]) throws -> Data {
        let archive = try Archive(data: Data(), accessMode: .create)
        for (path, text) in files {
            let bytes = Data(text.utf8)
            try archive.addEntry(with: path, type: .file, uncompressedSize: Int64(bytes.count)) { position, size in
                bytes.subdata(in: Int(position)..<Int(position) + size)
            }
        }
        return try #require(archive.data)
    }
}
