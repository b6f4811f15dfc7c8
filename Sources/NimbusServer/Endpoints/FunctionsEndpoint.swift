import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NimbusLambda
import NimbusWire

/// `GET /_nimbus/functions`: every function with its versions, aliases, instances,
/// concurrency and counters, as JSON (what `nimbus functions` prints).
struct FunctionsEndpoint: EdgeEndpoint {
    static let path = "/_nimbus/functions"

    let lambda: LambdaService

    func claims(_ request: EdgeRequest) -> Bool {
        request.method == .get && request.target == Self.path
    }

    func respond(to request: EdgeRequest) async throws -> Response? {
        let functions = try await lambda.overview().map(Self.json)
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        let body = JSONWriter.encode(.object(["functions": .array(functions)]))
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    private static func json(_ function: FunctionOverview) -> JSONValue {
        let counters = function.counters
        let number = { (value: Int) in JSONValue.number(String(value)) }
        let decimal = { (value: Double) in JSONValue.number(String(format: "%.2f", value)) }
        var members: [String: JSONValue] = [
            "name": .string(function.name),
            "runtime": .string(function.runtime),
            "versions": .array(function.versions.map { .string($0) }),
            "aliases": .object(function.aliases.mapValues { .string($0) }),
            "instances": .object(["live": number(function.liveInstances), "idle": number(function.idleInstances)]),
            "runningInvocations": number(function.runningInvocations),
            "provisionedConcurrency": .object(function.provisionedConcurrency.mapValues(number)),
            "metrics": .object([
                "invocations": number(counters.invocations),
                "errors": number(counters.errors),
                "throttles": number(counters.throttles),
                "durationAverageMs": decimal(counters.invocations == 0 ? 0 : counters.totalDurationMilliseconds / Double(counters.invocations)),
                "durationMaximumMs": decimal(counters.maximumDurationMilliseconds),
                "asyncEventsReceived": number(counters.asyncEventsReceived),
                "asyncEventsDropped": number(counters.asyncEventsDropped),
                "deadLetterDelivered": number(counters.deadLetterDelivered),
                "deadLetterErrors": number(counters.deadLetterErrors),
                "destinationDeliveryFailures": number(counters.destinationDeliveryFailures),
                "asyncEventAgeLastMs": decimal(counters.lastAsyncEventAgeMilliseconds),
                "asyncEventAgeMaximumMs": decimal(counters.maximumAsyncEventAgeMilliseconds),
            ]),
        ]
        if let reserved = function.reservedConcurrency { members["reservedConcurrency"] = number(reserved) }
        return .object(members)
    }
}
