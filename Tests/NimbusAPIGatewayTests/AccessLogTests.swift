import NimbusCore
import NimbusStoreSQLite
import NimbusTesting
import NimbusWire
import Synchronization
import Testing

@testable import NimbusAPIGateway

/// A log sink that keeps what it is given.
final class RecordingSink: LogSink {
    let lines = Mutex<[(group: String, stream: String, message: String)]>([])

    func append(_ events: [LogEvent], group: String, stream: String) async throws {
        lines.withLock { lines in for event in events { lines.append((group, stream, event.message)) } }
    }
}

@Suite struct AccessLogTests {
    @Test func rendersContextVariables() {
        let line = AccessLog.render(
            "$context.requestId $context.status \"$context.routeKey\" $context.unknown. end",
            ["requestId": "r1", "status": "200", "routeKey": "GET /x"]
        )
        #expect(line == "r1 200 \"GET /x\" -. end")
    }

    @Test func logGroupARNs() {
        #expect(AccessLog.group(ofARN: "arn:aws:logs:us-east-1:000000000000:log-group:api-logs") == "api-logs")
        #expect(AccessLog.group(ofARN: "arn:aws:logs:us-east-1:000000000000:log-group:/aws/x:*") == "/aws/x")
        #expect(AccessLog.group(ofARN: "arn:aws:sqs:us-east-1:000000000000:q") == nil)
        #expect(AccessLog.group(ofARN: "arn:aws:logs:us-east-1:000000000000:log-group:") == nil)
    }

    @Test func stagesWriteOneLinePerRequest() async throws {
        try await TemporaryDirectory.with { directory in
            let store = try SQLiteStore(path: directory.path + "/db.sqlite")
            let sink = RecordingSink()
            let functions = FakeFunctions { _, _ in DispatchReply(payload: Array(#"{"statusCode":202,"body":"x"}"#.utf8)) }
            let service = try await APIGatewayService(store: store, dispatcher: functions, forwarder: FakeForwarder(), logSink: sink)
            let apiId = try #require(
                try await service.createApi(.init(name: "logged", protocolType: "HTTP", target: functionARN), context: context()).apiId
            )
            let bad = await awsError {
                _ = try await service.updateStage(
                    .init(
                        accessLogSettings: .init(destinationArn: "arn:aws:s3:::bucket", format: "$context.requestId"),
                        apiId: apiId,
                        stageName: "$default"
                    ),
                    context: context()
                )
            }
            #expect(bad?.code == "BadRequestException")
            let arn = "arn:aws:logs:us-east-1:000000000000:log-group:api-access"
            _ = try await service.updateStage(
                .init(
                    accessLogSettings: .init(destinationArn: arn, format: "$context.requestId $context.httpMethod $context.routeKey $context.status"),
                    apiId: apiId,
                    stageName: "$default"
                ),
                context: context()
            )
            let response = await service.gateway.serve(GatewayRequest(method: "POST", path: "/anything"), apiId: apiId)
            #expect(response.status == 202)
            let lines = sink.lines.withLock { $0 }
            #expect(lines.count == 1)
            #expect(lines.first?.group == "api-access")
            #expect(lines.first?.stream == "\(apiId)_$default")
            #expect(lines.first?.message == "\(response.header("apigw-requestid") ?? "?") POST $default 202")
            try await store.close()
        }
    }
}
