import Foundation
import Testing

@testable import NimbusLambdaRuntime

/// What the runtime writes: AWS's error object, decoding messages, log lines, the context.
struct ReportingTests {
    enum Failure: Error {
        case outOfStock(item: String)
    }

    @Test func thrownErrorIsNamedByItsSwiftType() {
        let error = FunctionError(thrown: Failure.outOfStock(item: "tea"))
        #expect(error.type == "Failure")
        #expect(error.message == #"outOfStock(item: "tea")"#)
        #expect(error.json == #"{"errorMessage":"outOfStock(item: \"tea\")","errorType":"Failure","stackTrace":[]}"#)
    }

    @Test func errorObjectIsValidJSONWhateverTheMessage() throws {
        let message = "line 1\nline 2\t\"quoted\" \\ \u{1} é 🎉"
        let json = FunctionError(type: "T", message: message).json
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(object["errorMessage"] as? String == message)
        #expect(object["errorType"] as? String == "T")
        #expect((object["stackTrace"] as? [Any])?.isEmpty == true)
    }

    struct Order: Decodable {
        struct Line: Decodable { var quantity: Int }
        var lines: [Line]
    }

    @Test func decodingErrorsSayWhereAndWhat() {
        func message(_ json: String) -> String {
            do {
                _ = try JSONDecoder().decode(Order.self, from: Data(json.utf8))
                return "decoded"
            } catch {
                return describe(error)
            }
        }
        #expect(message(#"{"lines": [{"quantity": 1}, {"quantity": "x"}]}"#).hasPrefix("lines[1].quantity: Expected to decode Int"))
        #expect(message(#"{"lines": [{}]}"#) == "lines[0]: No value for key 'quantity'.")
        #expect(message(#"{}"#) == "No value for key 'lines'.")
    }

    @Test func logLineFormat() {
        let lines = LogLines()
        lines.writer.log("first\nsecond\r\nthird", level: "INFO", requestID: "req")
        lines.writer.log("init", level: "ERROR", requestID: nil)
        #expect(lines.all[0].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\treq\tINFO\tfirst\rsecond\rthird\n/) != nil, "\(lines.all)")
        #expect(lines.all[1].wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\tERROR\tinit\n/) != nil, "\(lines.all)")
    }

    @Test func timestampIsUTCNow() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let parsed = try #require(formatter.date(from: timestamp()))
        #expect(abs(parsed.timeIntervalSinceNow) < 5)
    }

    @Test func contextDeadlineAndEnvironment() throws {
        var headers = HTTPHeaders()
        headers.append(name: "Lambda-Runtime-Aws-Request-Id", value: "r")
        headers.append(name: "Lambda-Runtime-Deadline-Ms", value: String(epochMilliseconds() + 3000))
        headers.append(name: "Lambda-Runtime-Invoked-Function-Arn", value: "arn:aws:lambda:us-east-1:000000000000:function:fn:live")
        let environment = FunctionEnvironment(["AWS_LAMBDA_FUNCTION_NAME": "fn", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": "128"])
        let context = LambdaContext(metadata: try InvocationMetadata(headers: headers), environment: environment, logWriter: LogLines().writer)
        #expect(context.remainingTime() > .milliseconds(2000) && context.remainingTime() <= .milliseconds(3000))
        #expect(context.functionName == "fn" && context.memoryLimitInMB == 128 && context.functionVersion == "")
        #expect(context.invokedFunctionARN.hasSuffix(":live"))

        headers = HTTPHeaders()
        headers.append(name: "Lambda-Runtime-Aws-Request-Id", value: "r")
        headers.append(name: "Lambda-Runtime-Deadline-Ms", value: String(epochMilliseconds() - 1000))
        headers.append(name: "Lambda-Runtime-Invoked-Function-Arn", value: "arn")
        let late = LambdaContext(metadata: try InvocationMetadata(headers: headers), environment: environment, logWriter: LogLines().writer)
        #expect(late.remainingTime() == .zero)
    }
}
