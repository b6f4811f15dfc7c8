import Foundation
import NimbusWire

/// What Lambda sends to an asynchronous invocation's destination: the request, how it ended
/// and the function's response. See https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html
struct DestinationRecord {
    enum Condition: String {
        case success = "Success"
        case retriesExhausted = "RetriesExhausted"
        case eventAgeExceeded = "EventAgeExceeded"
    }

    var requestID: String
    /// The version's ARN, always qualified (`…:function:name:$LATEST`).
    var functionARN: String
    var condition: Condition
    var attempts: Int
    var timestamp: Double
    var requestPayload: [UInt8]
    var executedVersion: String?
    var functionError: String?
    var responsePayload: [UInt8]?

    var json: [UInt8] {
        var response: [String: JSONValue] = ["statusCode": .number("200")]
        if let executedVersion { response["executedVersion"] = .string(executedVersion) }
        if let functionError { response["functionError"] = .string(functionError) }
        var record: [String: JSONValue] = [
            "version": .string("1.0"),
            "timestamp": .string(Self.timestamp(timestamp)),
            "requestContext": .object([
                "requestId": .string(requestID),
                "functionArn": .string(functionARN),
                "condition": .string(condition.rawValue),
                "approximateInvokeCount": .number(String(attempts)),
            ]),
            "requestPayload": Self.embedded(requestPayload),
            "responseContext": .object(response),
        ]
        if let responsePayload { record["responsePayload"] = Self.embedded(responsePayload) }
        return JSONWriter.encode(.object(record))
    }

    /// A payload as JSON when it is JSON, as a string otherwise.
    private static func embedded(_ payload: [UInt8]) -> JSONValue {
        (try? JSONParser.parse(payload)) ?? .string(String(decoding: payload, as: UTF8.self))
    }

    /// `2019-11-14T18:16:05.568Z`: always with milliseconds.
    static func timestamp(_ seconds: Double) -> String {
        let text = Timestamp.iso8601(seconds)
        return text.contains(".") ? text : text.replacingOccurrences(of: "Z", with: ".000Z")
    }
}
